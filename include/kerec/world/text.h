// Text helpers of the world generator: '|' lists, UTF-8 code points, misspellings, and the
// dictionary index that keeps gold mention spans honest (no dictionary string outside them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kerec/util/rng.h"

namespace kerec::world {

// "a|b|c" -> {"a","b","c"}; "" -> {}.
std::vector<std::string> split(std::string_view text, char separator);

// Number of code points of valid UTF-8 `text`.
size_t utf8_length(std::string_view text);
// True if `text` is well-formed UTF-8 (no overlongs, surrogates or truncated sequences).
bool valid_utf8(std::string_view text);
// Byte length of the UTF-8 sequence starting with lead byte `lead` (1 for invalid leads).
size_t utf8_sequence_length(unsigned char lead);
// The code points of `text`, each as a view into it.
std::vector<std::string_view> utf8_chars(std::string_view text);
// ASCII letters lower-cased; other bytes unchanged (so UTF-8 stays valid).
std::string ascii_lower(std::string_view text);

// All Entity Dict strings (names and aliases), ASCII-lower-cased, for exact lookup and for finding
// dictionary matches inside a text. Latin matches run from a word start to a word end (words are
// runs of ASCII letters, digits and non-ASCII bytes); CJK matches may start at any code point.
class DictIndex {
 public:
  // Hash and equality that also take string_view (C++20 heterogeneous lookup).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;

  explicit DictIndex(bool cjk) : cjk_(cjk) {}
  // Returns false (and adds nothing) if `text` is already present.
  bool add(std::string_view text);
  bool contains(std::string_view text) const;
  const Set& strings() const { return strings_; }

  // True if some dictionary string occurs in `text` at a byte range that does not overlap
  // [span_begin, span_end). Such a match would be a mention without a gold span.
  bool has_match_outside(std::string_view text, size_t span_begin, size_t span_end) const;

 private:
  bool cjk_;
  size_t max_bytes_ = 0;
  Set strings_;
};

// The kinds of one-edit typos people make, as relative weights (world.typo_*_weight). Each typo
// draws its kind by weight; a kind the text cannot take (a drop from a two-character Chinese
// name, a swap of two equal characters) falls back to a substitution.
struct TypoMix {
  double swap = 1.0;  // two adjacent letters or characters exchanged: 葡萄杯酒 for 葡萄酒杯
  double drop = 1.0;  // one left out: 瑜垫 for 瑜伽垫, "cofee"
  double insert = 1.0;      // one added: a doubled letter, a doubled or look-alike character
  double substitute = 1.0;  // one replaced: a keyboard neighbour, a look-alike or sound-alike
};

// A typo of `text` that is not a dictionary string, or "" if none was found in a few tries.
// Latin: one edit inside a word of 4+ letters, never its first letter. CJK: one edit among the
// non-ASCII characters; a drop needs three of them (so two stay).
std::string misspell(std::string_view text, bool cjk, const DictIndex& dict, Rng& rng,
                     const TypoMix& mix = {});

}  // namespace kerec::world
