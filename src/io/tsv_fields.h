// Internal: validation of one TSV field against its schema column (rules in kerec/io/tsv.h).
// The reader's hot path uses the inline fast parsers below and falls back to check_field(), which
// judges any text exactly (allocation-free); describe() builds the reason of an error message
// only for the rare bad field.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "io/tsv_time.h"
#include "kerec/io/tsv.h"

namespace kerec::io::detail {

enum class FieldCheck : uint8_t {
  kOk,
  kEmpty,
  kNotInteger,
  kIntegerRange,
  kNotNumber,
  kNumberRange,
  kNotFinite,
  kNegative,
  kNotBool,
  kNotTime,
  kNulByte,  // a string with a NUL byte: no HDF5 string, C API or terminal takes it intact
};

// Fast path for the common case of a plain decimal: [-]digits[.digits] with at most 15 digits in
// all. Sets `value` and returns true; false means "use from_chars" (not an error). Exactly as
// correctly rounded as from_chars: the digits form an integer m < 2^53 and m / 10^k with
// k <= 15 is one IEEE division of two exact doubles (Clinger's fast path).
inline bool parse_simple_decimal(const char* p, const char* last, double& value) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  // The division is the slowest step; integers and zeros ("0", "0.00": most amounts) skip it.
  const bool negative = p < last && *p == '-';
  p += negative;
  uint64_t mantissa = 0;
  int digits = 0;
  int fraction_digits = -1;  // -1 until the '.'
  for (; p < last; ++p) {
    const auto digit = static_cast<unsigned>(*p - '0');
    if (digit < 10) {
      mantissa = mantissa * 10 + digit;
      ++digits;
      fraction_digits += fraction_digits >= 0;
    } else if (*p == '.' && fraction_digits < 0) {
      fraction_digits = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15 || fraction_digits == 0) return false;
  value = static_cast<double>(mantissa);
  if (fraction_digits > 0 && mantissa != 0) value /= kPow10[fraction_digits];
  if (negative) value = -value;
  return true;
}

// The value of 8 ASCII digits (first digit in the lowest byte), or -1 when one is not a digit.
// SWAR: three multiply-shift steps combine 8 -> 4 -> 2 -> 1 numbers (Lemire's method).
inline int64_t parse_eight_digits(const char* p) {
  uint64_t chunk;
  std::memcpy(&chunk, p, sizeof chunk);
  const uint64_t low_nibbles = chunk & 0x0F0F0F0F0F0F0F0FULL;
  // Every byte must be 0x30..0x39: high nibble 3, and low nibble + 6 must not carry into it.
  if ((chunk & 0xF0F0F0F0F0F0F0F0ULL) != 0x3030303030303030ULL ||
      ((low_nibbles + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) != 0) {
    return -1;
  }
  uint64_t value = (low_nibbles * 2561) >> 8;
  value = ((value & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return static_cast<int64_t>(((value & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32);
}

// Fast path for a plain decimal integer of at most 18 digits (which cannot overflow int64).
// Returns false for anything else, which from_chars then judges.
inline bool parse_simple_integer(const char* p, const char* last, int64_t& value) {
  const bool negative = p < last && *p == '-';
  p += negative;
  if (p == last || last - p > 18) return false;
  int64_t magnitude = 0;
  if (last - p >= 8) {
    magnitude = parse_eight_digits(p);
    if (magnitude < 0) return false;
    p += 8;
  }
  for (; p < last; ++p) {
    const auto digit = static_cast<unsigned>(*p - '0');
    if (digit >= 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  value = negative ? -magnitude : magnitude;
  return true;
}

// Checks `text` against `column` and stores its value in `i64` (kInt64, kBool01, kTime) or `f64`
// (kDouble); the other one, and both for an allowed empty field, are 0.
inline FieldCheck check_field(const Column& column, std::string_view text, int64_t& i64,
                              double& f64) {
  i64 = 0;
  f64 = 0.0;
  if (text.empty()) return column.allow_empty ? FieldCheck::kOk : FieldCheck::kEmpty;
  const char* const first = text.data();
  const char* const last = first + text.size();
  switch (column.type) {
    case ColumnType::kString:
      return std::memchr(first, '\0', text.size()) ? FieldCheck::kNulByte : FieldCheck::kOk;
    case ColumnType::kBool01:
      if (text.size() != 1 || (text[0] != '0' && text[0] != '1')) return FieldCheck::kNotBool;
      i64 = text[0] - '0';
      return FieldCheck::kOk;
    case ColumnType::kInt64: {
      if (parse_simple_integer(first, last, i64)) {
        return column.non_negative && i64 < 0 ? FieldCheck::kNegative : FieldCheck::kOk;
      }
      const auto [end, ec] = std::from_chars(first, last, i64);
      if (end != last || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return FieldCheck::kNotInteger;
      }
      if (ec == std::errc::result_out_of_range) return FieldCheck::kIntegerRange;
      return column.non_negative && i64 < 0 ? FieldCheck::kNegative : FieldCheck::kOk;
    }
    case ColumnType::kTime: {
      if (parse_simple_integer(first, last, i64)) return FieldCheck::kOk;
      const auto [end, ec] = std::from_chars(first, last, i64);
      if (end == last && ec == std::errc()) return FieldCheck::kOk;
      if (end == last && ec == std::errc::result_out_of_range) return FieldCheck::kIntegerRange;
      return parse_iso8601(text, i64) ? FieldCheck::kOk : FieldCheck::kNotTime;
    }
    case ColumnType::kDouble: {
      if (parse_simple_decimal(first, last, f64)) {
        return column.non_negative && f64 < 0 ? FieldCheck::kNegative : FieldCheck::kOk;
      }
      const auto [end, ec] = std::from_chars(first, last, f64);
      if (end != last || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return FieldCheck::kNotNumber;
      }
      if (ec == std::errc::result_out_of_range) return FieldCheck::kNumberRange;
      if (!std::isfinite(f64)) return FieldCheck::kNotFinite;
      return column.non_negative && f64 < 0 ? FieldCheck::kNegative : FieldCheck::kOk;
    }
  }
  return FieldCheck::kNotNumber;
}

// Throws std::invalid_argument for a schema without columns or with a repeated column name: a
// schema is a programming artefact, so that is a bug, not bad input.
void check_schema(const TsvSchema& schema);

// The reason for a message: "empty", "not an integer: 'abc'", "expected 0 or 1: 'yes'", ...
std::string describe(FieldCheck check, std::string_view text);

// `text` in single quotes for a message, cut to about 40 bytes at a UTF-8 character boundary
// (`text` must be valid UTF-8 for the cut to be clean).
std::string quoted(std::string_view text);

}  // namespace kerec::io::detail
