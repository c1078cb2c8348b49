#include "kerec/world/tsv_writer.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include "kerec/util/error.h"

namespace kerec::world {

static constexpr size_t kBufferBytes = 1 << 20;

TsvWriter::TsvWriter(std::string path) : path_(std::move(path)), buffer_(kBufferBytes) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) throw IoError(errno_message("open " + path_ + " for writing", errno));
}

TsvWriter::~TsvWriter() {
  try {
    close();
  } catch (const Error&) {
    // Destructors must not throw; callers that care call close() themselves.
  }
}

void TsvWriter::flush() {
  if (used_ && std::fwrite(buffer_.data(), 1, used_, file_) != used_)
    throw IoError(errno_message("write " + path_, errno));
  used_ = 0;
}

void TsvWriter::close() {
  if (!file_) return;
  std::FILE* f = file_;
  try {
    flush();
  } catch (...) {
    std::fclose(f);
    file_ = nullptr;
    throw;
  }
  file_ = nullptr;
  if (std::fclose(f) != 0) throw IoError(errno_message("close " + path_, errno));
}

void TsvWriter::reserve(size_t n) {
  if (used_ + n > buffer_.size()) flush();
  if (n > buffer_.size()) buffer_.resize(n);
}

void TsvWriter::separator() {
  if (row_started_) {
    reserve(1);
    buffer_[used_++] = '\t';
  }
  row_started_ = true;
}

TsvWriter& TsvWriter::field(std::string_view text) {
  separator();
  reserve(text.size());
  std::memcpy(buffer_.data() + used_, text.data(), text.size());
  used_ += text.size();
  return *this;
}

TsvWriter& TsvWriter::field(int64_t value) {
  separator();
  reserve(24);
  used_ = std::to_chars(buffer_.data() + used_, buffer_.data() + buffer_.size(), value).ptr -
          buffer_.data();
  return *this;
}

TsvWriter& TsvWriter::fixed(double value, int decimals) {
  separator();
  reserve(64);
  char* begin = buffer_.data() + used_;
  const auto r = std::to_chars(begin, buffer_.data() + buffer_.size(), value,
                               std::chars_format::fixed, decimals);
  used_ = r.ptr - buffer_.data();
  return *this;
}

void TsvWriter::end_row() {
  reserve(1);
  buffer_[used_++] = '\n';
  row_started_ = false;
  ++rows_;
}

void TsvWriter::header(std::initializer_list<std::string_view> columns) {
  for (std::string_view c : columns) field(c);
  end_row();
  --rows_;  // the header is not a data row
}

void concatenate_files(const std::string& out_path, std::string_view header,
                       const std::vector<std::string>& parts) {
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) throw IoError(errno_message("open " + out_path + " for writing", errno));
  std::vector<char> buffer(kBufferBytes);
  auto fail = [&](const std::string& what) {
    const int err = errno;
    std::fclose(out);
    throw IoError(errno_message(what, err));
  };
  if (!header.empty() && std::fwrite(header.data(), 1, header.size(), out) != header.size())
    fail("write " + out_path);
  for (const std::string& part : parts) {
    std::FILE* in = std::fopen(part.c_str(), "rb");
    if (!in) fail("open " + part);
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) {
      if (std::fwrite(buffer.data(), 1, n, out) != n) {
        std::fclose(in);
        fail("write " + out_path);
      }
    }
    const bool read_error = std::ferror(in);
    std::fclose(in);
    if (read_error) fail("read " + part);
  }
  if (std::fclose(out) != 0) throw IoError(errno_message("close " + out_path, errno));
}

}  // namespace kerec::world
