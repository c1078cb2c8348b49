// Baselines allgathered → phrase keys counted on their owner rank, live keys sent back (two
// alltoallv) → live phrases' tallies to their owner rank (alltoallv) → rules decided there →
// candidates allgathered, dominated phrases dropped, rules expanded to h.
#include "kerec/extract/phrase_rules.h"

#include "phrase_tally.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"
#include "kerec/util/utf8.h"

namespace kerec::extract {
namespace {

using phrase_tally::Cell;
using phrase_tally::Reader;
using phrase_tally::Tally;

using Tallies = std::unordered_map<std::u32string, Tally>;

struct BaseCount {
  int32_t reader = 0;
  int32_t target = 0;  // -1: the count of voted items `reader` is read in
  int64_t n = 0;
};

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

bool contains(std::span<const text::Token> hay, std::span<const text::Token> needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<ptrdiff_t>(i),
                   [](const auto& a, const auto& b) { return a.text == b.text; }))
      return true;
  return false;
}

// Per item of this rank: its dictionary mentions and the distinct entities they read.
struct Readings {
  std::vector<std::vector<Mention>> mentions;
  std::vector<std::vector<int32_t>> entities;

  explicit Readings(const TextRows& rows) : mentions(rows.size()), entities(rows.size()) {
    for (size_t r = 0; r < rows.size(); ++r)
      for (int64_t m = rows.mention_offsets[r]; m < rows.mention_offsets[r + 1]; ++m) {
        const Mention& mention = rows.mentions[static_cast<size_t>(m)];
        if (mention.source != kDict) continue;
        mentions[r].push_back(mention);
        auto& e = entities[r];
        if (std::find(e.begin(), e.end(), mention.entity) == e.end()) e.push_back(mention.entity);
      }
  }
};

// Collective: per entity D, the voted items read as D, and per H those whose vote generalises to H.
class Baselines {
 public:
  Baselines(dist::Comm& comm, const std::vector<int32_t>& vote, const Readings& readings,
            const std::vector<std::vector<int32_t>>& gen) {
    std::map<uint64_t, int64_t> local;
    for (size_t i = 0; i < vote.size(); ++i) {
      if (vote[i] < 0) continue;
      for (int32_t d : readings.entities[i]) {
        ++local[pair_key(d, -1)];
        for (int32_t h : gen[static_cast<size_t>(vote[i])]) ++local[pair_key(d, h)];
      }
    }
    std::vector<BaseCount> flat;
    for (const auto& [key, n] : local)
      flat.push_back(
          {static_cast<int32_t>(key >> 32), static_cast<int32_t>(static_cast<uint32_t>(key)), n});
    for (const BaseCount& c : dist::allgatherv(comm, std::span<const BaseCount>(flat)))
      counts_[pair_key(c.reader, c.target)] += c.n;
  }

