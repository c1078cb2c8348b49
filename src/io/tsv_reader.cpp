// TsvReader: header mapping, byte-range parts, row validation and the bad-row policy.
//
// Hot path per row: one pass, 16 bytes at a time, finds the line's tabs, its newline and whether
// it has non-ASCII bytes (LineBuffer); only such lines get the UTF-8 check. Numeric fields take a
// fast path for plain decimals and fall back to from_chars. No allocation per row: the buffer only
// grows for a line longer than it, the row's value slots are reused, and messages are built only
// for bad rows.
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "io/gzip_file.h"
#include "io/tsv_fields.h"
#include "io/tsv_lines.h"
#include "kerec/io/tsv.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::io {
namespace {

constexpr size_t kBufferBytes = size_t{1} << 20;
// The first read is small: parts other than the first only need the header from the file's start.
constexpr size_t kHeaderProbeBytes = size_t{64} << 10;
constexpr size_t kNoField = std::numeric_limits<size_t>::max();

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string column_names(const TsvSchema& schema) {
  std::string out;
  for (const Column& column : schema.columns) out += (out.empty() ? "" : ", ") + column.name;
  return out;
}

std::vector<std::string> split_header(std::string_view line) {
  std::vector<std::string> names;
  for (size_t tab; (tab = line.find('\t')) != std::string_view::npos; line.remove_prefix(tab + 1)) {
    names.emplace_back(line.substr(0, tab));
  }
  names.emplace_back(line);
  return names;
}

// Start of part p's byte range, floor(p * size / parts), without overflowing 64 bits.
uint64_t range_start(uint64_t size, int part, int parts) {
  const auto p = static_cast<uint64_t>(part);
  const auto n = static_cast<uint64_t>(parts);
  return p * (size / n) + p * (size % n) / n;
}

// Lines of a gzip file (a last line without '\n' counts), by decompressing it once.
int64_t count_gzip_lines(const std::string& path) {
  detail::InputFile file(path);
  std::vector<char> buffer(size_t{1} << 20);
  int64_t lines = 0;
  char last = '\n';
  for (size_t n; (n = file.read(buffer.data(), buffer.size())) > 0;) {
    lines += std::count(buffer.data(), buffer.data() + n, '\n');
    last = buffer[n - 1];
  }
  return lines + (last != '\n');
}

}  // namespace

namespace detail {

struct ReaderState {
  ReaderState(std::string path_in, const TsvSchema& schema_in, BadRowPolicy policy_in, int part_in,
              int parts_in);

  bool next(TsvRow& row);
  int64_t line_of(int64_t line_index) const;

  // Header and part positioning.
  void read_header();
  void map_header(const std::vector<std::string>& names);
  void position_part();
  // Rows.
  void plan_columns();
  bool parse_row(std::string_view line, size_t field_count, bool ascii, uint64_t offset,
                 int64_t index, TsvRow& row);
  bool check_values(TsvRow::Value* values) const;
  bool reject_first_bad_field(int64_t index, const TsvRow& row);
  bool check_utf8(int64_t index);
  bool reject(int64_t index, const Column* column, const std::string& reason);
  int64_t count_newlines_before(uint64_t offset) const;

  std::string path;
  TsvSchema schema;
  BadRowPolicy policy;
  int part;
  int parts;
  InputFile file;
  TsvStats stats;

  LineBuffer lines;
  uint64_t end_offset = std::numeric_limits<uint64_t>::max();  // lines must begin before this
  bool finished = false;

  size_t header_fields = 0;
  std::vector<size_t> field_of_column;   // schema column -> field position in the file
  std::vector<std::string_view> fields;  // the current line's fields (header_fields slots)

  // The schema's columns grouped by type, so that checking a row runs a few loops with
  // predictable branches instead of switching on the type of every column.
  struct PlannedColumn {
    size_t column;  // schema index (slot in TsvRow)
    size_t field;   // position in the file's lines
    const Column* spec;
  };
  std::vector<PlannedColumn> strings, bools, ints, doubles;

