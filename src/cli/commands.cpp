#include "commands.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/pipeline/job_config.h"
#include "kerec/pipeline/judge_batch.h"
#include "kerec/pipeline/judge_probe.h"
#include "kerec/pipeline/link_batch.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/pipeline/runner.h"
#include "kerec/util/log.h"
#include "kerec/util/resources.h"
#include "kerec/util/watchdog.h"
#include "kerec/world/world.h"

namespace kerec::cli {
namespace {

pipeline::JobConfig load(dist::Comm& comm, const JobArgs& args) {
  pipeline::JobConfig job = pipeline::load_job(comm, args.config_path, args.overrides);
  log::set_level(job.log.level);
  watchdog::start({job.run.stuck_read_s, job.run.stuck_collective_s}, comm.rank(), on_stuck_call);
  return job;
}

// Rank 0 creates the run directory, takes its lock (held by the returned object until the command
// ends; null on other ranks), removes staging folders of dead jobs and writes the effective config;
// then every rank logs to its file.
[[nodiscard]] std::unique_ptr<pipeline::RunLock> open_run_dir(dist::Comm& comm,
                                                              const pipeline::JobConfig& job) {
  const pipeline::RunDir run(job.run.dir);
  std::unique_ptr<pipeline::RunLock> lock;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    run.create();
    lock = std::make_unique<pipeline::RunLock>(run);
    for (const auto& name : pipeline::remove_stale_staging(run))
      log::warn("run: removed {}, the staging folder of a job that did not finish",
                (run.root() / name).string());
    run.write_file(
        "config.toml",
        "# effective config of the last kerec invocation on this run directory\n" + job.to_toml());
  });
  comm.barrier();
  dist::run_agreed(comm, [&] { log::add_rank_file(run.log_path(comm.rank()).string()); });
  return lock;
}

void print_world_summary(const std::string& dir, double seconds) {
  std::ifstream in(dir + "/world.json");
  nlohmann::json summary = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  log::info("generate: world written to {} in {:.1f}s", dir, seconds);
  if (summary.is_discarded()) return;
  for (const auto& [key, value] : summary.items())
    if (value.is_number()) log::info("  {:<22} {}", key, value.dump());
}

}  // namespace

void on_stuck_call(const std::string& message) {
  std::fprintf(stderr, "kerec: error: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(kExitError);
}

int cmd_generate(dist::Comm& comm, const JobArgs& args) {
  const pipeline::JobConfig job = load(comm, args);
  const auto start = std::chrono::steady_clock::now();
  if (comm.rank() == 0)
    log::info("generate: world seed {} scale {} on {} rank(s) into {}", job.world.seed,
              job.world.scale, comm.size(), job.world.dir);
  world::generate_world(comm, job.world);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int64_t peak_rss =
      dist::allreduce_value<int64_t>(comm, peak_rss_bytes(), dist::ReduceOp::kMax);
  if (comm.rank() != 0) return kExitOk;
  print_world_summary(job.world.dir, seconds);
  log::info("  peak memory per rank   {:.0f} MiB", static_cast<double>(peak_rss) / (1 << 20));
  return kExitOk;
}

int cmd_run(dist::Comm& comm, const JobArgs& args, const std::vector<std::string>& stages,
            bool force) {
  const pipeline::JobConfig job = load(comm, args);
  const auto lock = open_run_dir(comm, job);
  const auto outcomes = pipeline::run_stages(comm, job, {stages, force});
  if (comm.rank() != 0) return kExitOk;
  int ran = 0;
  double wall_s = 0;
  for (const auto& o : outcomes) ran += !o.skipped, wall_s += o.wall_s;
  log::info("run: {} stage(s) ran, {} up to date, {:.1f}s; artifacts in {}", ran,
            outcomes.size() - ran, wall_s, job.run.dir);
  return kExitOk;
}

int cmd_judge_batch(dist::Comm& comm, const JobArgs& args, const std::string& export_file,
                    const std::string& import_file) {
  const pipeline::JobConfig job = load(comm, args);
  const auto lock = open_run_dir(comm, job);
  const nlohmann::json result = export_file.empty()
                                    ? pipeline::import_judge_batch(comm, job, import_file)
                                    : pipeline::export_judge_batch(comm, job, export_file);
  if (comm.rank() == 0)
    log::info("judge: {} {}", export_file.empty() ? "imported" : "exported", result.dump());
  return kExitOk;
}

int cmd_link_batch(dist::Comm& comm, JobArgs args, const std::string& export_file,
                   const std::string& import_file) {
  if (!export_file.empty()) {
    args.overrides.push_back("extract.link_batch_export=" + export_file);
    return cmd_run(comm, args, {"extract"}, /*force=*/true);
  }
  const pipeline::JobConfig job = load(comm, args);
  const auto lock = open_run_dir(comm, job);
  const nlohmann::json result = pipeline::import_link_batch(comm, job, import_file);
  if (comm.rank() == 0) log::info("extract: imported {}", result.dump());
  return kExitOk;
}

int cmd_judge_probe(dist::Comm& comm, const JobArgs& args) {
  return pipeline::probe_judge(comm, load(comm, args), std::cout) == 0 ? kExitOk : kExitError;
}

int cmd_config(dist::Comm& comm, const JobArgs& args, bool reference) {
  pipeline::JobConfig job = pipeline::load_job(comm, args.config_path, args.overrides);
  if (comm.rank() != 0) return kExitOk;
  std::cout << (reference ? pipeline::config_reference() : job.to_toml());
  return kExitOk;
}

}  // namespace kerec::cli
