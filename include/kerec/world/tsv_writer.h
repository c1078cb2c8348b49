// A buffered TSV writer: fields are appended with to_chars into a 1 MiB buffer, no per-row
// allocation. Fields must not contain tabs or newlines (the world's texts never do).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::world {

class TsvWriter {
 public:
  // Creates/truncates `path`. Throws IoError naming the path.
  explicit TsvWriter(std::string path);
  ~TsvWriter();
  TsvWriter(const TsvWriter&) = delete;
  TsvWriter& operator=(const TsvWriter&) = delete;

  TsvWriter& field(std::string_view text);
  TsvWriter& field(int64_t value);
  // Fixed-point with `decimals` digits after the point.
  TsvWriter& fixed(double value, int decimals);
  void end_row();
  // Writes the header row: the column names tab-separated.
  void header(std::initializer_list<std::string_view> columns);

  int64_t rows() const { return rows_; }
  // Flushes and closes; throws IoError on failure. Called by the destructor (which swallows
  // errors).
  void close();

 private:
  void separator();
  void reserve(size_t n);
  void flush();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t used_ = 0;
  bool row_started_ = false;
  int64_t rows_ = 0;
};

// Appends the files `parts` in order to `out_path` (which is created or truncated, then gets
// `header` first when it is not empty). Throws IoError naming the file.
void concatenate_files(const std::string& out_path, std::string_view header,
                       const std::vector<std::string>& parts);

}  // namespace kerec::world