  // Voted items read as `reader` (target -1), or those of them whose vote generalises to `target`.
  int64_t count(int32_t reader, int32_t target) const {
    const auto it = counts_.find(pair_key(reader, target));
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  std::unordered_map<uint64_t, int64_t> counts_;
};

using Span = std::pair<int32_t, int32_t>;  // code points [begin, end)

uint64_t phrase_key(const std::u32string& phrase) {
  return hash64(std::string_view(reinterpret_cast<const char*>(phrase.data()),
                                 phrase.size() * sizeof(char32_t)));
}

// Calls visit(phrase, span) for every phrase occurrence of one title; `phrase` is text::join of
// its tokens, built incrementally in one buffer.
template <class Visit>
void for_each_phrase(const std::vector<text::Token>& tokens, const PhraseRuleOptions& o,
                     Visit&& visit) {
  const size_t longest = static_cast<size_t>(std::max(o.max_tokens, o.max_cjk_chars));
  std::u32string phrase;
  for (size_t i = 0; i < tokens.size(); ++i) {
    bool cjk = false;
    phrase.clear();
    for (size_t n = 1; n <= longest && i + n <= tokens.size(); ++n) {
      const text::Token& t = tokens[i + n - 1];
      if (n > 1 && !t.cjk && !tokens[i + n - 2].cjk) phrase.push_back(U' ');
      phrase += t.text;
      cjk = cjk || t.cjk;
      const bool ok = cjk ? n >= 2 && n <= static_cast<size_t>(o.max_cjk_chars)
                          : n <= static_cast<size_t>(o.max_tokens);
      if (ok) visit(phrase, Span{tokens[i].begin, t.end});
    }
  }
}

// True when `span` lies inside one of `mentions`: there the dictionary's longer match wins, so the
// phrase as an alias would change nothing. A phrase is loose in an item where it is not.
bool inside_mention(const std::vector<Mention>& mentions, Span span) {
  return std::any_of(mentions.begin(), mentions.end(), [&](const Mention& m) {
    return m.begin <= span.first && span.second <= m.end;
  });
}

struct KeyCount {
  uint64_t key = 0;
  int64_t count = 0;
};

// Collective: the keys of the phrases that stand loose in at least min_support voted items (a
// phrase with fewer cannot reach min_support free votes). Every rank sends every key it has, so
// that each learns all of its live keys, also those only its unvoted items contain.
std::unordered_set<uint64_t> live_phrases(dist::Comm& comm, const PhraseItems& items,
                                          const Readings& readings, const PhraseRuleOptions& o,
                                          PhraseRuleStats& st) {
  std::unordered_map<uint64_t, int64_t> local;  // key → voted items where it is loose
  dist::run_agreed(comm, [&] {  // the stage's largest maps: an allocation failure stops every rank
    std::vector<std::pair<uint64_t, bool>> keys;
    for (size_t i = 0; i < items.rows->size(); ++i) {
      keys.clear();
      for_each_phrase(
          text::tokenize_utf8(items.rows->texts[i]), o, [&](const std::u32string& p, Span span) {
            keys.emplace_back(phrase_key(p), !inside_mention(readings.mentions[i], span));
          });
      std::sort(keys.begin(), keys.end());  // per key, a loose occurrence last
      const bool voted = (*items.vote)[i] >= 0;
      for (size_t k = 0; k < keys.size(); ++k)
        if (k + 1 == keys.size() || keys[k + 1].first != keys[k].first)
          local[keys[k].first] += voted && keys[k].second;
    }
  });
  const auto ranks = static_cast<uint64_t>(comm.size());
  std::vector<std::vector<KeyCount>> to_owner(ranks);
  for (const auto& [k, n] : local) to_owner[mix64(k) % ranks].push_back({k, n});
  const auto received = dist::alltoallv(comm, to_owner);
  std::unordered_map<uint64_t, int64_t> total;
  for (const auto& part : received)
    for (const KeyCount& kc : part) total[kc.key] += kc.count;
  for (const auto& [k, n] : total)
    st.phrases += n > 0, st.rejected_support += n > 0 && n < o.min_support;
  std::vector<std::vector<uint64_t>> reply(ranks);
  for (size_t r = 0; r < ranks; ++r)
    for (const KeyCount& kc : received[r])
      if (total[kc.key] >= o.min_support) reply[r].push_back(kc.key);
  std::unordered_set<uint64_t> live;
  for (const auto& part : dist::alltoallv(comm, reply)) live.insert(part.begin(), part.end());
  return live;
}

// The live phrases of one title, each with the spans where it occurs.
std::map<std::u32string, std::vector<Span>> phrases_of(const std::vector<text::Token>& tokens,
                                                       const PhraseRuleOptions& o,
                                                       const std::unordered_set<uint64_t>& live) {
  std::map<std::u32string, std::vector<Span>> out;
  for_each_phrase(tokens, o, [&](const std::u32string& p, Span span) {
    if (live.count(phrase_key(p))) out[p].push_back(span);
  });
  return out;
}

bool overlaps(const Mention& m, const std::vector<Span>& spans) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const Span& s) { return m.begin < s.second && s.first < m.end; });
}

// A mention that starts inside the phrase and ends after it: as an alias, the phrase would start
// first and take the mention's place ("yukily makeup" before "makeup remover"). One that starts
// before the phrase keeps its place (leftmost match), so it does no harm.
bool crosses(const Mention& m, const std::vector<Span>& spans) {
  return std::any_of(spans.begin(), spans.end(), [&](const Span& s) {
    return s.first < m.begin && m.begin < s.second && s.second < m.end;
  });
}

