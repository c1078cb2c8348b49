#include "io/tsv_time.h"

namespace kerec::io::detail {
namespace {

// Reads exactly `n` digits at `p` into `value`; advances `p`.
bool digits(std::string_view text, size_t& p, int n, int& value) {
  if (p + static_cast<size_t>(n) > text.size()) return false;
  value = 0;
  for (int i = 0; i < n; ++i, ++p) {
    const auto d = static_cast<unsigned>(text[p] - '0');
    if (d > 9) return false;
    value = value * 10 + static_cast<int>(d);
  }
  return true;
}

bool take(std::string_view text, size_t& p, char c) {
  if (p >= text.size() || text[p] != c) return false;
  ++p;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// [HH:MM[:SS[.fff]]] after the date; seconds of the day.
bool parse_clock(std::string_view text, size_t& p, int64_t& seconds) {
  int h, mi, s = 0;
  if (!digits(text, p, 2, h) || !take(text, p, ':') || !digits(text, p, 2, mi)) return false;
  if (take(text, p, ':')) {
    if (!digits(text, p, 2, s)) return false;
    if (take(text, p, '.')) {
      const size_t start = p;
      while (p < text.size() && static_cast<unsigned>(text[p] - '0') <= 9) ++p;
      if (p == start) return false;
    }
  }
  if (h > 23 || mi > 59 || s > 60) return false;  // 60: a leap second, read as the next second
  seconds = h * 3600 + mi * 60 + s;
  return true;
}

// Z, ±HH, ±HH:MM or ±HHMM; the offset east of UTC in seconds.
bool parse_offset(std::string_view text, size_t& p, int64_t& offset) {
  offset = 0;
  if (take(text, p, 'Z')) return true;
  const bool east = p < text.size() && text[p] == '+';
  if (!east && !(p < text.size() && text[p] == '-')) return false;
  ++p;
  int h, m = 0;
  if (!digits(text, p, 2, h)) return false;
  if (take(text, p, ':')) {
    if (!digits(text, p, 2, m)) return false;
  } else if (p < text.size() && !digits(text, p, 2, m)) {
    return false;
  }
  if (h > 23 || m > 59) return false;
  offset = (east ? 1 : -1) * (h * 3600 + m * 60);
  return true;
}

}  // namespace

bool parse_iso8601(std::string_view text, int64_t& unix_seconds) {
  size_t p = 0;
  int y, m, d;
  if (!digits(text, p, 4, y) || !take(text, p, '-') || !digits(text, p, 2, m) ||
      !take(text, p, '-') || !digits(text, p, 2, d))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  int64_t clock = 0, offset = 0;
  if (p < text.size()) {
    if (!take(text, p, 'T') && !take(text, p, ' ')) return false;
    if (!parse_clock(text, p, clock)) return false;
    if (p < text.size() && !parse_offset(text, p, offset)) return false;
  }
  if (p != text.size()) return false;
  unix_seconds = days_from_civil(y, m, d) * 86400 + clock - offset;
  return true;
}

}  // namespace kerec::io::detail
