// Internal: files that are read or written either as plain bytes (read(2)/write(2)) or through
// zlib's gzip stream, behind one small interface, so the TSV reader and writer have one code path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace kerec::io::detail {

// True when `path` ends in ".gz" (the writer compresses by name).
bool has_gz_suffix(const std::string& path);

// A file opened for sequential reading. Gzip is detected by the magic bytes 1f 8b; a name ending
// in ".gz" whose non-empty content lacks them is an InputError (a mislabelled file is a user error
// worth naming). Concatenated gzip members are read as one stream.
class InputFile {
 public:
  // Throws IoError naming `path` when it cannot be opened or stat'ed.
  explicit InputFile(std::string path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  bool gzip() const { return gz_ != nullptr; }
  // Size on disk (compressed size for gzip), taken when the file was opened.
  uint64_t size_bytes() const { return size_bytes_; }

  // Reads up to `bytes` (decompressed for gzip) into `dst`; returns 0 only at end of data.
  // Throws IoError on a failed read and InputError on a corrupt or truncated gzip stream.
  size_t read(char* dst, size_t bytes);

  // Plain files only: the next read() starts at byte `offset`.
  void seek(uint64_t offset);
  // Plain files only: reads up to `bytes` at `offset` without moving the read position.
  size_t pread(char* dst, size_t bytes, uint64_t offset) const;

 private:
  void open_gzip();

  std::string path_;
  int fd_ = -1;
  void* gz_ = nullptr;  // gzFile; void* keeps zlib.h out of this header
  uint64_t size_bytes_ = 0;
};

// A file created (or truncated) for writing, plain or gzip (level 6) as chosen at construction.
class OutputFile {
 public:
  // Throws IoError naming `path` when it cannot be created.
  OutputFile(std::string path, bool gzip);
  // Closes without throwing if close() was not called; errors are then lost.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Writes all `bytes` (retrying short writes); throws IoError naming the path.
  void write(const char* data, size_t bytes);
  // Finishes the gzip stream, fsyncs and closes. Throws IoError on failure. Idempotent.
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  std::string path_;
  int fd_ = -1;         // kept (a dup for gzip) so close() can fsync after the gzip trailer
  void* gz_ = nullptr;  // gzFile
};

}  // namespace kerec::io::detail
