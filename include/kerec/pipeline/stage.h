// A pipeline stage (docs/design.md §2.2): reads the artifacts of the stages before it and the input
// files, writes its own artifacts into a staging folder that is committed (renamed into place) only
// when the stage completes on every rank, and returns a report (written as report.json).
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/pipeline/artifacts.h"
#include "kerec/pipeline/job_config.h"
#include "kerec/pipeline/stage_config.h"
#include "kerec/pipeline/stage_run_dir.h"

namespace kerec::pipeline {

struct StageContext {
  dist::Comm& comm;
  const StageConfig& config;  // reads are checked against config_sections()
  const StageRunDir&
      run;  // reads of other stages' artifacts are checked against upstream_artifacts()
  std::filesystem::path out_dir;  // the staging folder, the same path on every rank
};

class Stage {
 public:
  virtual ~Stage() = default;

  virtual std::string name() const = 0;
  // Bump when the stage's outputs change meaning, so committed outputs are recomputed.
  virtual int version() const = 0;
  // What the stage's outputs depend on: config tables, the artifacts of earlier stages, input
  // files. A committed stage is skipped when all of these are unchanged (see runner.h).
  virtual std::vector<std::string> config_sections() const = 0;
  // The config text the fingerprint hashes: by default every key of config_sections(). A stage
  // that reads only some keys of a table, none of which other keys change the outputs of,
  // narrows it (extract: the [llm] keys that change linking's answers, not the judge's).
  virtual std::string config_fingerprint(const JobConfig& config) const;
  virtual std::vector<Artifact> upstream_artifacts() const = 0;
  virtual std::vector<std::string> input_files(const JobConfig& config) const = 0;
  // The stages that write upstream_artifacts(), in the order first named: they must be committed
  // before this one runs, and their fingerprints are part of its own.
  std::vector<std::string> upstream() const { return stages_of(upstream_artifacts()); }

  // Collective: every rank calls it. Writes artifacts into ctx.out_dir and returns the report;
  // rank 0's report is the one written. Must agree on local errors (dist/agree.h) before its next
  // collective, so that a bad row on one rank fails the stage on all of them.
  virtual nlohmann::json run(StageContext& ctx) = 0;

  // A few lines for a person, from the report.
  virtual std::string summary(const nlohmann::json& report) const = 0;
};

// The pipeline's stages, in order.
const std::vector<std::unique_ptr<Stage>>& all_stages();
// The stage called `name`, or nullptr.
Stage* find_stage(const std::string& name);

}  // namespace kerec::pipeline
