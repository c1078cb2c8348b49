// TsvWriter: rows are checked and appended to a memory buffer, which goes to the file (plain or
// gzip) in large writes at row boundaries, so a rejected row can always be taken back.
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "io/gzip_file.h"
#include "io/tsv_fields.h"
#include "kerec/io/tsv.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::io {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;

// Why `text` cannot be a field, or nullptr when it can.
const char* field_problem(std::string_view text) {
  for (char c : text) {
    if (c == '\t') return "contains a tab";
    if (c == '\n') return "contains a newline";
    if (c == '\r') return "contains a carriage return";
  }
  return utf8::is_valid(text) ? nullptr : "is not valid UTF-8";
}

}  // namespace

struct TsvWriter::State {
  State(std::string path_in, size_t fields)
      : path(std::move(path_in)), header_fields(fields), file(path, detail::has_gz_suffix(path)) {
    buffer.reserve(kFlushBytes + kFlushBytes / 4);
  }

  // Drops the current row and throws InputError "PATH: row R: field F: problem".
  [[noreturn]] void fail(const std::string& problem) {
    const int64_t row = rows + 1;
    buffer.resize(row_start);
    row_fields = 0;
    throw InputError(path + ": row " + std::to_string(row) + " (line " + std::to_string(row + 1) +
                     "): " + problem);
  }

  void append(std::string_view text) {
    if (closed) throw std::logic_error("TsvWriter: write after close: " + path);
    if (row_fields == header_fields) {
      fail("more fields than the header's " + std::to_string(header_fields));
    }
    if (const char* problem = field_problem(text)) {
      fail("field " + std::to_string(row_fields + 1) + " " + problem + ": " +
           detail::quoted(utf8::is_valid(text) ? text : std::string_view("<binary>")));
    }
    if (row_fields > 0) buffer.push_back('\t');
    buffer.append(text);
    ++row_fields;
  }

  void end_row() {
    if (closed) throw std::logic_error("TsvWriter: write after close: " + path);
    if (row_fields != header_fields) {
      fail("expected " + std::to_string(header_fields) + " fields, got " +
           std::to_string(row_fields));
    }
    buffer.push_back('\n');
    ++rows;
    row_fields = 0;
    row_start = buffer.size();
    if (buffer.size() >= kFlushBytes) flush();
  }

  void flush() {
    file.write(buffer.data(), row_start);
    buffer.erase(0, row_start);
    row_start = 0;
  }

  void close() {
    if (closed) return;
    closed = true;
    const size_t unfinished_fields = row_fields;
    buffer.resize(row_start);
    flush();
    file.close();
    if (unfinished_fields > 0) {
      throw InputError(path + ": closed with an unfinished row of " +
                       std::to_string(unfinished_fields) + " fields; the row was not written");
    }
  }

  std::string path;
  size_t header_fields;
  detail::OutputFile file;
  std::string buffer;  // complete rows [0, row_start), then the row being built
  size_t row_start = 0;
  size_t row_fields = 0;  // fields of the row being built
  int64_t rows = 0;       // data rows written (the header is not a row)
  bool closed = false;
};

TsvWriter::TsvWriter(std::string path, std::vector<std::string> header, Header header_line) {
  if (header.empty()) throw std::invalid_argument("TsvWriter: empty header for " + path);
  for (const std::string& name : header) {
    if (name.empty() || field_problem(name) != nullptr) {
      throw InputError(path + ": header column " + std::to_string(&name - header.data() + 1) +
                       " is empty or contains a tab, newline or invalid UTF-8");
    }
  }
  state_ = std::make_unique<State>(std::move(path), header.size());
  if (header_line == Header::kOmit) return;
  for (const std::string& name : header) state_->append(name);
  state_->end_row();
  state_->rows = 0;
}

TsvWriter::~TsvWriter() {
  if (!state_) return;
  try {
    state_->close();
  } catch (...) {
    // Destructors must not throw; close() is the call that reports errors.
  }
}

TsvWriter::TsvWriter(TsvWriter&&) noexcept = default;

TsvWriter& TsvWriter::operator=(TsvWriter&& other) noexcept {
  if (this != &other) {
    TsvWriter discarded(std::move(*this));  // closes our current file, quietly
    state_ = std::move(other.state_);
  }
  return *this;
}

void TsvWriter::write_row(std::initializer_list<std::string_view> fields) {
  write_row(std::span<const std::string_view>(fields.begin(), fields.size()));
}

void TsvWriter::write_row(std::span<const std::string_view> fields) {
  for (std::string_view text : fields) state_->append(text);
  state_->end_row();
}

TsvWriter& TsvWriter::field(std::string_view text) {
  state_->append(text);
  return *this;
}

TsvWriter& TsvWriter::field(double value) {
  if (!std::isfinite(value)) {
    state_->fail("field " + std::to_string(state_->row_fields + 1) + " is not a finite number");
  }
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return field(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
}

TsvWriter& TsvWriter::fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    state_->fail("field " + std::to_string(state_->row_fields + 1) + " is not a finite number");
  }
  char digits[352];  // the longest fixed form of a finite double with up to 17 decimals
  const auto result =
      std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, decimals);
  return field(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
}

TsvWriter& TsvWriter::field_signed(int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return field(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
}

TsvWriter& TsvWriter::field_unsigned(uint64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return field(std::string_view(digits, static_cast<size_t>(result.ptr - digits)));
}

void TsvWriter::end_row() { state_->end_row(); }
void TsvWriter::close() { state_->close(); }
int64_t TsvWriter::rows_written() const { return state_->rows; }
const std::string& TsvWriter::path() const { return state_->path; }

}  // namespace kerec::io