void insert_sorted(std::vector<int32_t>& set, const std::vector<int32_t>& values) {
  for (int32_t v : values) {
    const auto at = std::lower_bound(set.begin(), set.end(), v);
    if (at == set.end() || *at != v) set.insert(at, v);
  }
}

// The entities that mentions overlapping `spans` (covered) and the others (context) generalise
// to, each sorted and distinct.
void split_readings(const std::vector<Mention>& mentions, const std::vector<Span>& spans,
                    const std::vector<std::vector<int32_t>>& gen, std::vector<int32_t>& covered,
                    std::vector<int32_t>& context) {
  covered.clear(), context.clear();
  for (const Mention& m : mentions)
    insert_sorted(overlaps(m, spans) ? covered : context, gen[static_cast<size_t>(m.entity)]);
}

void count_item(Tally& t, int32_t vote, bool loose, const std::vector<int32_t>& vote_gen,
                const std::vector<int32_t>& read, const std::vector<int32_t>& covered,
                const std::vector<int32_t>& context) {
  ++t.items;
  if (vote >= 0) {
    ++t.voted;
    for (int32_t h : vote_gen) {
      Cell& c = t.cells[h];
      ++c.votes, c.direct += h == vote,
          c.free_votes += loose && !std::binary_search(covered.begin(), covered.end(), h);
    }
    for (int32_t d : read) {
      Reader& r = t.readers[d];
      ++r.voted;
      for (int32_t h : vote_gen) ++r.targets[h];
    }
  }
  if (vote >= 0)
    for (int32_t h : covered) ++t.cells[h].covered;
  for (int32_t h : context) ++t.cells[h].context;
}

// Local: this rank's items counted into per-phrase tallies.
Tallies count_phrases(const PhraseItems& items, const Readings& readings,
                      const std::vector<std::vector<int32_t>>& gen,
                      const std::unordered_set<uint64_t>& live, const PhraseRuleOptions& o) {
  Tallies out;
  std::vector<int32_t> covered, context;
  const std::vector<int32_t> none;
  for (size_t i = 0; i < items.rows->size(); ++i) {
    const int32_t v = (*items.vote)[i];
    const auto& vote_gen = v >= 0 ? gen[static_cast<size_t>(v)] : none;
    for (const auto& [phrase, spans] :
         phrases_of(text::tokenize_utf8(items.rows->texts[i]), o, live)) {
      split_readings(readings.mentions[i], spans, gen, covered, context);
      const auto& m = readings.mentions[i];
      const bool loose =
          std::any_of(spans.begin(), spans.end(), [&](Span s) { return !inside_mention(m, s); });
      Tally& t = out[phrase];
      count_item(t, v, loose, vote_gen, readings.entities[i], covered, context);
      t.crossing +=
          std::any_of(m.begin(), m.end(), [&](const Mention& x) { return crosses(x, spans); });
    }
  }
  return out;
}

// Collective: every phrase's tallies summed on the rank owning its hash. `local` is emptied. The
// records are encoded straight into one send buffer (sized by a first pass) and decoded straight
// from the receive buffer: the tallies are this stage's largest exchange, and per-rank parts
// copied into and out of it would hold them three times over.
std::map<std::u32string, Tally> sum_at_owners(dist::Comm& comm, Tallies&& local) {
  const auto ranks = static_cast<uint64_t>(comm.size());
  const auto owner = [&](const std::u32string& phrase) {
    return mix64(phrase_key(phrase)) % ranks;
  };
  std::vector<size_t> send_bytes(ranks, 0);
  std::vector<char> record;
  for (const auto& [phrase, t] : local) {
    record.clear();
    phrase_tally::encode(phrase, t, record);
    send_bytes[owner(phrase)] += record.size();
  }
  std::vector<size_t> cursor(ranks, 0);
  for (uint64_t r = 1; r < ranks; ++r) cursor[r] = cursor[r - 1] + send_bytes[r - 1];
  std::vector<std::byte> send(cursor.back() + send_bytes.back());
  for (const auto& [phrase, t] : local) {
    record.clear();
    phrase_tally::encode(phrase, t, record);
    std::memcpy(send.data() + cursor[owner(phrase)], record.data(), record.size());
    cursor[owner(phrase)] += record.size();
  }
  local = Tallies{};
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(send, send_bytes, recv, recv_bytes);
  send = std::vector<std::byte>{};
  std::map<std::u32string, Tally> mine;
  phrase_tally::decode_into({reinterpret_cast<const char*>(recv.data()), recv.size()}, mine);
  return mine;
}

