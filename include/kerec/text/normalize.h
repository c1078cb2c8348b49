// Unicode normalisation and tokenisation for matching entity names against titles and bill texts.
//
// Folding is one code point to one code point, so every normalised character keeps the index of the
// original code point it came from (spans are reported in the original text's code points):
//   - Latin, Greek and Cyrillic case folding (simple, 1:1: 'É' -> 'é'; no 'ß' -> "ss");
//   - full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space U+3000 -> ' ';
//   - every dash and hyphen (U+2010..U+2015, U+2212, U+FE63) -> '-'.
// Tokens: a maximal run of word characters (letters and digits of non-CJK scripts) is one token;
// each CJK code point (Han, kana, Hangul) is a token of its own (CJK text has no spaces);
// everything else (whitespace, punctuation, symbols) separates tokens and is dropped, so
// "E-Reader", "e reader" and "e‐reader," all give the tokens ["e", "reader"].
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::text {

// The 1:1 fold of one code point (case, width, dashes, whitespace to ' ').
char32_t fold(char32_t c);

enum class CharClass : uint8_t { kSeparator, kWord, kCjk };

// Class of an already folded code point.
CharClass classify(char32_t folded);

struct Token {
  std::u32string text;  // folded code points
  int32_t begin = 0;    // code point index of the first character in the original text
  int32_t end = 0;      // one past the last character's index in the original text
  bool cjk = false;     // a single CJK code point
};

// Tokens of `code_points` in order.
std::vector<Token> tokenize(std::u32string_view code_points);

// Decodes `utf8` (InputError "invalid UTF-8 at byte N" when ill-formed) and tokenises it.
std::vector<Token> tokenize_utf8(std::string_view utf8);

// The canonical string of a token sequence: Latin tokens joined by one space, no space next to a
// CJK token ("rugged phone case", "防摔手机壳", "m码"). Equal keys mean equal token sequences.
std::u32string join(std::span<const Token> tokens);

// join(tokenize_utf8(utf8)): the normalised form of a name, an alias or a mention.
std::u32string normalize(std::string_view utf8);

}  // namespace kerec::text
