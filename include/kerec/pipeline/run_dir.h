// The run directory (docs/design.md §3): one folder per committed stage, `manifest.json` recording
// each stage's fingerprint, counts and wall time, the effective `config.toml`, and
// `logs/rank-N.log`. Only rank 0 writes the manifest; every write is atomic (temporary file, fsync,
// rename).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kerec/pipeline/artifacts.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {

// A committed artifact that does not match its manifest record (damaged, truncated, replaced).
class DamagedArtifact : public InputError {
 public:
  using InputError::InputError;
};

class RunDir {
 public:
  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path stage_path(const std::string& stage) const { return root_ / stage; }
  std::filesystem::path path(const Artifact& a) const { return root_ / a.stage / a.file; }
  std::filesystem::path log_path(int rank) const;

  // Creates the root and logs/ (IoError on failure).
  void create() const;
  // The manifest, or an empty object when there is none. InputError naming the file if it is
  // corrupt.
  nlohmann::json manifest() const;
  // The manifest entry of a committed stage whose folder exists, if any.
  std::optional<nlohmann::json> committed(const std::string& stage) const;
  // Replaces the stage's entry in the manifest, atomically.
  void record(const std::string& stage, const nlohmann::json& entry) const;
  // Size and XXH64 of every regular file under `dir`, keyed by its path relative to `dir`:
  // {"verdicts.h5": {"bytes": 123, "xxh64": "0123456789abcdef"}, ...}. What record() stores as an
  // entry's "files" when a stage commits.
  static nlohmann::json digest_folder(const std::filesystem::path& dir);
  // Why the committed stage's files differ from its manifest record — the first file missing, of
  // another size or checksum — or "" when they match (or the entry records no files: written by an
  // older kerec). Reads every file (sizes first, then checksums).
  std::string damage(const std::string& stage) const;
  // Throws DamagedArtifact with damage() and the command that rebuilds the stage.
  void verify(const std::string& stage) const;
  // Writes `text` to root/name atomically.
  void write_file(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path root_;
};

// The exclusive claim of one job on a run directory: a POSIX record lock (fcntl, which NFS and
// Lustre honour) on RUN/.lock, held until destruction (or the process's death: a killed job leaves
// no stale lock). The file names the holder (host, pid, Slurm job id, start time) for the message
// another job gets. Rank 0 only.
class RunLock {
 public:
  // Throws RunDirInUse naming the holder when another process holds it; IoError when the file
  // cannot be created.
  explicit RunLock(const RunDir& run);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

class RunDirInUse : public Error {
 public:
  using Error::Error;
};

// Removes the `*.staging-*` folders of dead jobs in the run directory (call it holding the
// RunLock, so no live writer owns them) and returns their names, for the log.
std::vector<std::string> remove_stale_staging(const RunDir& run);

// For a file inside a run directory (RUN/STAGE/NAME, e.g. another run's judge/verdicts.h5 given as
// pairs.previous): when RUN/manifest.json records it, checks its size and XXH64 and throws
// DamagedArtifact on a mismatch. Returns whether it was recorded (and so verified).
bool verify_recorded_file(const std::filesystem::path& file);

}  // namespace kerec::pipeline
