// What a running stage sees of the run directory: the artifacts of earlier stages, by name
// (pipeline/artifacts.h), and the run's root for the folders that outlive any one stage's run
// (journal/, model/). Like StageConfig for config tables, it records every artifact asked for;
// after the stage runs, the runner fails it, naming the artifact, if it read one that its
// upstream_artifacts() does not declare, since its fingerprint would not cover that file.
//
// Thread safety: artifact() may be called from any thread of the rank.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "kerec/pipeline/artifacts.h"
#include "kerec/pipeline/run_dir.h"

namespace kerec::pipeline {

class StageRunDir {
 public:
  explicit StageRunDir(const RunDir& run) : run_(run) {}

  // The artifact's path (which may not exist); records the read.
  std::filesystem::path artifact(const Artifact& a) const;
  // The run directory's root, for journal/ and model/ (never another stage's folder).
  const std::filesystem::path& root() const { return run_.root(); }

  // The artifacts asked for that are not in `declared`, in the order first asked for.
  std::vector<Artifact> undeclared(const std::vector<Artifact>& declared) const;
  // Throws std::logic_error naming `stage` and each undeclared artifact.
  void require_declared(const std::string& stage, const std::vector<Artifact>& declared) const;

 private:
  const RunDir& run_;
  mutable std::mutex mutex_;
  mutable std::vector<Artifact> read_;
};

}  // namespace kerec::pipeline
