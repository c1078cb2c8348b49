#include "kerec/text/normalize.h"

#include <iterator>

#include "kerec/util/utf8.h"

namespace kerec::text {
namespace {

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x3000 || c == 0x202F || c == 0x205F;
}

// Simple lower-casing of Latin-1, Latin Extended-A, Greek and Cyrillic capitals.
char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if (c <= 0xDE) return c == 0xD7 ? c : c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    const bool even_upper = (c <= 0x137) || (c >= 0x14A && c <= 0x177);
    if (even_upper) return (c % 2 == 0) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    return (c % 2 == 1 && c != 0x17F) ? c + 1 : c;  // 0x139..0x148, 0x179..0x17E: odd is upper
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

bool is_cjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool is_word(char32_t c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) return true;
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  return (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x4FF);
}

}  // namespace

char32_t fold(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (is_space(c)) return ' ';
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63) return '-';
  return lower(c);
}

CharClass classify(char32_t folded) {
  if (is_cjk(folded)) return CharClass::kCjk;
  return is_word(folded) ? CharClass::kWord : CharClass::kSeparator;
}

std::vector<Token> tokenize(std::u32string_view code_points) {
  std::vector<Token> tokens;
  tokens.reserve(code_points.size() / 4 + 4);  // titles average about 5 code points per token
  for (size_t i = 0; i < code_points.size();) {
    const char32_t c = fold(code_points[i]);
    const CharClass k = classify(c);
    const auto begin = static_cast<int32_t>(i);
    if (k == CharClass::kCjk) tokens.push_back(Token{std::u32string(1, c), begin, begin + 1, true});
    if (k != CharClass::kWord) {
      ++i;
      continue;
    }
    // A word: its folded characters, allocated once (most are longer than the short-string
    // buffer of a u32string, 3 code points).
    char32_t word[64];
    size_t n = 0;
    std::u32string text;
    for (char32_t f = c; classify(f) == CharClass::kWord;) {
      if (n == std::size(word)) text.append(word, n), n = 0;
      word[n++] = f;
      if (++i == code_points.size()) break;
      f = fold(code_points[i]);
    }
    text.append(word, n);
    tokens.push_back(Token{std::move(text), begin, static_cast<int32_t>(i), false});
  }
  return tokens;
}

std::vector<Token> tokenize_utf8(std::string_view utf8) { return tokenize(utf8::decode(utf8)); }

std::u32string join(std::span<const Token> tokens) {
  std::u32string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0 && !tokens[i].cjk && !tokens[i - 1].cjk) out.push_back(' ');
    out += tokens[i].text;
  }
  return out;
}

std::u32string normalize(std::string_view utf8) { return join(tokenize_utf8(utf8)); }

}  // namespace kerec::text
