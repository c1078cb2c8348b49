#include "io/gzip_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "kerec/util/error.h"

namespace kerec::io::detail {
namespace {

constexpr unsigned kGzipBufferBytes = 1u << 20;
constexpr size_t kMaxCallBytes = 1u << 30;  // zlib takes unsigned counts; stay well below

gzFile as_gz(void* handle) { return static_cast<gzFile>(handle); }

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
  throw IoError(errno_message(what + " '" + path + "'", errno));
}

// The zlib error of `gz` as an exception: an OS error is an IoError, anything else (corrupt or
// truncated data) an InputError.
[[noreturn]] void throw_gz_error(gzFile gz, const std::string& path, const char* doing) {
  int code = Z_OK;
  const char* text = gzerror(gz, &code);
  if (code == Z_ERRNO) throw_errno(doing, path);
  if (code == Z_MEM_ERROR) throw IoError(path + ": " + doing + ": out of memory in zlib");
  if (code == Z_BUF_ERROR) {
    throw InputError(path + ": truncated gzip stream (unexpected end of file)");
  }
  throw InputError(path + ": corrupt gzip stream: " + text);
}

bool has_gzip_magic(int fd) {
  unsigned char magic[2] = {0, 0};
  ssize_t got;
  do {
    got = ::pread(fd, magic, 2, 0);
  } while (got < 0 && errno == EINTR);
  return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

}  // namespace

bool has_gz_suffix(const std::string& path) {
  return path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

InputFile::InputFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw_errno("cannot open", path_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    ::close(fd_);
    throw_errno("cannot stat", path_);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw IoError("cannot read '" + path_ + "': not a regular file");
  }
  size_bytes_ = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (size_bytes_ == 0) return;  // empty: the reader reports it, whatever the name
  if (has_gzip_magic(fd_)) {
    open_gzip();
  } else if (has_gz_suffix(path_)) {
    ::close(fd_);
    throw InputError(path_ +
                     ": name ends in .gz but the file is not gzip-compressed "
                     "(no 1f 8b magic bytes)");
  }
}

void InputFile::open_gzip() {
  const int gz_fd = ::dup(fd_);
  if (gz_fd < 0) {
    ::close(fd_);
    throw_errno("cannot dup descriptor of", path_);
  }
  gz_ = gzdopen(gz_fd, "rb");
  if (gz_ == nullptr) {
    ::close(gz_fd);
    ::close(fd_);
    throw IoError(path_ + ": cannot start gzip decompression");
  }
  gzbuffer(as_gz(gz_), kGzipBufferBytes);
}

InputFile::~InputFile() {
  if (gz_ != nullptr) gzclose(as_gz(gz_));
  if (fd_ >= 0) ::close(fd_);
}

size_t InputFile::read(char* dst, size_t bytes) {
  bytes = std::min(bytes, kMaxCallBytes);
  if (gz_ != nullptr) {
    const int got = gzread(as_gz(gz_), dst, static_cast<unsigned>(bytes));
    if (got < 0) throw_gz_error(as_gz(gz_), path_, "cannot read");
    int code = Z_OK;
    if (got == 0) gzerror(as_gz(gz_), &code);
    if (code != Z_OK) throw_gz_error(as_gz(gz_), path_, "cannot read");
    return static_cast<size_t>(got);
  }
  ssize_t got;
  do {
    got = ::read(fd_, dst, bytes);
  } while (got < 0 && errno == EINTR);
  if (got < 0) throw_errno("cannot read", path_);
  return static_cast<size_t>(got);
}

void InputFile::seek(uint64_t offset) {
  if (gz_ != nullptr) throw std::logic_error("InputFile::seek on a gzip stream: " + path_);
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) throw_errno("cannot seek", path_);
}

size_t InputFile::pread(char* dst, size_t bytes, uint64_t offset) const {
  if (gz_ != nullptr) throw std::logic_error("InputFile::pread on a gzip stream: " + path_);
  ssize_t got;
  do {
    got = ::pread(fd_, dst, std::min(bytes, kMaxCallBytes), static_cast<off_t>(offset));
  } while (got < 0 && errno == EINTR);
  if (got < 0) throw_errno("cannot read", path_);
  return static_cast<size_t>(got);
}

OutputFile::OutputFile(std::string path, bool gzip) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_errno("cannot create", path_);
  if (!gzip) return;
  const int gz_fd = ::dup(fd_);
  gz_ = gz_fd < 0 ? nullptr : gzdopen(gz_fd, "wb6");
  if (gz_ == nullptr) {
    const int saved = errno;
    if (gz_fd >= 0) ::close(gz_fd);
    ::close(fd_);
    fd_ = -1;
    throw IoError(errno_message("cannot start gzip compression of '" + path_ + "'", saved));
  }
  gzbuffer(as_gz(gz_), kGzipBufferBytes);
}

OutputFile::~OutputFile() {
  try {
    close();
  } catch (...) {
    // Destructors must not throw; close() is the call that reports errors.
  }
}

void OutputFile::write(const char* data, size_t bytes) {
  if (fd_ < 0) throw std::logic_error("OutputFile::write after close: " + path_);
  while (bytes > 0) {
    const size_t chunk = std::min(bytes, kMaxCallBytes);
    ssize_t done;
    if (gz_ != nullptr) {
      done = gzwrite(as_gz(gz_), data, static_cast<unsigned>(chunk));
      if (done <= 0) throw_gz_error(as_gz(gz_), path_, "cannot write");
    } else {
      done = ::write(fd_, data, chunk);
      if (done < 0 && errno == EINTR) continue;
      if (done < 0) throw_errno("cannot write", path_);
    }
    data += done;
    bytes -= static_cast<size_t>(done);
  }
}

void OutputFile::close() {
  if (fd_ < 0) return;
  int gz_status = Z_OK;
  if (gz_ != nullptr) gz_status = gzclose(as_gz(gz_));
  gz_ = nullptr;
  const int gz_errno = errno;
  const bool synced = ::fsync(fd_) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (gz_status != Z_OK) {
    throw IoError(errno_message("cannot finish gzip stream '" + path_ + "'", gz_errno));
  }
  if (!synced) throw IoError(errno_message("cannot fsync '" + path_ + "'", sync_errno));
  if (!closed) throw_errno("cannot close", path_);
}

}  // namespace kerec::io::detail
