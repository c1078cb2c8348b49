// Candidate entities for LLM linking (llm/link.h): the entities whose dictionary strings share the
// most with a mention, scored by the features they share — CJK characters and the character
// trigrams of Latin words ("^ga", "gam", ..., "ng$") — each weighted by its inverse document
// frequency over the entities, divided by the square root of the entity's own weight (a long name
// does not win by length alone). Read-only after construction: safe to share between threads.
#pragma once
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kerec/extract/entity_dict.h"

namespace kerec::extract {

class CandidateIndex {
 public:
  explicit CandidateIndex(const EntityDict& dict);

  // Up to `n` entity indices, best first (ties: the lower index); entities sharing nothing are
  // never candidates.
  std::vector<int32_t> top(std::string_view mention_utf8, size_t n) const;

  // The distinct features of a (normalised) string, as hashes (exposed for tests).
  static std::vector<uint64_t> features(std::u32string_view normalised);

 private:
  std::unordered_map<uint64_t, std::vector<int32_t>> postings_;  // feature -> entities (sorted)
  std::vector<double> norm_;                                     // per entity: sqrt(sum of idf)
  double entities_ = 0;
  double idf(size_t df) const;
};

}  // namespace kerec::extract
