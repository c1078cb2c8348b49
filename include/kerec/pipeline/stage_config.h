// What a stage sees of the job: one accessor per config table, each recording that the table was
// read, and input_path(), recording the input files asked for. A stage's outputs may depend only
// on what its fingerprint covers: the tables it declares (Stage::config_sections()) and the files
// it lists (Stage::input_files(), fingerprinted by path, size and time). After a stage runs, the
// runner checks both and fails the stage naming the table or file it did not declare. So a stage
// cannot come to depend on something silently, and a committed stage is never reused after a
// change its fingerprint missed.
//
// Always readable, because they do not change what a stage writes: `run` and `log`, and
// config_sha256() (the whole config's hash, written into artifacts as provenance). input_path()
// reads `input` only: where input.dir is empty it resolves under world.dir, but the file itself is
// what the fingerprint covers.
//
// Thread safety: accessors may be called from any thread of the rank.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kerec/pipeline/job_config.h"

namespace kerec::pipeline {

class StageConfig {
 public:
  explicit StageConfig(const JobConfig& job) : job_(job) {}

  const RunConfig& run() const { return job_.run; }
  const LogConfig& log() const { return job_.log; }
  const InputConfig& input() const { return read(kInput, job_.input); }
  const world::WorldConfig& world() const { return read(kWorld, job_.world); }
  const extract::ExtractConfig& extract() const { return read(kExtract, job_.extract); }
  const pairs::PairsConfig& pairs() const { return read(kPairs, job_.pairs); }
  const llm::LlmConfig& llm() const { return read(kLlm, job_.llm); }
  const graph::GraphConfig& graph() const { return read(kGraph, job_.graph); }
  const train::TrainConfig& train() const { return read(kTrain, job_.train); }
  const train::EeiConfig& eei() const { return read(kEei, job_.eei); }
  const recall::ExportConfig& serving() const { return read(kExport, job_.serving); }
  const ab::AbConfig& ab() const { return read(kAb, job_.ab); }

  // JobConfig::input_path; reads `input` and records the path.
  std::string input_path(const std::string& name) const;
  // The named tables as TOML (JobConfig::to_toml); reads each of them.
  std::string to_toml(const std::vector<std::string>& sections) const;
  // SHA-256 of the whole effective config: provenance for artifacts, not a dependency.
  std::string config_sha256() const;

  // The tables read so far, other than the always-readable ones, by their TOML names.
  std::vector<std::string> tables_read() const;
  // The tables read that are not in `declared`, by their TOML names.
  std::vector<std::string> undeclared(const std::vector<std::string>& declared) const;
  // The paths input_path() gave that name an existing file not in `listed`.
  std::vector<std::string> unlisted_files(const std::vector<std::string>& listed) const;
  // Throws std::logic_error naming `stage` and the tables or files when undeclared(tables) or
  // unlisted_files(files) is not empty.
  void require_declared(const std::string& stage, const std::vector<std::string>& tables,
                        const std::vector<std::string>& files) const;
  // The TOML names of the tables a stage may declare.
  static const std::vector<std::string>& table_names();

 private:
  enum Table : uint32_t {
    kInput,
    kWorld,
    kExtract,
    kPairs,
    kLlm,
    kGraph,
    kTrain,
    kEei,
    kExport,
    kAb
  };

  template <class T>
  const T& read(Table table, const T& section) const {
    read_mask_.fetch_or(1u << table, std::memory_order_relaxed);
    return section;
  }

  const JobConfig& job_;
  mutable std::atomic<uint32_t> read_mask_{0};
  mutable std::mutex paths_mutex_;
  mutable std::set<std::string> paths_;  // input_path() results
};

}  // namespace kerec::pipeline