  uint64_t anchor_offset = 0;       // offset of this reader's first data line
  mutable int64_t anchor_line = 0;  // its 1-based line number; 0 = not counted yet
  int64_t next_line_index = 0;      // data lines read since the anchor
  // Gzip input: this part's data lines are those with index in [first, end) (all for one part).
  int64_t gzip_first_index = 0;
  int64_t gzip_end_index = std::numeric_limits<int64_t>::max();
};

ReaderState::ReaderState(std::string path_in, const TsvSchema& schema_in, BadRowPolicy policy_in,
                         int part_in, int parts_in)
    : path(std::move(path_in)),
      schema(schema_in),
      policy(policy_in),
      part(part_in),
      parts(parts_in),
      file(path),
      lines(file, kBufferBytes, kHeaderProbeBytes) {
  read_header();
  position_part();
  stats.bytes_read = lines.bytes_read();
}

void ReaderState::read_header() {
  std::string_view line;
  uint64_t offset;
  const std::string expected = column_names(schema);
  if (!lines.next_line(line, offset)) {
    throw InputError(path + ": empty file, expected header with columns " + expected);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 3) == "\xEF\xBB\xBF")
    line.remove_prefix(3);  // a UTF-8 byte order mark (Excel, Notepad)
  if (line.empty()) throw InputError(path + ":1: empty header line, expected columns " + expected);
  const size_t bad = utf8::first_invalid(line);
  if (bad != utf8::npos) {
    throw InputError(path + ":1: header: invalid UTF-8 at byte " + std::to_string(bad));
  }
  const std::vector<std::string> names = split_header(line);
  header_fields = names.size();
  fields.resize(header_fields);
  map_header(names);
  plan_columns();
}

void ReaderState::plan_columns() {
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const Column& column = schema.columns[c];
    const PlannedColumn planned{c, field_of_column[c], &column};
    switch (column.type) {
      case ColumnType::kString:
        strings.push_back(planned);
        break;
      case ColumnType::kBool01:
        bools.push_back(planned);
        break;
      case ColumnType::kInt64:
      case ColumnType::kTime:  // the integer fast path; ISO 8601 goes through check_field
        ints.push_back(planned);
        break;
      case ColumnType::kDouble:
        doubles.push_back(planned);
        break;
    }
  }
}

void ReaderState::map_header(const std::vector<std::string>& names) {
  field_of_column.assign(schema.columns.size(), kNoField);
  for (size_t field = 0; field < names.size(); ++field) {
    const auto it = std::find_if(schema.columns.begin(), schema.columns.end(),
                                 [&](const Column& c) { return c.name == names[field]; });
    if (it == schema.columns.end()) {
      stats.extra_columns.push_back(names[field]);
      continue;
    }
    size_t& slot = field_of_column[static_cast<size_t>(it - schema.columns.begin())];
    if (slot != kNoField) throw InputError(path + ":1: duplicate column '" + it->name + "'");
    slot = field;
  }
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (field_of_column[c] == kNoField) {
      throw InputError(path + ":1: missing column '" + schema.columns[c].name +
                       "' (header has: " + join(names) + ")");
    }
  }
}

// Finds this part's first line: the first line beginning at or after its range start (and after
// the header), by seeking one byte before the start and discarding through the next newline.
void ReaderState::position_part() {
  const uint64_t header_end = lines.position();
  anchor_offset = header_end;
  anchor_line = 2;
  if (file.gzip()) {  // the whole stream is read; next() keeps this part's block of line indices
    if (parts > 1) {
      const int64_t data_lines = count_gzip_lines(path) - 1;  // minus the header
      gzip_first_index =
          static_cast<int64_t>(range_start(static_cast<uint64_t>(data_lines), part, parts));
      gzip_end_index =
          static_cast<int64_t>(range_start(static_cast<uint64_t>(data_lines), part + 1, parts));
    }
    return;
  }
  const uint64_t size = file.size_bytes();
  const uint64_t begin = std::max(range_start(size, part, parts), header_end);
  end_offset = range_start(size, part + 1, parts);
  if (begin >= end_offset) {
    finished = true;
    return;
  }
  if (begin == header_end) return;
  lines.seek(begin - 1);
  std::string_view partial;
  uint64_t partial_offset;
  if (!lines.next_line(partial, partial_offset)) finished = true;
  anchor_offset = lines.position();
  anchor_line = 0;
}

