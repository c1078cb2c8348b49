// The job: one TOML file (jobs/*.toml) with a table per component. Every key is declared, with its
// doc and allowed values, in the component's bind(); docs/config.md is generated from them
// (`kerec config --reference`).
#pragma once

#include <string>
#include <vector>

#include "kerec/ab/config.h"
#include "kerec/config/binder.h"
#include "kerec/dist/comm.h"
#include "kerec/extract/config.h"
#include "kerec/graph/config.h"
#include "kerec/io/tsv.h"
#include "kerec/llm/config.h"
#include "kerec/pairs/config.h"
#include "kerec/recall/config.h"
#include "kerec/train/config.h"
#include "kerec/train/eei_config.h"
#include "kerec/world/world.h"

namespace kerec::pipeline {

struct RunConfig {
  std::string dir = "runs/demo";  // the run directory: one folder per stage, manifest.json, logs/
  // The watchdog (util/watchdog.h): an HDF5 open or read, or a collective, that has not returned
  // after this many seconds ends the job with an error naming the rank and the call. 0: no limit.
  double stuck_read_s = 600;
  double stuck_collective_s = 3600;
  void bind(config::Binder& b);
};

struct InputConfig {
  std::string dir;                  // folder with items.tsv, bills.tsv, exposures.tsv, entities.tsv
  std::string on_bad_row = "fail";  // "fail": stop at the first bad row; "skip": count and skip it
  int64_t max_bad_rows = 1000;  // with "skip": more bad rows than this in one file (all ranks) fail
  void bind(config::Binder& b);
  // The TSV reader's policy for these keys (a rank alone may not exceed the global budget either).
  io::BadRowPolicy bad_row_policy() const;
};

struct LogConfig {
  std::string level = "info";
  double progress_interval_s = 10.0;
  void bind(config::Binder& b);
};

struct JobConfig {
  RunConfig run;
  InputConfig input;
  world::WorldConfig world;
  LogConfig log;
  extract::ExtractConfig extract;
  pairs::PairsConfig pairs;  // popularity and pairs stages
  llm::LlmConfig llm;        // judge stage
  graph::GraphConfig graph;  // graph stage
  train::TrainConfig train;
  train::EeiConfig eei;          // integrate stage
  recall::ExportConfig serving;  // export stage ([export])
  ab::AbConfig ab;               // ab stage

  void bind(config::Binder& b);
  // Path of an input file: input.dir/NAME, or world.dir/NAME when input.dir is empty.
  std::string input_path(const std::string& name) const;
  // The effective config as TOML; with `sections`, only those tables.
  std::string to_toml(const std::vector<std::string>& sections = {}) const;
};

// docs/config.md: the Markdown reference of every key of the job, with defaults.
std::string config_reference();

// The job file compiled into the binary (jobs/demo.toml), used when no --config is given.
const std::string& embedded_demo_job();

// Collective. Rank 0 reads `path` (the embedded demo job when empty), applies the overrides and
// validates every key; the effective config is broadcast as TOML and parsed by every rank, so all
// ranks hold the same JobConfig. A bad config throws ConfigError (RemoteError on ranks > 0).
JobConfig load_job(dist::Comm& comm, const std::string& path,
                   const std::vector<std::string>& overrides);

}  // namespace kerec::pipeline
