// String similarity over code-point n-grams, for linking a mention the dictionary does not know
// ("phnoe case", 奶油扔酪) to the closest entity name or alias.
//
// A string's profile is the set of its code-point n-grams for n in [n_min, n_max], computed on the
// string padded with one boundary mark at each end (so a shared first or last letter counts). The
// similarity of two strings is the Dice coefficient 2·|A∩B| / (|A| + |B|) of their profiles, in
// [0, 1]; 1 for equal strings, 0 when they share no n-gram. Inputs are normalised strings
// (text/normalize.h).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kerec::text {

struct NgramOrders {
  int n_min = 2;
  int n_max = 3;
};

// Sorted, de-duplicated 64-bit hashes of the padded n-grams of `s`.
std::vector<uint64_t> ngram_profile(std::u32string_view s, NgramOrders orders = {});

// Dice coefficient of two profiles from ngram_profile (0 when both are empty).
double dice(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// ngram similarity of two strings.
double similarity(std::u32string_view a, std::u32string_view b, NgramOrders orders = {});

// An inverted index from n-grams to strings, for finding the most similar of many strings without
// comparing against each one. Each string carries a caller's id (several strings may share one).
class NgramIndex {
 public:
  explicit NgramIndex(NgramOrders orders = {}) : orders_(orders) {}

  // Adds `s` with `id`; returns its string number (0, 1, ... in order of addition).
  int32_t add(std::u32string_view s, int32_t id);

  struct Hit {
    int32_t string = -1;  // string number, -1 when nothing shares an n-gram with the query
    int32_t id = -1;
    double score = 0.0;
  };
  // The most similar string; ties go to the lowest string number, so the answer is deterministic.
  Hit best(std::u32string_view query) const;

  size_t size() const { return ids_.size(); }

 private:
  NgramOrders orders_;
  std::vector<int32_t> ids_;                                     // per string: the caller's id
  std::vector<uint32_t> profile_sizes_;                          // per string: |profile|
  std::unordered_map<uint64_t, std::vector<int32_t>> postings_;  // n-gram -> string numbers
};

}  // namespace kerec::text
