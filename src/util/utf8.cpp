#include "kerec/util/utf8.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "kerec/util/error.h"

namespace kerec::utf8 {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Allowed range of the second byte for a lead byte (Unicode Table 3-7); the third and fourth bytes
// are always 80..BF. Returns false for bytes that cannot lead a multi-byte sequence.
bool second_byte_range(unsigned char lead, unsigned char& lo, unsigned char& hi) {
  lo = 0x80;
  hi = 0xBF;
  if (lead < 0xC2 || lead > 0xF4) return false;
  if (lead == 0xE0)
    lo = 0xA0;  // overlong 3-byte
  else if (lead == 0xED)
    hi = 0x9F;  // surrogates
  else if (lead == 0xF0)
    lo = 0x90;  // overlong 4-byte
  else if (lead == 0xF4)
    hi = 0x8F;  // above U+10FFFF
  return true;
}

int sequence_bytes(unsigned char lead) { return lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

// Decodes the non-ASCII sequence at p[0, avail); stores the code point and returns its length, or
// returns 0 when the sequence is ill-formed or truncated.
size_t decode_multibyte(const unsigned char* p, size_t avail, char32_t& code_point) {
  unsigned char lo, hi;
  if (!second_byte_range(p[0], lo, hi)) return 0;
  const size_t length = static_cast<size_t>(sequence_bytes(p[0]));
  if (avail < length || p[1] < lo || p[1] > hi) return 0;
  char32_t value = p[0] & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if (!is_continuation(p[k])) return 0;
    value = (value << 6) | (p[k] & 0x3F);
  }
  code_point = value;
  return length;
}

// Advances `i` over a run of ASCII bytes, 8 at a time while possible.
void skip_ascii(const unsigned char* p, size_t n, size_t& i) {
  while (i + 8 <= n) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & kHighBits) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
}

[[noreturn]] void throw_invalid(size_t offset) {
  throw InputError("invalid UTF-8 at byte " + std::to_string(offset));
}

[[noreturn]] void throw_not_scalar(char32_t code_point) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(code_point));
  throw InputError(std::string("cannot encode ") + hex + " as UTF-8: not a Unicode scalar value");
}

}  // namespace

size_t first_invalid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  char32_t ignored;
  while (i < n) {
    if (p[i] < 0x80) {
      skip_ascii(p, n, i);
      continue;
    }
    const size_t length = decode_multibyte(p + i, n - i, ignored);
    if (length == 0) return i;
    i += length;
  }
  return npos;
}

bool is_valid(std::string_view text) { return first_invalid(text) == npos; }

std::u32string decode(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  std::u32string out;
  out.reserve(n);
  size_t i = 0;
  while (i < n) {
    char32_t code_point = p[i];
    size_t length = 1;
    if (code_point >= 0x80) {
      length = decode_multibyte(p + i, n - i, code_point);
      if (length == 0) throw_invalid(i);
    }
    out.push_back(code_point);
    i += length;
  }
  return out;
}

void append(std::string& out, char32_t code_point) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    throw_not_scalar(code_point);
  }
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
    return;
  }
  const int length = code_point < 0x800 ? 2 : code_point < 0x10000 ? 3 : 4;
  static constexpr unsigned char kLeadMarks[5] = {0, 0, 0xC0, 0xE0, 0xF0};
  char bytes[4];
  for (int k = length - 1; k > 0; --k) {
    bytes[k] = static_cast<char>(0x80 | (code_point & 0x3F));
    code_point >>= 6;
  }
  bytes[0] = static_cast<char>(kLeadMarks[length] | code_point);
  out.append(bytes, static_cast<size_t>(length));
}

std::string encode(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t code_point : code_points) append(out, code_point);
  return out;
}

}  // namespace kerec::utf8