bool ReaderState::next(TsvRow& row) {
  std::string_view line;
  uint64_t offset;
  size_t field_count;
  bool ascii;
  while (!finished) {
    if (!lines.next_split_line(line, offset, fields, field_count, ascii) || offset >= end_offset) {
      finished = true;
      break;
    }
    const int64_t index = next_line_index++;
    if (index < gzip_first_index) continue;
    if (index >= gzip_end_index) {
      finished = true;
      break;
    }
    if (parse_row(line, field_count, ascii, offset, index, row)) {
      ++stats.rows_ok;
      stats.bytes_read = lines.bytes_read();
      return true;
    }
  }
  stats.bytes_read = lines.bytes_read();
  return false;
}

// `line` (without '\r') has `field_count` fields, the first header_fields of them in `fields`;
// `ascii` says the scan saw no byte >= 0x80 (then the UTF-8 check is skipped).
bool ReaderState::parse_row(std::string_view line, size_t field_count, bool ascii, uint64_t offset,
                            int64_t index, TsvRow& row) {
  if (line.empty()) return reject(index, nullptr, "blank line");
  if (field_count != header_fields) {
    return reject(index, nullptr,
                  "expected " + std::to_string(header_fields) + " fields, found " +
                      std::to_string(field_count));
  }
  if (!ascii && !utf8::is_valid(line) && !check_utf8(index)) return false;
  row.values_.resize(schema.columns.size());
  if (!check_values(row.values_.data())) return reject_first_bad_field(index, row);
  row.reader_ = this;
  row.offset_ = offset;
  row.line_index_ = index;
  return true;
}

// Fills and checks the values of the current line's fields; false when any field is bad.
bool ReaderState::check_values(TsvRow::Value* values) const {
  bool ok = true;
  for (const PlannedColumn& p : strings) {
    TsvRow::Value& value = values[p.column];
    value.text = fields[p.field];
    ok &= (!value.text.empty() || p.spec->allow_empty) &&
          !std::memchr(value.text.data(), '\0', value.text.size());
  }
  for (const PlannedColumn& p : bools) {
    TsvRow::Value& value = values[p.column];
    const std::string_view text = value.text = fields[p.field];
    if (text.size() == 1 && (text[0] == '0' || text[0] == '1')) {
      value.i64 = text[0] - '0';
    } else {
      value.i64 = 0;
      ok &= text.empty() && p.spec->allow_empty;
    }
  }
  for (const PlannedColumn& p : ints) {
    TsvRow::Value& value = values[p.column];
    value.text = fields[p.field];
    const char* first = value.text.data();
    if (parse_simple_integer(first, first + value.text.size(), value.i64)) {
      ok &= !(p.spec->non_negative && value.i64 < 0);
    } else {
      ok &= check_field(*p.spec, value.text, value.i64, value.f64) == FieldCheck::kOk;
    }
  }
  for (const PlannedColumn& p : doubles) {
    TsvRow::Value& value = values[p.column];
    value.text = fields[p.field];
    const char* first = value.text.data();
    if (parse_simple_decimal(first, first + value.text.size(), value.f64)) {
      ok &= !(p.spec->non_negative && value.f64 < 0);
    } else {
      ok &= check_field(*p.spec, value.text, value.i64, value.f64) == FieldCheck::kOk;
    }
  }
  return ok;
}

// The slow path of a bad row: finds the first bad field in column order, for the message.
bool ReaderState::reject_first_bad_field(int64_t index, const TsvRow& row) {
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const std::string_view text = row.values_[c].text;
    int64_t i64;
    double f64;
    const FieldCheck check = check_field(schema.columns[c], text, i64, f64);
    if (check != FieldCheck::kOk) return reject(index, &schema.columns[c], describe(check, text));
  }
  return reject(index, nullptr, "bad field");  // unreachable: check_values found one
}

// The line is not valid UTF-8: rejects it if a schema column is at fault (extra columns are
// ignored, whatever their bytes). Returns true when the row may still be accepted.
bool ReaderState::check_utf8(int64_t index) {
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const size_t bad = utf8::first_invalid(fields[field_of_column[c]]);
    if (bad != utf8::npos) {
      return reject(index, &schema.columns[c],
                    "invalid UTF-8 at byte " + std::to_string(bad) + " of the field");
    }
  }
  return true;
}

