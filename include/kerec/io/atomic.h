// Atomic commit of artifacts: a reader sees a complete old version or a complete new one, never a
// partial file, including after a crash or power loss (POSIX rename + fsync of file and directory).
//
// Single writer: each artifact path has one writer at a time (the stage that owns it).
//
// Several ranks: this is plain file-system code with no communicator. For a directory artifact one
// rank (rank 0) constructs the StagingDir and broadcasts path() (dist::broadcast_string); after a
// barrier every rank writes its files into it and closes them; after a second barrier rank 0 calls
// commit(). The caller does the barriers. Ranks must not write under final_path() directly.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kerec::io {

// Replaces the file `path` by `bytes` atomically: writes `<path>.tmp-<pid>` in the same directory,
// fsyncs it, renames it over `path`, fsyncs the directory. Throws IoError naming the path and
// errno's text on any failure; the temporary file is removed on failure and `path` is left as it
// was.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);
// The same, for bytes produced in pieces (a file larger than one should hold in memory): `produce`
// is called once with `append`, which writes its argument to the temporary file. When `produce`
// throws, the temporary file is removed, `path` is left as it was, and the exception propagates.
using AppendBytes = std::function<void(std::string_view)>;
void write_file_atomic_streamed(const std::filesystem::path& path,
                                const std::function<void(const AppendBytes& append)>& produce);

// fsync of a file or directory (opened read-only). IoError naming the path on failure.
void fsync_path(const std::filesystem::path& path);
// Asks the kernel to start writing the dirty pages of `path` to the device now, without waiting
// (sync_file_range SYNC_FILE_RANGE_WRITE), so that a later fsync_path has less left to do. A hint:
// failures are ignored (the later fsync reports real errors).
void start_writeback(const std::filesystem::path& path);
// fsync of a directory, making renames and creations inside it durable.
void fsync_dir(const std::filesystem::path& dir);

// A directory artifact under construction.
//
// The constructor creates the fresh, empty directory `<final>.staging-<token>` next to `final`
// (token: pid and a per-process counter, plus a random part). The caller writes into path().
// commit() then
//   1. fsyncs every file and directory under path(),
//   2. if `final` exists: removes stale `<final>.old-*` siblings (garbage from an earlier crash,
//      since `final` is complete) and renames `final` to `<final>.old-<token>`,
//   3. renames path() to `final` and fsyncs the parent directory,
//   4. removes `<final>.old-<token>` and fsyncs the parent again.
// A crash at any point leaves a complete version:
//   - before step 2's rename: `final` (the old version) or nothing if there was none;
//   - between the two renames: no `final`, only `<final>.old-<token>`, the complete old version;
//   - after step 3: `final`, the new version (a `.old-*` sibling may remain until the next commit).
// Readers use find_committed(final), which applies these rules. `.staging-*` directories are never
// complete versions; they can be deleted whenever no writer is running.
//
// If the StagingDir is destroyed without a successful commit(), the staging directory and
// everything in it is removed (errors ignored: the destructor may run during unwinding).
class StagingDir {
 public:
  explicit StagingDir(std::filesystem::path final_path);
  ~StagingDir();

  StagingDir(StagingDir&& other) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  // Where to write the new version (until commit()).
  const std::filesystem::path& path() const { return staging_; }
  const std::filesystem::path& final_path() const { return final_; }
  bool committed() const { return committed_; }

  // Publishes the staged directory as final_path(); IoError on failure (the staging directory is
  // then still removed by the destructor, and final_path() or its .old sibling is intact).
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  std::string token_;
  bool committed_ = false;
};

// The path a reader should open for the artifact committed as `final`: `final` itself if it exists;
// otherwise the `<final>.old-*` sibling left by a commit interrupted between its two renames (at
// most one exists then); std::nullopt if neither exists.
std::optional<std::filesystem::path> find_committed(const std::filesystem::path& final_path);

}  // namespace kerec::io