struct Candidate {
  std::u32string phrase;
  int32_t entity = -1;
  int64_t votes = 0, voted = 0;  // free votes for the entity, voted items where it is not read
};

class Judge {
 public:
  Judge(const DictMatcher& matcher, const Baselines& base,
        const std::vector<std::vector<int32_t>>& gen, const PhraseRuleOptions& o)
      : o_(o), base_(base), gen_(gen), dictionary_(dictionary_strings(matcher)) {}

  // The rule this phrase makes, if any; counts the reason otherwise.
  std::optional<Candidate> decide(const std::u32string& phrase, const Tally& t,
                                  PhraseRuleStats& st) const {
    if (t.voted == 0) return std::nullopt;
    const auto best =
        std::max_element(t.cells.begin(), t.cells.end(), [](const auto& a, const auto& b) {
          const Cell &x = a.second, &y = b.second;
          return std::tie(x.free_votes, x.votes, x.direct, b.first) <
                 std::tie(y.free_votes, y.votes, y.direct, a.first);
        });
    const Cell& c = best->second;
    const auto share = [](int64_t n, double s, int64_t of) {
      return static_cast<double>(n) >= s * static_cast<double>(of);
    };
    if (dictionary_.count(phrase)) return ++st.rejected_dictionary, std::nullopt;
    if (c.free_votes < o_.min_support) return ++st.rejected_support, std::nullopt;
    // Of the voted items where H is not read over the phrase: a fragment of other names ("card"
    // inside "sim card", "gift card") has many, and few of them vote H.
    if (!share(c.free_votes, o_.min_share, t.voted - c.covered))
      return ++st.rejected_share, std::nullopt;
    if (static_cast<double>(std::max(c.context, t.crossing)) >
        o_.max_context_share * static_cast<double>(t.items))
      return ++st.rejected_context, std::nullopt;
    if (static_cast<double>(c.free_votes) < o_.min_lift * expected(t, best->first))
      return ++st.rejected_lift, std::nullopt;
    return Candidate{phrase, best->first, c.free_votes, t.voted - c.covered};
  }

 private:
  // The votes for h that the items' readings explain: per entity D read in them (other than h's
  // specialisations), the share of h among the votes of the items read as D that lack the phrase
  // (of all items read as D when every one of them has it).
  double expected(const Tally& t, int32_t h) const {
    std::vector<std::pair<int32_t, const Reader*>> readers;
    for (const auto& [d, r] : t.readers) readers.emplace_back(d, &r);
    std::sort(readers.begin(), readers.end());
    double sum = 0;
    for (const auto& [d, reader] : readers) {
      const Reader& r = *reader;
      const auto& g = gen_[static_cast<size_t>(d)];
      if (std::find(g.begin(), g.end(), h) != g.end()) continue;
      const auto k = r.targets.find(h);
      const int64_t own = k == r.targets.end() ? 0 : k->second;
      int64_t of = base_.count(d, -1) - r.voted, votes = base_.count(d, h) - own;
      if (of <= 0) of = base_.count(d, -1), votes = base_.count(d, h);
      sum += static_cast<double>(r.voted) * static_cast<double>(votes) / static_cast<double>(of);
    }
    return sum;
  }

  const PhraseRuleOptions& o_;
  const Baselines& base_;
  const std::vector<std::vector<int32_t>>& gen_;
  std::unordered_set<std::u32string> dictionary_;
};

std::string encode(const Candidate& c) {
  return utf8::encode(c.phrase) + '\t' + std::to_string(c.entity) + '\t' + std::to_string(c.votes) +
         '\t' + std::to_string(c.voted) + '\n';
}

