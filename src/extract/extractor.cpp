#include "kerec/extract/extractor.h"

#include <algorithm>

#include "kerec/util/utf8.h"

namespace kerec::extract {

void ExtractCounters::add(const ExtractCounters& o) {
  texts += o.texts, dict_mentions += o.dict_mentions, tagger_spans += o.tagger_spans;
  tagger_in_dict += o.tagger_in_dict, tagger_overlap_dropped += o.tagger_overlap_dropped;
  dict_replaced += o.dict_replaced, tagger_linked += o.tagger_linked, unknown += o.unknown;
}

Linker::Linker(const DictMatcher& matcher, text::NgramOrders orders) : index_(orders) {
  for (const auto& [s, entity] : matcher.strings()) index_.add(s, entity);
}

Extractor::Extractor(const DictMatcher& matcher, const FeatureExtractor& features, const CrfModel* model,
                     const Linker& linker, double link_threshold)
    : matcher_(matcher), features_(features), model_(model), linker_(linker), link_threshold_(link_threshold) {}

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

}  // namespace

void Extractor::extract(std::string_view utf8_text, std::vector<Mention>& out, ExtractCounters& c,
                        UnknownMentions& unknown) const {
  const std::u32string code_points = utf8::decode(utf8_text);
  const auto tokens = text::tokenize(code_points);
  const auto dict = matcher_.match(tokens);
  ++c.texts;
  std::vector<Candidate> kept;
  for (const auto& d : dict) kept.push_back({d, kDict});
  if (model_ && !tokens.empty()) {
    const auto tags = model_->viterbi(features_.extract(tokens, dict, {true, model_, {}}));
    for (const auto& [first, last] : spans_of(tags)) {
      ++c.tagger_spans;
      const auto hits = overlapping(kept, first, last);
      const bool inside = hits.size() == 1 && kept[hits[0]].span.first <= first && last <= kept[hits[0]].span.last;
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
        for (size_t i = hits.size(); i-- > 0;) kept.erase(kept.begin() + static_cast<ptrdiff_t>(hits[i]));
        c.dict_replaced += static_cast<int64_t>(hits.size());
      }
      if (!linked) {
        ++c.unknown;
        auto& u = unknown[utf8::encode(mention)];
        if (u.count++ == 0) {
          const int32_t b = tokens[first].begin, e = tokens[last - 1].end;
          u.example = utf8::encode(std::u32string_view(code_points).substr(b, e - b));
          u.best_score = hit.score, u.best_entity = hit.id;
        }
        continue;
      }
      kept.push_back({TokenSpan{first, last, hit.id}, kTagger});
    }
  }
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) { return a.span.first < b.span.first; });
  for (const auto& k : kept) {
    out.push_back(Mention{k.span.entity, tokens[k.span.first].begin, tokens[k.span.last - 1].end, k.source});
    (k.source == kDict ? c.dict_mentions : c.tagger_linked) += 1;
  }
}

}  // namespace kerec::extract
