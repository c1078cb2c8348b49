// The kerec subcommands. Each is collective unless it says otherwise: every rank runs it with the
// same arguments. main() owns MPI and turns exceptions into messages and exit codes.
#pragma once

#include <string>
#include <vector>

#include "kerec/dist/comm.h"

namespace kerec::cli {

// Exit codes, documented in docs/operations.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // a stage or I/O failed; the message names file/line/rank
inline constexpr int kExitUsage = 2;  // bad command line or job config
// 75 (kerec::train::kExitRequeue): stopped by SIGTERM/SIGUSR1 after a checkpoint; requeue to
// resume.

struct JobArgs {
  std::string config_path;             // empty: the embedded demo job
  std::vector<std::string> overrides;  // --set section.key=value
};

// The watchdog's handler (kerec/util/watchdog.h): a call found stuck ends this rank's process with
// exit 1 and the message (under mpirun, the job ends with it). main() starts the watchdog with the
// default limits for every command; commands that load a job apply its run.stuck_* limits.
[[noreturn]] void on_stuck_call(const std::string& message);

int cmd_generate(dist::Comm& comm, const JobArgs& args);
// stages empty: all stages.
int cmd_run(dist::Comm& comm, const JobArgs& args, const std::vector<std::string>& stages,
            bool force);
// `kerec judge --export-batch FILE` / `--import-batch FILE`: the judge's requests as OpenAI Batch
// API JSONL, and a batch results file read into the journal (so the next judge run asks nothing).
int cmd_judge_batch(dist::Comm& comm, const JobArgs& args, const std::string& export_file,
                    const std::string& import_file);
// `kerec extract --export-batch FILE` (the stage, run with extract.link_batch_export = FILE) /
// `--import-batch FILE` (link answers into the journal): pipeline/link_batch.h.
int cmd_link_batch(dist::Comm& comm, JobArgs args, const std::string& export_file,
                   const std::string& import_file);

// `kerec judge --probe`: one request to the endpoint, printed on stdout (pipeline/judge_probe.h).
// Exit 0 when every pair got a readable verdict, 1 otherwise.
int cmd_judge_probe(dist::Comm& comm, const JobArgs& args);

// Prints the effective config, or with `reference` the Markdown reference of every key. Rank 0
// prints.
int cmd_config(dist::Comm& comm, const JobArgs& args, bool reference);
// Describes an artifact for a person: a run directory, a world directory, an HDF5 file or a TSV
// file. A graph.h5 gets its own summary (checksums verified); with `entity_id`, the complements of
// that entity instead. Rank 0 only (other ranks return at once).
int cmd_inspect(dist::Comm& comm, const std::string& path, const std::string& entity_id = "");
// The run as OUT_DIR/report.html (self-contained) and report.md, by scripts/report.py (needs
// /usr/bin/python3 with matplotlib); `sweep`: a scripts/ab_sweep.sh sweep.json to include.
// out_dir empty: RUN_DIR/report. Rank 0 only.
int cmd_report(dist::Comm& comm, const std::string& run_dir, const std::string& out_dir,
               const std::string& sweep);

}  // namespace kerec::cli