std::vector<Candidate> decode_candidates(const std::vector<std::string>& parts) {
  std::vector<Candidate> out;
  for (const auto& part : parts) {
    std::istringstream in(part);
    std::string phrase;
    Candidate c;
    while (std::getline(in, phrase, '\t') && in >> c.entity >> c.votes >> c.voted) {
      in.ignore(1);
      c.phrase = utf8::decode(phrase);
      out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.phrase < b.phrase; });
  return out;
}

// Drops a candidate whose phrase lies inside a longer one's for the same entity that has at least
// `share` of its votes ("egg" inside "makeup egg"). The longer is kept, redundant or not: its
// aliases can reach further ("electric hot water kettle" where "water kettle" is a rule too).
std::vector<Candidate> drop_dominated(const std::vector<Candidate>& all, double share,
                                      int64_t& dropped) {
  std::unordered_map<int32_t, std::vector<size_t>> by_entity;
  for (size_t i = 0; i < all.size(); ++i) by_entity[all[i].entity].push_back(i);
  std::vector<Candidate> out;
  for (const Candidate& c : all) {
    const auto tokens = text::tokenize(c.phrase);
    const bool dominated =
        std::any_of(by_entity[c.entity].begin(), by_entity[c.entity].end(), [&](size_t j) {
          const Candidate& d = all[j];
          return d.phrase != c.phrase &&
                 static_cast<double>(d.votes) >= share * static_cast<double>(c.votes) &&
                 contains(text::tokenize(d.phrase), tokens);
        });
    if (dominated)
      ++dropped;
    else
      out.push_back(c);
  }
  return out;
}

std::vector<AliasRule> to_alias_rules(const std::vector<Candidate>& kept,
                                      const DictMatcher& matcher) {
  auto strings_of = strings_by_entity(matcher);
  std::vector<AliasRule> out;
  for (const Candidate& c : kept)
    for (const auto& h : strings_of[c.entity]) out.push_back({c.phrase, h, c.votes, c.voted});
  std::sort(out.begin(), out.end(), [](const AliasRule& a, const AliasRule& b) {
    return std::tie(a.from, a.to) < std::tie(b.from, b.to);
  });
  return out;
}

}  // namespace

std::vector<std::vector<int32_t>> generalizations(const DictMatcher& matcher, size_t entities) {
  std::unordered_map<std::u32string, int32_t> entity_of(matcher.strings().begin(),
                                                        matcher.strings().end());
  std::vector<std::vector<int32_t>> out(entities);
  for (size_t e = 0; e < entities; ++e) out[e].push_back(static_cast<int32_t>(e));
  for (const auto& [s, e] : matcher.strings()) {
    const auto tokens = text::tokenize(s);
    auto& gen = out[static_cast<size_t>(e)];
    for (size_t k = 1; k < tokens.size(); ++k) {
      const auto it = entity_of.find(text::join(std::span(tokens).subspan(k)));
      if (it != entity_of.end() && std::find(gen.begin(), gen.end(), it->second) == gen.end())
        gen.push_back(it->second);
    }
  }
  return out;
}

std::vector<AliasRule> mine_phrase_rules(dist::Comm& comm, const PhraseItems& items,
                                         const DictMatcher& matcher, size_t entities,
                                         const PhraseRuleOptions& o, PhraseRuleStats& st) {
  st = PhraseRuleStats{};
  const auto gen = generalizations(matcher, entities);
  const Readings readings(*items.rows);
  const Baselines base(comm, *items.vote, readings, gen);
  const auto live = live_phrases(comm, items, readings, o, st);
  Tallies counted;
  dist::run_agreed(comm, [&] { counted = count_phrases(items, readings, gen, live, o); });
  const auto owned = sum_at_owners(comm, std::move(counted));
  const Judge judge(matcher, base, gen, o);
  std::string accepted;
  for (const auto& [phrase, t] : owned)
    if (auto c = judge.decide(phrase, t, st)) accepted += encode(*c);
  dist::reduce_counters(comm, st);  // before dominated and rules are decided, below
  const auto kept = drop_dominated(decode_candidates(dist::allgather_strings(comm, accepted)),
                                   o.dominance_share, st.dominated);
  st.rules = static_cast<int64_t>(kept.size());
  return to_alias_rules(kept, matcher);
}

}  // namespace kerec::extract
