// Reading and writing the UTF-8 TSV inputs of docs/design.md §2.1 (items, bills, exposures,
// entities).
//
// File format: one header line naming the columns, then one row per line; fields are separated by
// one '\t'; lines end in "\n" or "\r\n" (the '\r' is stripped); the last line may lack its newline.
// There is no quoting or escaping: a field cannot contain a tab or a newline. `.tsv.gz` files are
// read through zlib (detected by the gzip magic bytes; a ".gz" name without them is an error).
//
// Header: it must name every schema column (any order). Extra columns are allowed, ignored, and
// listed in TsvStats::extra_columns. Header errors always throw, whatever the BadRowPolicy.
// A blank line, or one whose field count differs from the header's, is a bad row.
//
// Field validation, per schema column: valid UTF-8; non-empty unless `allow_empty`; and parses
// completely as its type (std::from_chars: no sign '+', no spaces, no trailing characters):
//   kString  any text          kInt64  decimal integer in int64 range
//   kDouble  finite decimal (NaN and inf rejected)          kBool01  exactly "0" or "1"
//   kTime    unix seconds (a decimal integer) or ISO 8601: 2026-12-07, 2026-12-07T13:45[:00[.5]]
//            ('T' or a space), optionally followed by Z, +08:00, -0530 or +08; UTC when no
//            offset is given; fractions of a second are dropped. Each row may use either form.
// An allowed empty field of a numeric or bool type reads as 0 / false (`str(i).empty()` tells).
//
// Errors (kerec/util/error.h): a missing or unreadable file is an IoError naming the path; content
// problems are InputErrors "FILE:LINE: column 'x': reason" (LINE is 1-based, the header is line 1).
//
// Splitting across ranks without a communicator: part p of `parts` owns the data lines (all lines
// after the header) that *begin* in the byte range [p*size/parts, (p+1)*size/parts) of the file.
// Every data line is read by exactly one part, in file order, for any `parts`, and a part may own
// no lines. Each part reads the header itself, seeks to its range, and reads little more than its
// own bytes.
// Gzip streams cannot be entered at a byte offset, so for `.gz` input with several parts every part
// first decompresses the stream once to count its data lines L, then reads from the start and keeps
// the data lines whose 0-based index i (counting every data line, good or bad) is in
// [p*L/parts, (p+1)*L/parts), stopping after its block: each line exactly once, in contiguous
// blocks in file order as for plain files (so rank-order concatenations do not depend on the
// part count), at the cost of up to two decompressions per part.
//
// Line numbers: a part numbers its lines from its first one, whose own number (the newlines before
// the part's range) is counted only when a line number is first asked for, by TsvRow::line() or
// an error message: one pread pass over the preceding bytes. For gzip input it is always known.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kerec::io {

// kTime: unix seconds or ISO 8601, read as int64 unix seconds (TsvRow::i64).
enum class ColumnType { kString, kInt64, kDouble, kBool01, kTime };

// The forms a kTime field may take, as the error for a bad one lists them.
inline constexpr const char* kTimeForms =
    "unix seconds (1796651100) or ISO 8601 (2026-12-07, 2026-12-07T13:45:00, "
    "2026-12-07 13:45:00Z, 2026-12-07T13:45:00+08:00)";

struct Column {
  std::string name;
  ColumnType type = ColumnType::kString;
  bool allow_empty = false;
  bool non_negative = false;  // numeric columns: a value < 0 is a bad row ("negative: '-1'")
};

struct TsvSchema {
  std::string name;  // e.g. "items"; used in messages
  std::vector<Column> columns;

  // Index of the column named `column_name`, for TsvRow access. Throws std::out_of_range naming
  // the schema and its columns when there is none (a programming error, not bad input).
  size_t index(std::string_view column_name) const;
};

// The built-in input schemas of docs/design.md §2.1. Ids are strings (users bring their own ids);
// times (created_at, ts) are kTime; amounts are doubles; `aliases` is a '|'-separated list and may
// be empty.
const TsvSchema& items_schema();      // item_id title category price(>=0) created_at
const TsvSchema& bills_schema();      // user_id ts text amount
const TsvSchema& exposures_schema();  // user_id ts item_id scene clicked converted amount(>=0)
const TsvSchema& entities_schema();   // entity_id name aliases category

// What to do with a row that does not parse (config: input.on_bad_row, input.max_bad_rows).
struct BadRowPolicy {
  enum class Mode { kFail, kSkip };
  // kFail: the first bad row throws InputError "FILE:LINE: column 'x': reason".
  // kSkip: bad rows are counted and skipped; more than `max_skipped` of them throws an InputError
  //        saying the skip budget was exceeded, with the count and the first message.
  // The budget is per reader, i.e. per part: for a per-file limit over parts read by several
  // ranks, the caller also sums TsvStats::rows_skipped across the parts.
  Mode mode = Mode::kFail;
  int64_t max_skipped = 1000;
  // How messages name the budget, e.g. the config key that set it ("input.max_bad_rows").
  std::string budget_name = "max_skipped";
};

// The per-file check over parts: InputError "PATH: N bad rows over all ranks, more than BUDGET = M"
// when `policy` skips and `skipped_total` (TsvStats::rows_skipped summed over every part) exceeds
// the budget. Local; callers that summed across ranks call it on every rank (dist::run_agreed).
void check_skipped_total(const BadRowPolicy& policy, int64_t skipped_total,
                         const std::string& path);

