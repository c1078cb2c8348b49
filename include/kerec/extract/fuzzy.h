// One-substitution matching of Chinese dictionary strings: finds misspellings such as 笔纪本支架
// for 笔记本支架 or 是水耳机架 for 防水耳机架, where one character was replaced by a look-alike or
// sound-alike. The n-gram linker misses these (one changed character breaks two of a short
// string's bigrams) and the dictionary often matches a shorter entity inside them (耳机架).
//
// Only strings of at least `min_length` CJK characters take part: with fewer, one substitution
// changes too large a share of the string to be told from a different word.
//
// A substitution is also a *rare* variant (noisy channel): the character pairs it makes with its
// neighbours must be at most `max_ratio` times as frequent in the corpus as the dictionary's pairs
// at that place (BigramCounts). 是水 is rare next to 防水, so 是水耳机架 is a misspelling; 天禾 (a
// brand) is as common as 天然, so 天禾按摩枪 is the brand and 按摩枪, not a misspelt 天然筋膜枪.
#pragma once
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/matcher.h"

namespace kerec::extract {

// Corpus counts of pairs of adjacent CJK characters, hashed into a fixed number of buckets (a
// collision only makes a pair look more frequent, so more cautious). Each rank counts its texts;
// merge() sums them (collective), after which every rank holds the same counts.
class BigramCounts {
 public:
  explicit BigramCounts(int bucket_bits = 20) : counts_(size_t{1} << bucket_bits, 0) {}
  // Counts saved by counts() (extractor_file.h); std::invalid_argument unless a power of two long.
  explicit BigramCounts(std::vector<int64_t> counts);
  std::span<const int64_t> counts() const { return counts_; }
  void add_text(std::span<const text::Token> tokens);
  void merge(dist::Comm& comm);
  int64_t count(char32_t a, char32_t b) const { return counts_[bucket(a, b)]; }

 private:
  size_t bucket(char32_t a, char32_t b) const;
  std::vector<int64_t> counts_;
};

// A window that equals a dictionary string of `span.entity` except at token `substituted`.
struct FuzzyMatch {
  TokenSpan span;
  int32_t substituted = 0;
};

class FuzzyMatcher {
 public:
  FuzzyMatcher(const DictMatcher& dict, int min_length, double max_ratio = 0.25);

  // False when no dictionary string qualifies (e.g. an English dictionary): match() finds nothing.
  bool active() const { return !lengths_.empty(); }
  // The corpus counts for the frequency test; null (the default) skips the test. Must outlive the
  // matcher.
  void set_bigrams(const BigramCounts* bigrams) { bigrams_ = bigrams; }

  // Windows of consecutive single-CJK-character tokens that equal, up to exactly one character,
  // the names or aliases of exactly one entity (a window that several entities fit is skipped, and
  // so is one that equals a dictionary string exactly: that is the dictionary's). Chosen longest
  // first, then leftmost; the result is sorted and non-overlapping.
  std::vector<FuzzyMatch> match(std::span<const text::Token> tokens) const;

  size_t keys() const { return keys_.size(); }

 private:
  struct Entry {
    int32_t entity;  // or kAmbiguous
    char32_t ch;     // the dictionary's character at the wildcard
  };
  bool rare_variant(std::span<const text::Token> tokens, size_t at, char32_t dict_ch) const;
  static constexpr int32_t kAmbiguous = -2;
  const BigramCounts* bigrams_ = nullptr;
  double max_ratio_;
  std::unordered_map<uint64_t, Entry> keys_;  // hash(window with one wildcard) -> entry
  std::unordered_map<uint64_t, int32_t>
      exact_;                     // hash(window) -> entity, for the exact-match check
  std::vector<int32_t> lengths_;  // the lengths (in characters) that occur, descending
};

}  // namespace kerec::extract
