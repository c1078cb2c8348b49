// kerec: one binary, one subcommand per pipeline stage plus generate, run, inspect and config.
//
// MPI lives only here: MpiRuntime is created before anything else and destroyed after everything
// else, because MPI may be initialised once per process and every MPI call (including those in
// destructors of objects holding communicators) must happen between initialisation and
// finalisation.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string_view>

#include "commands.h"
#include "kerec/dist/mpi_comm.h"
#include "kerec/pipeline/stage.h"
#include "kerec/train/signals.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/watchdog.h"
#include "serve_main.h"

namespace {

using kerec::cli::JobArgs;

void add_job_options(CLI::App* cmd, JobArgs& args) {
  cmd->add_option("--config,-c", args.config_path,
                  "job file (TOML); default: the embedded jobs/demo.toml")
      ->check(CLI::ExistingFile);
  cmd->add_option("--set", args.overrides, "override a job key: section.key=value (repeatable)")
      ->type_name("KEY=VALUE");
}

// Errors that every rank raised identically (agreed, or config/usage errors found the same way on
// every rank) end the job cleanly with rank 0's message. Any other error on one rank cannot be
// known by the others, which may be waiting in a collective: abort the whole job, naming the rank.
int fail(kerec::dist::Comm& comm, const std::exception& e, bool agreed, int code) {
  if (agreed || comm.size() == 1) {
    if (comm.rank() == 0) std::fprintf(stderr, "kerec: error: %s\n", e.what());
    return code;
  }
  std::fprintf(stderr, "kerec: error on rank %d of %d: %s\n", comm.rank(), comm.size(), e.what());
  std::fflush(stderr);
  comm.abort(code);
  return code;  // not reached: abort() ends the process
}

// `kerec serve` is one long-running process that needs no MPI: it is dispatched before MPI is
// initialised, so that no MPI thread or signal handler shares the server's process.
int serve_main(int argc, char** argv) {
  kerec::cli::block_stop_signals();
  kerec::log::init(0, 1, "info");
  CLI::App app{"kerec serve: the HTTP recommender over a run's serving.h5"};
  app.name("kerec serve");
  kerec::cli::ServeArgs args;
  kerec::cli::add_serve_options(&app, args);
  try {
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kerec::cli::kExitUsage;
  }
  try {
    return kerec::cli::cmd_serve(args, std::string("kerec ") + KEREC_VERSION);
  } catch (const kerec::ConfigError& e) {
    std::fprintf(stderr, "kerec: error: %s\n", e.what());
    return kerec::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kerec: error: %s\n", e.what());
    return kerec::cli::kExitError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "serve") return serve_main(argc, argv);
  kerec::dist::MpiRuntime mpi(argc, argv);
  kerec::dist::MpiComm comm;
  kerec::log::init(comm.rank(), comm.size(), "info");
  kerec::watchdog::start(kerec::watchdog::Limits{}, comm.rank(), kerec::cli::on_stuck_call);

  CLI::App app{
      "kerec: LLM-enhanced recommendation with an inferential complementary knowledge graph"};
  app.set_version_flag("--version", std::string("kerec ") + KEREC_VERSION);
  app.require_subcommand(1);

  JobArgs job;
  std::vector<std::string> stages;
  bool force = false, reference = false, probe = false;
  std::string inspect_path, inspect_entity, export_batch, import_batch, report_run, report_out,
      report_sweep;

  auto* generate =
      app.add_subcommand("generate", "write a synthetic world (world.dir) from the job's [world]");
  add_job_options(generate, job);
  auto* run = app.add_subcommand(
      "run", "run the pipeline stages in order into run.dir, skipping up-to-date ones");
  add_job_options(run, job);
  run->add_option("--stages", stages, "comma-separated stages to run (default: all)")
      ->delimiter(',');
  run->add_flag("--force", force, "rerun stages even when up to date");
  std::vector<CLI::App*> stage_cmds;
  for (const auto& stage : kerec::pipeline::all_stages()) {
    auto* cmd = app.add_subcommand(stage->name(), "run the '" + stage->name() + "' stage alone");
    add_job_options(cmd, job);
    cmd->add_flag("--force", force, "rerun even when up to date");
    if (stage->name() == "extract") {
      auto* out = cmd->add_option("--export-batch", export_batch,
                                  "run the stage with the LLM-linking questions written as OpenAI "
                                  "Batch API JSONL instead of asked (extract.link_batch_export)");
      cmd->add_option("--import-batch", import_batch,
                      "read a Batch API results file of link questions into the journal and stop")
          ->check(CLI::ExistingFile)
          ->excludes(out);
    }
    if (stage->name() == "judge") {
      auto* out = cmd->add_option("--export-batch", export_batch,
                                  "write the requests as OpenAI Batch API JSONL and stop");
      auto* in = cmd->add_option("--import-batch", import_batch,
                                 "read a Batch API results file into the journal and stop")
                     ->check(CLI::ExistingFile)
                     ->excludes(out);
      cmd->add_flag("--probe", probe,
                    "send one small request to llm.base_url, print the raw answer, how it was "
                    "read and the verdicts, and stop (exit 1 if it cannot be read)")
          ->excludes(out)
          ->excludes(in);
    }
    stage_cmds.push_back(cmd);
  }
  auto* config =
      app.add_subcommand("config", "print the effective job config (or --reference: every key)");
  add_job_options(config, job);
  config->add_flag("--reference", reference, "print the Markdown reference of every key");
  auto* report = app.add_subcommand(
      "report", "write a run's report: RUN_DIR/report/report.html and report.md");
  report->add_option("run_dir", report_run, "the run directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  report->add_option("--out", report_out, "output directory (default RUN_DIR/report)");
  report
      ->add_option("--sweep", report_sweep,
                   "include an LLM-quality sweep (scripts/ab_sweep.sh's sweep.json)")
      ->check(CLI::ExistingFile);
  // Listed for --help; dispatched before MPI (serve_main above).
  app.add_subcommand("serve",
                     "serve recommendations over HTTP from a run's serving.h5 (kerec serve --help)")
      ->allow_extras();
  auto* inspect =
      app.add_subcommand("inspect", "describe a run directory, world directory, HDF5 or TSV file");
  inspect->add_option("path", inspect_path, "what to describe")->required();
  inspect->add_option("--entity", inspect_entity,
                      "with a graph.h5: list the complements of this entity_id, one per line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Every rank parses the same argv; only rank 0 speaks.
    if (comm.rank() != 0) return e.get_exit_code() == 0 ? 0 : kerec::cli::kExitUsage;
    return app.exit(e) == 0 ? 0 : kerec::cli::kExitUsage;
  }

  try {
    if (*generate) return kerec::cli::cmd_generate(comm, job);
    if (*run) return kerec::cli::cmd_run(comm, job, stages, force);
    if (*config) return kerec::cli::cmd_config(comm, job, reference);
    if (*inspect) return kerec::cli::cmd_inspect(comm, inspect_path, inspect_entity);
    if (*report) return kerec::cli::cmd_report(comm, report_run, report_out, report_sweep);
    if (probe) return kerec::cli::cmd_judge_probe(comm, job);
    if (!export_batch.empty() || !import_batch.empty()) {
      if (app.got_subcommand("extract"))
        return kerec::cli::cmd_link_batch(comm, job, export_batch, import_batch);
      return kerec::cli::cmd_judge_batch(comm, job, export_batch, import_batch);
    }
    for (auto* cmd : stage_cmds)
      if (*cmd) return kerec::cli::cmd_run(comm, job, {cmd->get_name()}, force);
  } catch (const kerec::train::Preempted& e) {
    // Every rank agreed to stop at the same step and the checkpoint is written: ask to be requeued.
    if (comm.rank() == 0) std::fprintf(stderr, "kerec: %s\n", e.what());
    return kerec::train::kExitRequeue;
  } catch (const kerec::RemoteError& e) {
    return fail(comm, e, /*agreed=*/true,
                e.config_error() ? kerec::cli::kExitUsage : kerec::cli::kExitError);
  } catch (const kerec::ConfigError& e) {
    return fail(comm, e, /*agreed=*/false, kerec::cli::kExitUsage);
  } catch (const std::exception& e) {
    return fail(comm, e, /*agreed=*/false, kerec::cli::kExitError);
  }
  return kerec::cli::kExitUsage;
}