inline constexpr size_t kMaxSkippedMessages = 20;

struct TsvStats {
  int64_t rows_ok = 0;       // rows returned by next()
  int64_t rows_skipped = 0;  // bad rows skipped (kSkip)
  int64_t bytes_read = 0;    // bytes read from the file (decompressed bytes for gzip)
  std::vector<std::string> skipped_messages;  // the first kMaxSkippedMessages messages
  std::vector<std::string> extra_columns;     // header columns that are not in the schema
};

namespace detail {
struct ReaderState;
}

// One validated row. Columns are addressed by *schema* index (TsvSchema::index), whatever their
// position in the file. The views point into the reader's buffer and are valid until the next
// call to TsvReader::next() or the reader's destruction.
class TsvRow {
 public:
  // Raw text of a column of any type (for an allowed empty field: "").
  std::string_view str(size_t column) const;
  // Typed values; std::logic_error when the column has another type (i64: kInt64 or kTime).
  int64_t i64(size_t column) const;
  double f64(size_t column) const;
  bool flag(size_t column) const;  // kBool01
  // 1-based line number in the file (the header is line 1). See the header comment for its cost.
  int64_t line() const;
  // Byte offset of the row's first byte in the (decompressed) file.
  uint64_t offset() const { return offset_; }

 private:
  friend struct detail::ReaderState;
  struct Value {
    std::string_view text;
    int64_t i64 = 0;
    double f64 = 0.0;
  };
  const Value& value(size_t column, ColumnType expected) const;

  std::vector<Value> values_;
  const detail::ReaderState* reader_ = nullptr;
  uint64_t offset_ = 0;
  int64_t line_index_ = 0;  // data lines before this one since the reader's first line
};

// Streams the valid rows of one part of a TSV file. Not thread-safe; movable.
class TsvReader {
 public:
  // Opens `path`, reads and checks the header and positions at the part's first line.
  // Requires 0 <= part < parts and a schema with distinct column names (std::invalid_argument
  // otherwise). The schema is copied. A moved-from reader may only be assigned or destroyed.
  TsvReader(std::string path, const TsvSchema& schema, BadRowPolicy policy = {}, int part = 0,
            int parts = 1);
  ~TsvReader();
  TsvReader(TsvReader&&) noexcept;
  TsvReader& operator=(TsvReader&&) noexcept;

  // Fills `row` with the next valid row of this part and returns true; false at the end of the
  // part. Bad rows are handled per the BadRowPolicy (thrown or skipped and counted).
  bool next(TsvRow& row);

  const TsvStats& stats() const;
  const TsvSchema& schema() const;
  const std::string& path() const;
  bool gzip() const;

 private:
  std::unique_ptr<detail::ReaderState> state_;
};

// Writes a TSV file (gzip-compressed when `path` ends in ".gz"), buffered. Rows are checked before
// they are written: the field count must match the header and a field must be valid UTF-8 without
// '\t', '\r' or '\n' (InputError naming the file, row and field; the bad row is discarded and the
// writer stays usable). Doubles are written in shortest round-trip form, and must be finite.
//
// Two ways to write a row:  w.write_row({"u1", "1700000000", "phone"});
//                           w.field("u1").field(int64_t{1700000000}).field(9.99).end_row();
class TsvWriter {
 public:
  enum class Header { kWrite, kOmit };
  // Creates or truncates `path` and writes the header. IoError when the file cannot be created.
  // With Header::kOmit the header only sets the field count (for a part of a file whose parts are
  // concatenated under one header, e.g. one part per rank).
  TsvWriter(std::string path, std::vector<std::string> header, Header header_line = Header::kWrite);
  // Closes without throwing if close() was not called (errors are then lost: call close()).
  ~TsvWriter();
  TsvWriter(TsvWriter&&) noexcept;
  TsvWriter& operator=(TsvWriter&&) noexcept;

  void write_row(std::initializer_list<std::string_view> fields);
  void write_row(std::span<const std::string_view> fields);

  TsvWriter& field(std::string_view text);
  TsvWriter& field(const char* text) { return field(std::string_view(text)); }
  TsvWriter& field(double value);
  // Fixed-point with `decimals` digits after the point (prices, rounded strengths).
  TsvWriter& fixed(double value, int decimals);
  // Integers, and bool as "0"/"1" (kBool01).
  template <std::integral T>
  TsvWriter& field(T value) {
    if constexpr (std::is_same_v<T, bool>)
      return field(std::string_view(value ? "1" : "0"));
    else if constexpr (std::is_signed_v<T>)
      return field_signed(static_cast<int64_t>(value));
    else
      return field_unsigned(static_cast<uint64_t>(value));
  }
  // Ends the row started by field() calls.
  void end_row();

  // Flushes, fsyncs and closes; IoError on failure. Idempotent. Writing afterwards is a
  // std::logic_error.
  void close();

  int64_t rows_written() const;
  const std::string& path() const;

 private:
  TsvWriter& field_signed(int64_t value);
  TsvWriter& field_unsigned(uint64_t value);

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kerec::io
