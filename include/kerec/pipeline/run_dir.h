// The run directory (docs/design.md §3): one folder per committed stage, `manifest.json` recording each
// stage's fingerprint, counts and wall time, the effective `config.toml`, and `logs/rank-N.log`.
// Only rank 0 writes the manifest; every write is atomic (temporary file, fsync, rename).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kerec::pipeline {

class RunDir {
 public:
  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path stage_path(const std::string& stage) const { return root_ / stage; }
  std::filesystem::path log_path(int rank) const;

  // Creates the root and logs/ (IoError on failure).
  void create() const;
  // The manifest, or an empty object when there is none. InputError naming the file if it is corrupt.
  nlohmann::json manifest() const;
  // The manifest entry of a committed stage whose folder exists, if any.
  std::optional<nlohmann::json> committed(const std::string& stage) const;
  // Replaces the stage's entry in the manifest, atomically.
  void record(const std::string& stage, const nlohmann::json& entry) const;
  // Writes `text` to root/name atomically.
  void write_file(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path root_;
};

}  // namespace kerec::pipeline
