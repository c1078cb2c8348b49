// Runs pipeline stages in order (`kerec run`, `kerec <stage>`).
//
// A stage's fingerprint is the SHA-256 of its name and version, the effective TOML of its config
// tables, the path, size and modification time of its input files, and the fingerprints of its
// upstream stages. A stage whose committed fingerprint in manifest.json equals the current one, and
// whose folder exists, is skipped; so a job killed at any point restarts at the first stage that
// did not commit, and changing a key reruns exactly the stages that depend on it.
#pragma once

#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/pipeline/job_config.h"

namespace kerec::pipeline {

struct RunOptions {
  std::vector<std::string> stages;  // empty: every stage
  bool force = false;               // rerun even when up to date
};

struct StageOutcome {
  std::string stage;
  bool skipped = false;
  double wall_s = 0.0;
};

// Collective. Throws on the first stage that fails (on every rank), leaving earlier stages
// committed.
std::vector<StageOutcome> run_stages(dist::Comm& comm, const JobConfig& config,
                                     const RunOptions& options);

}  // namespace kerec::pipeline
