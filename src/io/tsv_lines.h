// Internal: the TSV reader's buffered line source. Reads the file in large blocks (read(2) or
// zlib) into one buffer and hands out lines as views into it; the buffer grows only for a line
// longer than itself. The row path finds the newline and the tabs of a line in one pass,
// 16 bytes at a time (SSE2; 8 with the portable fallback), instead of one memchr per field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "io/gzip_file.h"

namespace kerec::io::detail {

class LineBuffer {
 public:
  // `file` must outlive the LineBuffer. `first_read_bytes` limits the first read (a part that
  // only needs the header from the file's start should not read a whole block there).
  LineBuffer(InputFile& file, size_t block_bytes, size_t first_read_bytes);

  // The next line without its '\n' (a final line without one included); false at end of data.
  // `offset` is the file offset of the line's first byte. The view is valid until the next call.
  bool next_line(std::string_view& line, uint64_t& offset);

  // Like next_line, and also splits the line at tabs: fields[k] is the k-th field for k below
  // fields.size(), and `field_count` the number of fields in the line (tabs + 1). A trailing '\r'
  // is stripped from the line and its last field. `ascii` true means the line is pure ASCII (so
  // valid UTF-8); false means it may not be and needs checking.
  bool next_split_line(std::string_view& line, uint64_t& offset, std::span<std::string_view> fields,
                       size_t& field_count, bool& ascii);

  // Plain files: continue reading at file offset `offset`.
  void seek(uint64_t offset);
  // File offset of the first byte not yet handed out.
  uint64_t position() const { return buffer_offset_ + pos_; }
  // Bytes read from the file so far (decompressed bytes for gzip).
  int64_t bytes_read() const { return bytes_read_; }

 private:
  struct Scan {
    const char* newline = nullptr;     // the line's '\n', or nullptr if not in the buffer
    const char* last_field = nullptr;  // first byte of the line's last field
    bool ascii = true;                 // no byte >= 0x80 seen in the scanned blocks
  };
  Scan scan(std::span<std::string_view> fields, size_t& field_count) const;
  size_t capacity() const { return buffer_.size() - kPadBytes; }
  void refill();

  // Block loads may run up to 15 bytes past the data; the padding keeps them inside the buffer.
  static constexpr size_t kPadBytes = 16;

  InputFile& file_;
  std::vector<char> buffer_;  // file bytes [buffer_offset_, buffer_offset_ + end_) + padding
  size_t pos_ = 0;            // first byte not yet handed out
  size_t end_ = 0;            // end of the valid bytes
  uint64_t buffer_offset_ = 0;
  size_t read_limit_;
  bool eof_ = false;
  int64_t bytes_read_ = 0;
};

}  // namespace kerec::io::detail