// Throws (kFail) or counts (kSkip) a bad row; returns false so callers can `return reject(...)`.
bool ReaderState::reject(int64_t index, const Column* column, const std::string& reason) {
  std::string message = path + ":" + std::to_string(line_of(index)) + ": ";
  if (column != nullptr) message += "column '" + column->name + "': ";
  message += reason;
  if (policy.mode == BadRowPolicy::Mode::kFail) throw InputError(message);
  ++stats.rows_skipped;
  if (stats.skipped_messages.size() < kMaxSkippedMessages) {
    stats.skipped_messages.push_back(std::move(message));
  }
  if (stats.rows_skipped > policy.max_skipped) {
    throw InputError(path + ": skip budget exceeded: " + std::to_string(stats.rows_skipped) +
                     " bad rows skipped, more than " + policy.budget_name + " = " +
                     std::to_string(policy.max_skipped) +
                     "; first: " + stats.skipped_messages.front());
  }
  return false;
}

int64_t ReaderState::line_of(int64_t line_index) const {
  if (anchor_line == 0) anchor_line = 1 + count_newlines_before(anchor_offset);
  return anchor_line + line_index;
}

// One pass over the bytes before `offset` with pread (the reading position is untouched).
int64_t ReaderState::count_newlines_before(uint64_t offset) const {
  std::vector<char> chunk(kBufferBytes);
  int64_t newlines = 0;
  for (uint64_t at = 0; at < offset;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), offset - at));
    const size_t got = file.pread(chunk.data(), want, at);
    if (got == 0) break;
    newlines += std::count(chunk.data(), chunk.data() + got, '\n');
    at += got;
  }
  return newlines;
}

}  // namespace detail

const TsvRow::Value& TsvRow::value(size_t column, ColumnType expected) const {
  if (reader_ == nullptr) throw std::logic_error("TsvRow: no row has been read into this TsvRow");
  const Column& schema_column = reader_->schema.columns.at(column);
  if (schema_column.type != expected) {
    throw std::logic_error("TsvRow: column '" + schema_column.name + "' of schema '" +
                           reader_->schema.name + "' has another type");
  }
  return values_[column];
}

std::string_view TsvRow::str(size_t column) const {
  if (reader_ == nullptr) throw std::logic_error("TsvRow: no row has been read into this TsvRow");
  return values_.at(column).text;
}
int64_t TsvRow::i64(size_t column) const {
  const bool time =
      reader_ != nullptr && reader_->schema.columns.at(column).type == ColumnType::kTime;
  return value(column, time ? ColumnType::kTime : ColumnType::kInt64).i64;
}
double TsvRow::f64(size_t column) const { return value(column, ColumnType::kDouble).f64; }
bool TsvRow::flag(size_t column) const { return value(column, ColumnType::kBool01).i64 != 0; }

int64_t TsvRow::line() const {
  if (reader_ == nullptr) throw std::logic_error("TsvRow: no row has been read into this TsvRow");
  return reader_->line_of(line_index_);
}

TsvReader::TsvReader(std::string path, const TsvSchema& schema, BadRowPolicy policy, int part,
                     int parts) {
  if (parts < 1 || part < 0 || part >= parts) {
    throw std::invalid_argument("TsvReader: part " + std::to_string(part) + " of " +
                                std::to_string(parts) + " is not in [0, parts) for " + path);
  }
  detail::check_schema(schema);
  state_ = std::make_unique<detail::ReaderState>(std::move(path), schema, policy, part, parts);
}

TsvReader::~TsvReader() = default;
TsvReader::TsvReader(TsvReader&&) noexcept = default;
TsvReader& TsvReader::operator=(TsvReader&&) noexcept = default;

bool TsvReader::next(TsvRow& row) { return state_->next(row); }
const TsvStats& TsvReader::stats() const { return state_->stats; }
const TsvSchema& TsvReader::schema() const { return state_->schema; }
const std::string& TsvReader::path() const { return state_->path; }
bool TsvReader::gzip() const { return state_->file.gzip(); }

void check_skipped_total(const BadRowPolicy& policy, int64_t skipped_total,
                         const std::string& path) {
  if (policy.mode == BadRowPolicy::Mode::kSkip && skipped_total > policy.max_skipped)
    throw InputError(path + ": " + std::to_string(skipped_total) +
                     " bad rows over all ranks, more than " + policy.budget_name + " = " +
                     std::to_string(policy.max_skipped));
}

}  // namespace kerec::io
