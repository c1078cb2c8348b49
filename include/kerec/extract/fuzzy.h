// One-edit matching of Chinese dictionary strings: finds misspellings such as 笔纪本支架 for
// 笔记本支架 (a look-alike or sound-alike substituted), 葡萄杯酒 for 葡萄酒杯 (two adjacent
// characters swapped), 瑜垫 for 瑜伽垫 (one dropped) and 瑜伽伽垫 (one inserted). The n-gram linker
// misses these (one changed character breaks two of a short string's bigrams) and the dictionary
// often matches a shorter entity inside them (耳机架 in 是水耳机架).
//
// The index is symmetric-delete (as in SymSpell): every string of at least `min_length` CJK
// characters is stored under its own key and under the key of each one-character deletion. A
// window is looked up by its own key and by its deletions' keys; a hit is then checked to be
// exactly one edit away (one_edit), so hash collisions and two-edit coincidences are refused.
// Keys are polynomial hashes, so all the keys of a window cost O(length).
//
// Only strings of at least `min_length` CJK characters take part: with fewer, one edit changes
// too large a share of the string to be told from a different word. The exception is a swap of a
// two-character string (盘键 for 键盘), which keeps both characters (when any string takes part).
//
// An edit is also a *rare* variant (noisy channel): the character pairs the window makes, with one
// character of context either side, must be at most `max_ratio` times as frequent in the corpus
// as the pairs of the dictionary string they replace (CorpusCounts). A drop of the first or last
// character leaves a prefix or suffix of the name, which the pair with the next character alone
// cannot judge (that character varies from text to text): there the test is how often, in all
// texts, the prefix's last character is followed by anything but the dropped one, against how
// often by it (便利 is a word of its own, 天天便利 a shop, not 便利贴 without 贴); failing that,
// a prefix of 3+ characters that begins no other dictionary string still passes with the pair
// test (儿童运动 for 儿童运动鞋). 是水 is rare next to
// 防水, so 是水耳机架 is a misspelling; 天禾 (a brand) is as common as 天然, so 天禾护发素 is the
// brand and 护发素, not a misspelt 天然护发素; in 超薄手机绿色 the pair 绿色 is common, so it is
// not 超薄手机 with 绿 inserted.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/matcher.h"

namespace kerec::extract {

// Corpus counts of pairs of adjacent CJK characters, of each character's pairs, and of Latin
// words, hashed into one table of a fixed number of buckets (a collision only makes a pair or a
// word look more frequent, so more cautious). Each rank counts its texts; merge() sums them
// (collective), after which every rank holds the same counts.
class CorpusCounts {
 public:
  explicit CorpusCounts(int bucket_bits = 20) : counts_(size_t{1} << bucket_bits, 0) {}
  // Counts saved by counts() (extractor_file.h); std::invalid_argument unless a power of two long.
  explicit CorpusCounts(std::vector<int64_t> counts);
  std::span<const int64_t> counts() const { return counts_; }
  void add_text(std::span<const text::Token> tokens);
  void merge(dist::Comm& comm);
  int64_t count(char32_t a, char32_t b) const { return counts_[bucket(a, b)]; }
  // How often `a` is followed by a CJK character (any), and `b` preceded by one.
  int64_t followed(char32_t a) const { return count(a, kAny); }
  int64_t preceded(char32_t b) const { return count(kAny, b); }
  // How often the Latin token `word` occurs.
  int64_t word(std::u32string_view word) const { return counts_[word_bucket(word)]; }

 private:
  static constexpr char32_t kAny = 0xFFFFFFFF;  // the totals share the table with the pairs
  size_t bucket(char32_t a, char32_t b) const;
  size_t word_bucket(std::u32string_view word) const;
  std::vector<int64_t> counts_;
};

// One edit that turns a dictionary string into a text window, in the window's token positions:
// the tokens [first, last) of the window are the ones that disagree with the dictionary string
// (a substitution: one; an adjacent swap: two; an insertion: the inserted one; a drop: none, at
// the place of the missing character; a corrected Latin word: none, at its place, since it agrees
// with the name's word but for one letter).
enum class EditKind : uint8_t { kSubstitute, kSwap, kInsert, kDrop };
struct Edit {
  EditKind kind = EditKind::kSubstitute;
  int32_t first = 0, last = 0;
};

// The one edit from `dict` to `window` (restricted Damerau-Levenshtein distance 1), if it is one.
std::optional<Edit> one_edit(std::u32string_view window, std::u32string_view dict);

// A window that equals a dictionary string of `span.entity` up to one edit; `edit` in the
// text's token positions.
struct FuzzyMatch {
  TokenSpan span;
  Edit edit;
};

// Misspelt Latin words are corrected before the dictionary reads the text: a token of at least
// kMinLetters letters that is no dictionary word but one edit from exactly one dictionary word of
// at least kMinLetters letters (the same symmetric-delete index over the words), and at most
// `max_ratio` times as frequent in the corpus as that word (noisy channel: "gamng" is rare next to
// "gaming"; "mint" is as common as "mini" and stays), is read as that word. Each dictionary match
// of the corrected text that covers a corrected word is a match ("gamng phone case" is gaming
// phone case, where the dictionary alone reads phone case). Shorter words take no part: one edit
// in three letters is too often another word (pan, pen).
class FuzzyMatcher {
 public:
  static constexpr size_t kMinLetters = 4;
  static constexpr size_t kMaxLetters = 32;  // longer tokens are not corrected

