#include "kerec/world/text.h"

#include <algorithm>
#include <cstring>

#include "kerec/world/lexicon.h"

namespace kerec::world {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t begin = 0;
  while (true) {
    const size_t end = text.find(separator, begin);
    out.emplace_back(text.substr(begin, end == std::string_view::npos ? text.npos : end - begin));
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    const size_t len = utf8_sequence_length(c);
    if (len == 1) {
      if (c >= 0x80) return false;
      ++i;
      continue;
    }
    if (i + len > n) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::vector<std::string_view> utf8_chars(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    const size_t len = std::min(utf8_sequence_length(text[i]), text.size() - i);
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---- misspellings ----

static const char* keyboard_neighbours(char c) {
  static const char* const kRows[26] = {
      "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
      "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
      "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx"};
  return (c >= 'a' && c <= 'z') ? kRows[c - 'a'] : "aeiou";
}

static bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

enum class TypoKind { kSwap, kDrop, kInsert, kSubstitute };

static TypoKind draw_kind(const TypoMix& mix, Rng& rng) {
  const double total = mix.swap + mix.drop + mix.insert + mix.substitute;
  double u = rng.uniform() * total;
  if ((u -= mix.swap) < 0) return TypoKind::kSwap;
  if ((u -= mix.drop) < 0) return TypoKind::kDrop;
  if ((u -= mix.insert) < 0) return TypoKind::kInsert;
  return TypoKind::kSubstitute;
}

// One edit at a letter position inside a word of 4+ letters (not the word's first letter).
static std::string latin_typo(std::string_view text, TypoKind kind, Rng& rng) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    while (j < text.size() && is_letter(text[j])) ++j;
    if (j - i >= 4) {
      for (size_t k = i + 1; k < j; ++k) positions.push_back(k);
    }
    i = j == i ? i + 1 : j;
  }
  if (positions.empty()) return {};
  const size_t p = positions[rng.uniform_int(positions.size())];
  std::string out(text);
  switch (kind) {
    case TypoKind::kSwap:  // with the next letter, or the previous one at a word end
      if (p + 1 < out.size() && is_letter(out[p + 1]))
        std::swap(out[p], out[p + 1]);
      else
        std::swap(out[p], out[p - 1]);
      break;
    case TypoKind::kDrop:
      out.erase(p, 1);
      break;
    case TypoKind::kInsert:
      out.insert(p, 1, out[p]);
      break;
    case TypoKind::kSubstitute: {
      const char* near = keyboard_neighbours(static_cast<char>(out[p] | 0x20));
      out[p] = near[rng.uniform_int(std::strlen(near))];
    }
  }
  return out;
}

static std::string_view similar_char(std::string_view ch, Rng& rng) {
  const std::string_view pairs = similar_char_pairs();
  for (size_t i = pairs.find(ch); i != std::string_view::npos; i = pairs.find(ch, i + 1)) {
    const bool at_pair_start = i == 0 || pairs[i - 1] == '|';
    if (at_pair_start && i + ch.size() < pairs.size() && pairs[i + ch.size()] != '|') {
      const size_t len = utf8_sequence_length(pairs[i + ch.size()]);
      return pairs.substr(i + ch.size(), len);
    }
  }
  const std::vector<std::string_view> common = utf8_chars(common_chars());
  return common[rng.uniform_int(common.size())];
}

// The kind's edit at a random place among the non-ASCII characters `at`, or false if the text
// cannot take it there.
static bool cjk_edit(std::vector<std::string_view>& chars, const std::vector<size_t>& at,
                     TypoKind kind, Rng& rng) {
  const size_t k = rng.uniform_int(at.size());
  const size_t p = at[k];
  switch (kind) {
    case TypoKind::kSwap: {  // with the next non-ASCII character, if adjacent and different
      if (k + 1 == at.size() || at[k + 1] != p + 1 || chars[p] == chars[p + 1]) return false;
      std::swap(chars[p], chars[p + 1]);
      return true;
    }
    case TypoKind::kDrop:
      if (at.size() < 3) return false;
      chars.erase(chars.begin() + static_cast<ptrdiff_t>(p));
      return true;
    case TypoKind::kInsert: {  // the character doubled, or a look-alike of it beside it
      const std::string_view extra = rng.uniform() < 0.5 ? chars[p] : similar_char(chars[p], rng);
      chars.insert(chars.begin() + static_cast<ptrdiff_t>(p + rng.uniform_int(2)), extra);
      return true;
    }
    case TypoKind::kSubstitute:
      chars[p] = similar_char(chars[p], rng);
      return true;
  }
  return false;
}

static std::string cjk_typo(std::string_view text, TypoKind kind, Rng& rng) {
  std::vector<std::string_view> chars = utf8_chars(text);
  std::vector<size_t> positions;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].size() > 1) positions.push_back(i);
  }
  if (positions.empty()) return {};
  if (!cjk_edit(chars, positions, kind, rng))
    cjk_edit(chars, positions, TypoKind::kSubstitute, rng);
  std::string out;
  for (std::string_view c : chars) out += c;
  return out;
}

std::string misspell(std::string_view text, bool cjk, const DictIndex& dict, Rng& rng,
                     const TypoMix& mix) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    const TypoKind kind = draw_kind(mix, rng);
    std::string typo = cjk ? cjk_typo(text, kind, rng) : latin_typo(text, kind, rng);
    if (typo.empty()) return {};
    if (typo != text && !dict.contains(typo)) return typo;
  }
  return {};
}

// ---- dictionary index ----

bool DictIndex::add(std::string_view text) {
  std::string key = ascii_lower(text);
  if (key.empty() || strings_.count(key)) return false;
  max_bytes_ = std::max(max_bytes_, key.size());
  strings_.insert(std::move(key));
  return true;
}

bool DictIndex::contains(std::string_view text) const {
  return strings_.find(std::string_view(ascii_lower(text))) != strings_.end();
}

static bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool DictIndex::has_match_outside(std::string_view text, size_t span_begin, size_t span_end) const {
  const std::string lower = ascii_lower(text);
  const std::string_view s = lower;
  const size_t n = s.size();
  for (size_t b = 0; b < n; b += cjk_ ? utf8_sequence_length(s[b]) : 1) {
    if (!cjk_ && (!is_word_byte(s[b]) || (b > 0 && is_word_byte(s[b - 1])))) continue;
    for (size_t e = b + 1; e <= n && e - b <= max_bytes_; ++e) {
      const bool boundary = cjk_ ? (e == n || (s[e] & 0xC0) != 0x80)
                                 : (is_word_byte(s[e - 1]) && (e == n || !is_word_byte(s[e])));
      if (!boundary) continue;
      const bool overlaps = b < span_end && span_begin < e;
      if (!overlaps && strings_.find(s.substr(b, e - b)) != strings_.end()) return true;
    }
  }
  return false;
}

}  // namespace kerec::world
