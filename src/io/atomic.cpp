// Atomic commit of files and directories with rename and fsync.
#include "kerec/io/atomic.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "kerec/util/error.h"

namespace kerec::io {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void throw_errno(const std::string& what, const fs::path& path, int error) {
  throw IoError(errno_message(what + " '" + path.string() + "'", error));
}

[[noreturn]] void throw_error_code(const std::string& what, const fs::path& path,
                                   const std::error_code& error) {
  throw IoError(what + " '" + path.string() + "': " + error.message());
}

// An open file descriptor, closed quietly by the destructor; close() reports errors.
class Fd {
 public:
  Fd(const fs::path& path, int flags, mode_t mode = 0) : path_(path) {
    do fd_ = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) throw_errno("open", path, errno);
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("write", path_, errno);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  void fsync() {
    if (::fsync(fd_) != 0) throw_errno("fsync", path_, errno);
  }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_errno("close", path_, errno);
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

fs::path parent_of(const fs::path& path) {
  const fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

void rename_path(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw_errno("rename to '" + to.string() + "' of", from, errno);
  }
}

// Siblings of `final_path` named `<name>.<kind>-*`, sorted.
std::vector<fs::path> siblings(const fs::path& final_path, const std::string& kind) {
  const std::string prefix = final_path.filename().string() + "." + kind + "-";
  std::vector<fs::path> out;
  std::error_code error;
  fs::directory_iterator it(parent_of(final_path), error);
  if (error) {
    if (error == std::errc::no_such_file_or_directory) return out;
    throw_error_code("list directory", parent_of(final_path), error);
  }
  for (const fs::directory_entry& entry : it) {
    if (entry.path().filename().string().starts_with(prefix)) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void remove_tree(const fs::path& path) {
  std::error_code error;
  fs::remove_all(path, error);
  if (error) throw_error_code("remove", path, error);
}

bool path_exists(const fs::path& path) {
  std::error_code error;
  const bool exists = fs::exists(fs::symlink_status(path, error));
  if (error && error != std::errc::no_such_file_or_directory) {
    throw_error_code("stat", path, error);
  }
  return exists;
}

// fsyncs every regular file and directory under `root`, then `root` itself.
void fsync_tree(const fs::path& root) {
  std::error_code error;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error)) {
    const fs::file_status status = it->symlink_status(error);
    if (error) break;
    if (fs::is_regular_file(status) || fs::is_directory(status)) fsync_path(it->path());
  }
  if (error) throw_error_code("walk", root, error);
  fsync_dir(root);
}

std::string new_token() {
  static std::atomic<uint64_t> counter{0};
  char random[9];
  std::snprintf(random, sizeof random, "%08x", static_cast<unsigned>(std::random_device{}()));
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + random;
}

}  // namespace

void fsync_path(const fs::path& path) {
  Fd fd(path, O_RDONLY);
  fd.fsync();
  fd.close();
}

void start_writeback(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  ::close(fd);
}

void fsync_dir(const fs::path& dir) {
  Fd fd(dir, O_RDONLY | O_DIRECTORY);
  fd.fsync();
  fd.close();
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  write_file_atomic_streamed(path, [&](const AppendBytes& append) { append(bytes); });
}

void write_file_atomic_streamed(const fs::path& path,
                                const std::function<void(const AppendBytes& append)>& produce) {
  fs::path temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  try {
    Fd fd(temp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    try {
      produce([&fd](std::string_view bytes) { fd.write_all(bytes); });
      fd.fsync();
      fd.close();
      rename_path(temp, path);
    } catch (...) {
      ::unlink(temp.c_str());
      throw;
    }
  } catch (const IoError& error) {
    throw IoError("write_file_atomic '" + path.string() + "': " + error.what());
  }
  fsync_dir(parent_of(path));
}

// ---- StagingDir ----

StagingDir::StagingDir(fs::path final_path) : final_(std::move(final_path)), token_(new_token()) {
  final_ = final_.lexically_normal();
  if (!final_.has_filename()) final_ = final_.parent_path();  // "out/run/" names "out/run"
  if (final_.empty()) throw std::invalid_argument("StagingDir: empty final path");
  staging_ = final_;
  staging_ += ".staging-" + token_;
  if (::mkdir(staging_.c_str(), 0755) != 0) {
    const int error = errno;
    staging_.clear();  // nothing of ours to remove
    fs::path attempted = final_;
    attempted += ".staging-" + token_;
    throw_errno("create staging directory", attempted, error);
  }
}

StagingDir::StagingDir(StagingDir&& other) noexcept
    : final_(std::move(other.final_)),
      staging_(std::move(other.staging_)),
      token_(std::move(other.token_)),
      committed_(other.committed_) {
  other.staging_.clear();
}

StagingDir::~StagingDir() {
  if (committed_ || staging_.empty()) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void StagingDir::commit() {
  if (committed_)
    throw std::logic_error("StagingDir::commit: '" + final_.string() + "' committed twice");
  if (staging_.empty()) throw std::logic_error("StagingDir::commit: moved-from StagingDir");
  fsync_tree(staging_);
  const fs::path parent = parent_of(final_);
  fs::path old = final_;
  old += ".old-" + token_;
  const bool had_final = path_exists(final_);
  if (had_final) {
    // `final` is complete, so every .old-* sibling is garbage; removing them keeps "at most one
    // .old-* when `final` is missing", which find_committed relies on.
    for (const fs::path& stale : siblings(final_, "old")) remove_tree(stale);
    rename_path(final_, old);
  }
  try {
    rename_path(staging_, final_);
  } catch (...) {
    if (had_final) ::rename(old.c_str(), final_.c_str());  // best effort: put the old version back
    throw;
  }
  committed_ = true;
  fsync_dir(parent);
  for (const fs::path& stale : siblings(final_, "old")) remove_tree(stale);
  fsync_dir(parent);
}

std::optional<fs::path> find_committed(const fs::path& final_path) {
  if (path_exists(final_path)) return final_path;
  const std::vector<fs::path> old = siblings(final_path, "old");
  if (old.empty()) return std::nullopt;
  return old.front();
}

}  // namespace kerec::io
