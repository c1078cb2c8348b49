// Internal: the time columns of the TSV inputs (ColumnType::kTime). A time is unix seconds (a
// decimal integer) or ISO 8601 in one of these forms, read as UTC unless it names its offset:
//   2026-12-07                      midnight
//   2026-12-07T13:45 / 13:45:00 / 13:45:00.250   ('T' or one space between date and time)
//   ...Z, ...+08:00, ...-0530, ...+08            offset from UTC
// Fractions of a second are dropped (toward the earlier second). Years 0000-9999.
#pragma once

#include <cstdint>
#include <string_view>

namespace kerec::io::detail {

// Unix seconds of an ISO 8601 `text` in the forms above; false if it is not one of them or names a
// day that does not exist (2026-02-30) or an hour, minute or second out of range.
bool parse_iso8601(std::string_view text, int64_t& unix_seconds);

}  // namespace kerec::io::detail