  FuzzyMatcher(const DictMatcher& dict, int min_length, double max_ratio = 0.25);

  // False when no dictionary string or word qualifies: match() finds nothing.
  bool active() const { return !window_lengths_.empty() || !words_.empty(); }
  // The corpus counts for the frequency test; null (the default) skips the test. Must outlive the
  // matcher.
  void set_bigrams(const CorpusCounts* bigrams) { bigrams_ = bigrams; }

  // Windows of consecutive single-CJK-character tokens that are one edit (substitution, adjacent
  // swap, insertion inside the string, or drop) from the names or aliases of exactly one entity
  // (a window that several entities fit is skipped; one that equals a dictionary string, or is one
  // with a character added at either end, is the dictionary's, and so are the no longer windows
  // that overlap an exact one) and pass the frequency test. Chosen longest first, then leftmost;
  // the result is sorted and non-overlapping.
  std::vector<FuzzyMatch> match(std::span<const text::Token> tokens) const;

  size_t keys() const { return full_.size() + deletes_.size() + word_keys_.size(); }

 private:
  struct Candidate {
    int32_t string;
    Edit edit;  // in window positions
  };
  void add_key(std::unordered_multimap<uint64_t, int32_t>& map, uint64_t key, int32_t string);
  bool may_hold(uint64_t key) const { return filter_[(key >> 6) & kFilterMask] >> (key & 63) & 1; }
  bool exact(std::u32string_view window, uint64_t key) const;
  void candidates(std::u32string_view window, std::span<const uint64_t> keys,
                  std::vector<Candidate>& out) const;
  bool rare_variant(std::span<const text::Token> tokens, size_t first, size_t length,
                    const std::u32string& dict, const Edit& edit) const;
  bool rare_edge_drop(std::u32string_view dict, const Edit& edit) const;
  bool unique_edge(std::u32string_view part, bool suffix) const;
  void index_word(const std::u32string& word);
  int32_t correction(const std::u32string& token) const;  // a word index, or -1
  void match_windows(std::span<const text::Token> tokens, std::vector<char>& taken,
                     std::vector<FuzzyMatch>& found) const;
  void match_words(std::span<const text::Token> tokens, std::vector<char>& taken,
                   std::vector<FuzzyMatch>& found) const;

  static constexpr size_t kFilterWords = size_t{1} << 14;  // 2^20 bits: 128 KiB, in cache
  static constexpr uint64_t kFilterMask = kFilterWords - 1;
  const CorpusCounts* bigrams_ = nullptr;
  double max_ratio_;
  std::vector<std::u32string> strings_;  // the all-CJK dictionary strings
  std::vector<int32_t> entity_;          // ... their entities
  std::vector<char> target_;             // ... long enough to be matched with an edit
  // key(string) and key(string with one character deleted) -> string index, for targets (full_
  // also holds every other all-CJK string, for the exact-match test).
  std::unordered_multimap<uint64_t, int32_t> full_, deletes_;
  std::vector<uint64_t> filter_;         // a bit per key hash: most windows miss without a lookup
  std::vector<int32_t> window_lengths_;  // target lengths and one either side, descending
  // key(proper prefix or suffix of 2+ characters) ^ salt -> the CJK strings that have it.
  static constexpr uint64_t kPrefixSalt = 0x7072656669780000ULL,
                            kSuffixSalt = 0x7375666669780000ULL;
  std::unordered_map<uint64_t, int32_t> edges_;
  const DictMatcher* dict_;
  std::vector<std::u32string> words_;  // the Latin dictionary words of kMinLetters or more
  // key(word) and key(word less one letter) -> word index.
  std::unordered_multimap<uint64_t, int32_t> word_keys_;
  std::unordered_map<std::u32string, int32_t> word_index_;
};

}  // namespace kerec::extract
