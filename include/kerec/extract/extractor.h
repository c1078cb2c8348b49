// The two layers together, for one text (an item title or a bill text):
//   1. the dictionary matcher's mentions (source kDict; kMined for a mined alias, alias_mining.h);
//   2. the tagger's spans (Viterbi over the CRF), each linked to the entity whose normalised name
//   or
//      alias is most similar by code-point n-grams (text/similarity.h):
//      - a span inside a dictionary mention agrees with the dictionary and adds nothing;
//      - a span that strictly contains dictionary mentions ("phone caes" around "phone") replaces
//        them when it links, at or above the threshold, to another entity (source kTagger);
//      - any other span overlapping a dictionary mention is dropped (counted);
//      - a free span is a mention (kTagger) when its similarity reaches the threshold, else an
//        unknown mention (reported for review, not in the output);
//   3. the fuzzy matcher's one-edit matches of Chinese strings (fuzzy.h), source kFuzzy: a match
//      that overlaps no mention is added; one that strictly contains the mentions it overlaps
//      replaces them (是水耳机架 → 防水耳机架 instead of the dictionary's 耳机架) if they all name
//      its entity or some character beyond them agrees with the dictionary string; any other is
//      dropped.
// Spans are code points of the original text, end exclusive.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kerec/dist/counters.h"
#include "kerec/extract/crf.h"
#include "kerec/extract/features.h"
#include "kerec/extract/fuzzy.h"
#include "kerec/extract/matcher.h"
#include "kerec/text/similarity.h"

namespace kerec::extract {

enum Source : uint8_t { kDict = 0, kTagger = 1, kFuzzy = 2, kMined = 3 };

struct Mention {
  int32_t entity = -1;
  int32_t begin = 0;  // code points, end exclusive
  int32_t end = 0;
  uint8_t source = kDict;
};

struct ExtractCounters {
  int64_t texts = 0;
  int64_t dict_mentions = 0;   // kept dictionary mentions
  int64_t mined_mentions = 0;  // ... of them, mined aliases
  int64_t tagger_spans = 0;    // all spans the tagger found
  int64_t tagger_in_dict = 0;  // inside a dictionary mention (agreement)
  int64_t tagger_overlap_dropped = 0;
  int64_t dict_replaced = 0;   // dictionary mentions replaced by a longer tagger mention
  int64_t tagger_linked = 0;   // tagger mentions in the output
  int64_t unknown = 0;         // tagger spans below the link threshold
  int64_t fuzzy_matches = 0;   // one-edit matches found
  int64_t fuzzy_mentions = 0;  // ... kept in the output
  int64_t fuzzy_replaced = 0;  // dictionary or tagger mentions they replaced
  int64_t fuzzy_dropped = 0;   // ... dropped for a partial overlap
  void add(const ExtractCounters& o);
  static constexpr auto counters() {  // dist/counters.h: the report's names, summed over ranks
    using C = dist::Counter<ExtractCounters>;
    return std::array{C{"texts", &ExtractCounters::texts},
                      C{"dict_mentions", &ExtractCounters::dict_mentions},
                      C{"tagger_spans", &ExtractCounters::tagger_spans},
                      C{"tagger_inside_dict", &ExtractCounters::tagger_in_dict},
                      C{"tagger_overlap_dropped", &ExtractCounters::tagger_overlap_dropped},
                      C{"dict_replaced_by_tagger", &ExtractCounters::dict_replaced},
                      C{"tagger_mentions", &ExtractCounters::tagger_linked},
                      C{"unknown_mentions", &ExtractCounters::unknown},
                      C{"mined_alias_mentions", &ExtractCounters::mined_mentions},
                      C{"fuzzy_matches", &ExtractCounters::fuzzy_matches},
                      C{"fuzzy_mentions", &ExtractCounters::fuzzy_mentions},
                      C{"fuzzy_replaced", &ExtractCounters::fuzzy_replaced},
                      C{"fuzzy_dropped", &ExtractCounters::fuzzy_dropped}};
  }
};

// Unknown mentions by normalised text: how often, and one original spelling.
struct UnknownMention {
  int64_t count = 0;
  std::string example;
  std::string context;      // the text of that occurrence
  double best_score = 0.0;  // similarity to the closest dictionary string
  int32_t best_entity = -1;
};
using UnknownMentions = std::unordered_map<std::string, UnknownMention>;

class Linker {
 public:
  Linker(const DictMatcher& matcher, text::NgramOrders orders);
  // The closest dictionary string: its entity (Hit::id, -1 when none shares an n-gram) and
  // similarity.
  text::NgramIndex::Hit link(const std::u32string& normalised) const {
    return index_.best(normalised);
  }

 private:
  text::NgramIndex index_;
};

class Extractor {
 public:
  // `model` may be null: dictionary only.
  Extractor(const DictMatcher& matcher, const FeatureExtractor& features, const CrfModel* model,
            const Linker& linker, double link_threshold, const FuzzyMatcher* fuzzy = nullptr);

  // Appends the text's mentions (sorted by begin) to `out`; counts into `counters`; records unknown
  // mentions in `unknown` and, when `doubtful` is given, the tagger spans linked with a similarity
  // below doubtful_below() (best_entity: the entity they were linked to; they stay mentions).
  // InputError for invalid UTF-8.
  void extract(std::string_view text, std::vector<Mention>& out, ExtractCounters& counters,
               UnknownMentions& unknown, UnknownMentions* doubtful = nullptr) const;

  // Doubtful links (above): similarity in [link_threshold, below). Default 0: none.
  void set_doubtful_below(double below) { doubtful_below_ = below; }
  double doubtful_below() const { return doubtful_below_; }

  // The tagger's spans of `tokens` (entity -1), before any linking; empty without a model.
  std::vector<TokenSpan> tagger_spans(std::span<const text::Token> tokens) const;

 private:
  const DictMatcher& matcher_;
  const FeatureExtractor& features_;
  const CrfModel* model_;
  const Linker& linker_;
  double link_threshold_;
  double doubtful_below_ = 0.0;
  const FuzzyMatcher* fuzzy_;
};

}  // namespace kerec::extract
