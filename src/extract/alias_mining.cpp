#include "kerec/extract/alias_mining.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace kerec::extract {
namespace {

bool tokens_equal(std::span<const text::Token> a, std::span<const text::Token> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.text == y.text; });
}

// Where the k modifiers `p` stand for the span [first, last): at its start, or just before it.
// Returns the first token of the mention (p included), or -1.
int32_t modifiers_at(std::span<const text::Token> title, const TokenSpan& span,
                     std::span<const text::Token> p) {
  const auto k = static_cast<int32_t>(p.size());
  if (span.last - span.first > k && tokens_equal(title.subspan(span.first, k), p))
    return span.first;
  if (span.first >= k && tokens_equal(title.subspan(span.first - k, k), p)) return span.first - k;
  return -1;
}

}  // namespace

std::unordered_set<std::u32string> dictionary_strings(const DictMatcher& matcher) {
  std::unordered_set<std::u32string> out;
  for (const auto& [s, e] : matcher.strings()) out.insert(s);
  return out;
}

std::unordered_map<int32_t, std::vector<std::u32string>> strings_by_entity(
    const DictMatcher& matcher) {
  std::unordered_map<int32_t, std::vector<std::u32string>> out;
  for (const auto& [s, e] : matcher.strings()) out[e].push_back(s);
  return out;
}

std::optional<RuleObservation> align_mention(std::span<const text::Token> title,
                                             const TokenSpan& span,
                                             std::span<const std::u32string> entity_strings,
                                             const std::unordered_set<std::u32string>& dictionary) {
  for (const auto& s : entity_strings) {
    const auto tokens = text::tokenize(s);
    for (size_t k = tokens.size(); k-- > 0;) {
      const auto h = text::join(std::span(tokens).subspan(k));
      if (!dictionary.count(h)) continue;
      const int32_t begin = modifiers_at(title, span, std::span(tokens).first(k));
      if (begin < 0) continue;
      const auto u = text::join(title.subspan(begin + k, span.last - begin - k));
      if (u != h) return RuleObservation{u, h};
    }
  }
  return std::nullopt;
}

std::vector<AliasRule> accept_rules(std::vector<RuleObservation> observations, int64_t min_support,
                                    double min_share, MiningStats& stats) {
  std::map<std::u32string, std::map<std::u32string, int64_t>> counts;
  for (auto& o : observations) ++counts[std::move(o.from)][std::move(o.to)];
  stats.observations = static_cast<int64_t>(observations.size());
  stats.distinct_from = static_cast<int64_t>(counts.size());
  std::vector<AliasRule> rules;
  for (auto& [from, targets] : counts) {
    AliasRule best{from, {}, 0, 0};
    for (const auto& [to, n] : targets) {
      best.observations += n;
      if (n > best.support)
        best.to = to, best.support = n;  // map order: ties keep the smaller `to`
    }
    const bool ok =
        best.support >= min_support &&
        static_cast<double>(best.support) >= min_share * static_cast<double>(best.observations);
    if (ok) rules.push_back(std::move(best));
  }
  stats.rules = static_cast<int64_t>(rules.size());
  stats.rules_rejected = stats.distinct_from - stats.rules;
  return rules;
}

MinedAliases expand_rules(const DictMatcher& matcher, std::span<const AliasRule> rules,
                          MiningStats& stats) {
  std::unordered_map<std::u32string, std::vector<size_t>> by_target;
  for (size_t r = 0; r < rules.size(); ++r) by_target[rules[r].to].push_back(r);
  const auto dictionary = dictionary_strings(matcher);
  std::map<std::u32string, std::pair<int32_t, size_t>>
      found;  // alias -> (entity or -1: conflict, rule)
  for (const auto& [s, entity] : matcher.strings()) {
    const auto tokens = text::tokenize(s);
    for (size_t k = 0; k < tokens.size(); ++k) {
      const auto it = by_target.find(text::join(std::span(tokens).subspan(k)));
      if (it == by_target.end()) continue;
      for (size_t r : it->second) {
        auto alias_tokens =
            std::vector<text::Token>(tokens.begin(), tokens.begin() + static_cast<ptrdiff_t>(k));
        for (auto& t : text::tokenize(rules[r].from)) alias_tokens.push_back(std::move(t));
        auto alias = text::join(alias_tokens);
        if (dictionary.count(alias)) {
          ++stats.aliases_in_dictionary;
          continue;
        }
        auto [slot, added] = found.emplace(std::move(alias), std::pair{entity, r});
        if (!added && slot->second.first != entity) slot->second.first = -1;
      }
    }
  }
  MinedAliases out;
  for (auto& [alias, claim] : found) {
    if (claim.first < 0) {
      ++stats.aliases_conflicting;
      continue;
    }
    out.aliases.push_back({alias, claim.first});
    out.rule.push_back(claim.second);
  }
  stats.aliases = static_cast<int64_t>(out.aliases.size());
  return out;
}

void count_alias_use(std::span<const std::string> texts, const DictMatcher& with_mined,
                     const MinedAliases& mined, AliasUse& use) {
  use.matches.resize(mined.aliases.size(), 0);
  use.beside_other.resize(mined.aliases.size(), 0);
  std::vector<size_t> seen;
  for (const std::string& t : texts) {
    const auto tokens = text::tokenize_utf8(t);
    const auto spans = with_mined.match(tokens);
    seen.clear();
    for (const TokenSpan& m : spans) {
      if (!m.mined) continue;
      const auto text = text::join(std::span(tokens).subspan(m.first, m.last - m.first));
      const auto it =
          std::lower_bound(mined.aliases.begin(), mined.aliases.end(), text,
                           [](const MinedAlias& a, const std::u32string& b) { return a.text < b; });
      if (it == mined.aliases.end() || it->text != text) continue;  // cannot happen: no alias
      const auto a = static_cast<size_t>(it - mined.aliases.begin());
      if (std::find(seen.begin(), seen.end(), a) != seen.end()) continue;
      seen.push_back(a);
      ++use.matches[a];
      use.beside_other[a] += std::any_of(spans.begin(), spans.end(), [&](const TokenSpan& o) {
        return !o.mined && o.entity != m.entity;
      });
    }
  }
}

int64_t drop_context_aliases(MinedAliases& mined, const AliasUse& use, int64_t min_matches,
                             double max_share) {
  MinedAliases kept;
  for (size_t a = 0; a < mined.aliases.size(); ++a) {
    const bool context =
        use.matches[a] >= min_matches &&
        static_cast<double>(use.beside_other[a]) > max_share * static_cast<double>(use.matches[a]);
    if (context) continue;
    kept.aliases.push_back(std::move(mined.aliases[a]));
    kept.rule.push_back(mined.rule[a]);
  }
  const auto dropped = static_cast<int64_t>(mined.aliases.size() - kept.aliases.size());
  mined = std::move(kept);
  return dropped;
}

}  // namespace kerec::extract
