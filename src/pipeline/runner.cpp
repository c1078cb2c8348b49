#include "kerec/pipeline/runner.h"

#include <sys/stat.h>
#include <chrono>
#include <ctime>
#include <set>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/atomic.h"
#include "kerec/pipeline/stage.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/resources.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

namespace fs = std::filesystem;

// Identity of an input file for the fingerprint: path, size and modification time (not its bytes:
// hashing gigabytes of logs on every run would cost more than some stages).
std::string file_identity(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw IoError(errno_message("input file '" + path + "'", errno));
  return path + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// Rank 0 only (reads the manifest and stats the inputs).
std::string fingerprint(const Stage& stage, const JobConfig& config, const RunDir& run) {
  Sha256 h;
  h.update(stage.name() + "\nversion " + std::to_string(stage.version()) + "\n");
  h.update(stage.config_fingerprint(config));
  for (const auto& path : stage.input_files(config)) h.update(file_identity(path) + "\n");
  for (const auto& up : stage.upstream()) {
    auto entry = run.committed(up);
    if (!entry)
      throw Error("stage '" + stage.name() + "' needs the outputs of stage '" + up +
                  "', which is not committed in " + run.root().string() +
                  "; run `kerec run` or `kerec " + up + "` first");
    h.update(up + " " + entry->value("fingerprint", "") + "\n");
  }
  return h.hex();
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Stages whose committed files rank 0 has checked against the manifest (or committed) in this
// invocation, so that each file is read for verification at most once.
using Verified = std::set<std::string>;

// Rank 0: every stage `stage` reads from, directly or through its upstream, checked before the
// stage parses any of it. Throws DamagedArtifact naming the file and the command that rebuilds it.
void verify_upstream(const Stage& stage, const RunDir& run, Verified& verified) {
  for (const auto& up : stage.upstream()) {
    if (verified.count(up)) continue;
    if (const Stage* s = find_stage(up)) verify_upstream(*s, run, verified);
    run.verify(up);
    verified.insert(up);
  }
}

// Rank 0 decides whether the stage is up to date; the decision is broadcast. A committed stage
// whose files no longer match the manifest is not: it runs again (the documented recovery).
bool up_to_date(dist::Comm& comm, const Stage& stage, const JobConfig& config, const RunDir& run,
                bool force, std::string& print, Verified& verified) {
  int32_t skip = 0;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    print = fingerprint(stage, config, run);
    auto entry = run.committed(stage.name());
    skip = !force && entry && entry->value("fingerprint", "") == print;
    if (!skip) return;
    const std::string why = run.damage(stage.name());
    if (why.empty()) return (void)verified.insert(stage.name());
    log::warn("{}: {}; running the stage again", stage.name(), why);
    skip = 0;
  });
  return dist::broadcast_value(comm, skip, 0) != 0;
}

// Runs one stage into a staging folder and commits it. Collective.
double run_one(dist::Comm& comm, Stage& stage, const JobConfig& config, const RunDir& run,
               const std::string& print, Verified& verified) {
  const auto start = std::chrono::steady_clock::now();
  // Each stage's report shows its own peak, not the largest of the stages before it.
  const bool stage_peak = reset_peak_rss();
  std::unique_ptr<io::StagingDir> staging;
  std::string staging_path;
  double verify_s = 0;  // rank 0: checking upstream files against the manifest (docs/operations.md)
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    verify_upstream(stage, run, verified);
    for (const auto& file : stage.input_files(config)) verify_recorded_file(file);
    verify_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    staging = std::make_unique<io::StagingDir>(run.stage_path(stage.name()));
    staging_path = staging->path().string();
  });
  dist::broadcast_string(comm, staging_path, 0);
  const StageConfig stage_config(config);
  const StageRunDir stage_run(run);
  StageContext ctx{comm, stage_config, stage_run, staging_path};
  nlohmann::json report = stage.run(ctx);
  // A stage that read a table, file or artifact its fingerprint does not cover is a defect: it
  // would be reused after a change there. Refused before anything is committed.
  dist::run_agreed(comm, [&] {
    stage_config.require_declared(stage.name(), stage.config_sections(), stage.input_files(config));
    stage_run.require_declared(stage.name(), stage.upstream_artifacts());
  });
  // Also the barrier after which every rank has written its part.
  const int64_t peak_rss =
      dist::allreduce_value<int64_t>(comm, peak_rss_bytes(), dist::ReduceOp::kMax);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    report["stage"] = stage.name();
    report["ranks"] = comm.size();
    report["wall_s"] = wall_s;
    report["peak_rss_mb_max_rank"] = static_cast<double>(peak_rss) / (1 << 20);
    report["peak_rss_since"] = stage_peak ? "stage start" : "process start";
    report["verify_upstream_s"] = verify_s;
    io::write_file_atomic(fs::path(staging_path) / "report.json", report.dump(2) + "\n");
    const auto digest_start = std::chrono::steady_clock::now();
    const nlohmann::json files = RunDir::digest_folder(staging_path);
    const double digest_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - digest_start).count();
    staging->commit();
    run.record(stage.name(), {{"fingerprint", print},
                              {"version", stage.version()},
                              {"ranks", comm.size()},
                              {"wall_s", wall_s},
                              {"committed_at", utc_now()},
                              {"kerec_version", KEREC_VERSION},
                              {"upstream", stage.upstream()},
                              {"files", files},
                              {"digest_s", digest_s}});
    verified.insert(stage.name());
    log::info("{}", stage.summary(report));
  });
  return wall_s;
}

std::vector<Stage*> selected(const RunOptions& options) {
  std::vector<Stage*> out;
  if (options.stages.empty()) {
    for (const auto& s : all_stages()) out.push_back(s.get());
    return out;
  }
  for (const auto& s : all_stages())  // pipeline order, whatever order they were named in
    for (const auto& name : options.stages)
      if (s->name() == name) out.push_back(s.get());
  for (const auto& name : options.stages)
    if (!find_stage(name)) {
      std::string known;
      for (const auto& s : all_stages()) known += (known.empty() ? "" : ", ") + s->name();
      throw ConfigError("unknown stage '" + name + "'; stages: " + known);
    }
  return out;
}

}  // namespace

std::vector<StageOutcome> run_stages(dist::Comm& comm, const JobConfig& config,
                                     const RunOptions& options) {
  const RunDir run(config.run.dir);
  std::vector<StageOutcome> outcomes;
  std::vector<Stage*> stages;
  dist::run_agreed(comm,
                   [&] { stages = selected(options); });  // an unknown name fails every rank alike
  Verified verified;
  for (Stage* stage : stages) {
    std::string print;
    if (up_to_date(comm, *stage, config, run, options.force, print, verified)) {
      if (comm.rank() == 0)
        log::info("{}: up to date in {}, skipped", stage->name(),
                  run.stage_path(stage->name()).string());
      outcomes.push_back({stage->name(), true, 0.0});
      continue;
    }
    if (comm.rank() == 0) log::info("{}: running on {} rank(s)", stage->name(), comm.size());
    outcomes.push_back({stage->name(), false, run_one(comm, *stage, config, run, print, verified)});
  }
  return outcomes;
}

}  // namespace kerec::pipeline
