#include "kerec/extract/extractor.h"

#include <algorithm>

#include "kerec/util/utf8.h"

namespace kerec::extract {

void ExtractCounters::add(const ExtractCounters& o) {
  texts += o.texts, dict_mentions += o.dict_mentions, mined_mentions += o.mined_mentions,
      tagger_spans += o.tagger_spans;
  tagger_in_dict += o.tagger_in_dict, tagger_overlap_dropped += o.tagger_overlap_dropped;
  dict_replaced += o.dict_replaced, tagger_linked += o.tagger_linked, unknown += o.unknown;
  fuzzy_matches += o.fuzzy_matches, fuzzy_mentions += o.fuzzy_mentions,
      fuzzy_replaced += o.fuzzy_replaced;
  fuzzy_dropped += o.fuzzy_dropped;
}

Linker::Linker(const DictMatcher& matcher, text::NgramOrders orders) : index_(orders) {
  for (const auto& [s, entity] : matcher.strings()) index_.add(s, entity);
}

Extractor::Extractor(const DictMatcher& matcher, const FeatureExtractor& features,
                     const CrfModel* model, const Linker& linker, double link_threshold,
                     const FuzzyMatcher* fuzzy)
    : matcher_(matcher),
      features_(features),
      model_(model),
      linker_(linker),
      link_threshold_(link_threshold),
      fuzzy_(fuzzy) {}

namespace {

struct Candidate {
  TokenSpan span;
  uint8_t source;
};

// Dictionary spans overlapping tokens [first, last).
std::vector<size_t> overlapping(const std::vector<Candidate>& dict, int32_t first, int32_t last) {
  std::vector<size_t> out;
  for (size_t i = 0; i < dict.size(); ++i)
    if (dict[i].span.first < last && first < dict[i].span.last) out.push_back(i);
  return out;
}

// Whether fuzzy match `m` may replace the mentions `hits` it overlaps (rules of extractor.h): it
// must contain them, and agree with the text somewhere outside them, unless they all name its own
// entity (无香洗甲 and 甲水, mined from misspelt titles, inside 无香洗甲甲水). "超薄手机绿" is the
// mention 超薄手机 and a colour, not a misspelling of 超薄手机壳: its only character beyond the
// mention is the substituted one. Swapped characters are the name's own, so they agree (瓷陶鱼缸
// is 陶瓷鱼缸, not the mention 鱼缸 and two other characters).
bool fuzzy_fits(const FuzzyMatch& m, const std::vector<Candidate>& kept,
                const std::vector<size_t>& hits) {
  const TokenSpan& f = m.span;
  bool contained = true, same_entity = true;
  int32_t inside = 0;
  for (size_t h : hits) {
    const TokenSpan& k = kept[h].span;
    contained &= f.first <= k.first && k.last <= f.last && k.last - k.first < f.last - f.first;
    same_entity &= k.entity == f.entity;
    inside += k.last - k.first;
  }
  if (!contained) return false;
  if (hits.empty() || same_entity) return true;
  int32_t edited_outside = 0;  // tokens of the edit beyond every mention
  for (int32_t t = m.edit.first; t < m.edit.last && m.edit.kind != EditKind::kSwap; ++t)
    edited_outside += std::none_of(hits.begin(), hits.end(), [&](size_t h) {
      return kept[h].span.first <= t && t < kept[h].span.last;
    });
  return f.last - f.first - inside - edited_outside > 0;
}

void add_fuzzy(const std::vector<FuzzyMatch>& fuzzy, std::vector<Candidate>& kept,
               ExtractCounters& c) {
  for (const FuzzyMatch& m : fuzzy) {
    ++c.fuzzy_matches;
    const auto hits = overlapping(kept, m.span.first, m.span.last);
    if (!fuzzy_fits(m, kept, hits)) {
      ++c.fuzzy_dropped;
      continue;
    }
    for (size_t i = hits.size(); i-- > 0;)
      kept.erase(kept.begin() + static_cast<ptrdiff_t>(hits[i]));
    c.fuzzy_replaced += static_cast<int64_t>(hits.size());
    kept.push_back({m.span, kFuzzy});
  }
}

}  // namespace

void Extractor::extract(std::string_view utf8_text, std::vector<Mention>& out, ExtractCounters& c,
                        UnknownMentions& unknown, UnknownMentions* doubtful) const {
  const std::u32string code_points = utf8::decode(utf8_text);
  const auto tokens = text::tokenize(code_points);
  const auto dict = matcher_.match(tokens);
  ++c.texts;
  std::vector<Candidate> kept;
  for (const auto& d : dict) kept.push_back({d, d.mined ? kMined : kDict});
  if (model_ && !tokens.empty()) {
    const auto tags = model_->viterbi(features_.extract(tokens, dict, {true, model_, {}}));
    for (const auto& [first, last] : spans_of(tags)) {
      ++c.tagger_spans;
      const auto hits = overlapping(kept, first, last);
      const bool inside =
          hits.size() == 1 && kept[hits[0]].span.first <= first && last <= kept[hits[0]].span.last;
      if (inside) {
        ++c.tagger_in_dict;
        continue;
      }
      const auto mention = text::join(std::span(tokens).subspan(first, last - first));
      const auto hit = linker_.link(mention);
      const bool linked = hit.id >= 0 && hit.score >= link_threshold_;
      if (!hits.empty()) {
        bool contains_all = true, other_entity = true;
        for (size_t h : hits) {
          contains_all &= first <= kept[h].span.first && kept[h].span.last <= last;
          other_entity &= kept[h].span.entity != hit.id;
        }
        if (!(linked && contains_all && other_entity)) {
          ++c.tagger_overlap_dropped;
          continue;
        }
        for (size_t i = hits.size(); i-- > 0;)
          kept.erase(kept.begin() + static_cast<ptrdiff_t>(hits[i]));
        c.dict_replaced += static_cast<int64_t>(hits.size());
      }
      const bool doubt = linked && doubtful && hit.score < doubtful_below_;
      if (!linked || doubt) {
        auto& u = (linked ? *doubtful : unknown)[utf8::encode(mention)];
        if (u.count++ == 0) {
          const int32_t b = tokens[first].begin, e = tokens[last - 1].end;
          u.example = utf8::encode(std::u32string_view(code_points).substr(b, e - b));
          u.context = std::string(utf8_text);
          u.best_score = hit.score, u.best_entity = hit.id;
        }
      }
      if (!linked) {
        ++c.unknown;
        continue;
      }
      kept.push_back({TokenSpan{first, last, hit.id}, kTagger});
    }
  }
  if (fuzzy_) add_fuzzy(fuzzy_->match(tokens), kept, c);
  std::sort(kept.begin(), kept.end(),
            [](const Candidate& a, const Candidate& b) { return a.span.first < b.span.first; });
  for (const auto& k : kept) {
    out.push_back(
        Mention{k.span.entity, tokens[k.span.first].begin, tokens[k.span.last - 1].end, k.source});
    const bool dict_layer = k.source == kDict || k.source == kMined;
    (dict_layer ? c.dict_mentions : k.source == kTagger ? c.tagger_linked : c.fuzzy_mentions) += 1;
    c.mined_mentions += k.source == kMined;
  }
}

std::vector<TokenSpan> Extractor::tagger_spans(std::span<const text::Token> tokens) const {
  std::vector<TokenSpan> out;
  if (!model_ || tokens.empty()) return out;
  const auto dict = matcher_.match(tokens);
  for (const auto& [first, last] :
       spans_of(model_->viterbi(features_.extract(tokens, dict, {true, model_, {}}))))
    out.push_back({first, last, -1});
  return out;
}

}  // namespace kerec::extract
