// Candidate pair generation throughput (and the default strategy's figures) on a synthetic world,
// with the extract tables taken from the world's truth (tests/support/extract_fixture.h): a perfect
// extractor, so the figures measure the popularity and pairs stages alone. See bench/README.md,
// section "Candidate pairs".
//
//   mpirun -np R pairs_bench WORLD_DIR RUN_DIR [--repeat K] [--set section.key=value ...]
//
// Rank 0 writes RUN_DIR/extract from the truth and records it in RUN_DIR/manifest.json; then the
// popularity and pairs stages run once through the pipeline runner (their report.json holds every
// figure), and generate_pairs alone is timed K times (best kept) on inputs already in memory.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../tests/support/extract_fixture.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/mpi_comm.h"
#include "kerec/pairs/candidates.h"
#include "kerec/pipeline/job_config.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/pipeline/runner.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"

namespace {

namespace fs = std::filesystem;
using namespace kerec;

struct Options {
  std::string world, run;
  int repeat = 3;
  std::vector<std::string> overrides;
};

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc)
      o.repeat = std::stoi(argv[++i]);
    else if (a == "--set" && i + 1 < argc)
      o.overrides.push_back(argv[++i]);
    else
      positional.push_back(a);
  }
  if (positional.size() != 2)
    throw ConfigError("usage: pairs_bench WORLD_DIR RUN_DIR [--repeat K] [--set k=v ...]");
  o.world = positional[0], o.run = positional[1];
  o.overrides.push_back("world.dir=" + o.world);
  o.overrides.push_back("run.dir=" + o.run);
  return o;
}

// Rank 0: the extract stage's outputs from the world's truth, recorded as committed.
void write_extract(const Options& o) {
  const pipeline::RunDir run(o.run);
  run.create();
  fs::remove_all(run.stage_path("extract"));
  test::write_extract_fixture(run.stage_path("extract"), test::extract_fixture_from_truth(o.world));
  run.record("extract",
             {{"fingerprint", "truth-fixture " + o.world}, {"version", 0}, {"ranks", 1}});
}

// Best of `repeat` timed runs of generate_pairs alone; returns seconds.
double time_generation(dist::Comm& comm, const pipeline::JobConfig& job, const Options& o,
                       int64_t& kept) {
  const pipeline::RunDir run(o.run);
  const auto entities = extract::read_entity_table(run.stage_path("extract") / "entities.h5");
  const auto bills =
      extract::read_bill_block(run.stage_path("extract") / "bills.h5", entities.size(), comm);
  const auto pop = pairs::read_popularity(run.stage_path("popularity") / "popularity.h5");
  double best = 1e300;
  for (int i = 0; i < o.repeat; ++i) {
    comm.barrier();
    const auto start = std::chrono::steady_clock::now();
    const auto r = pairs::generate_pairs(comm, job.pairs, entities, pop, bills, {});
    comm.barrier();
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    kept = r.stats.kept;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  dist::MpiRuntime runtime(argc, argv);
  dist::MpiComm comm;
  log::init(comm.rank(), comm.size(), "warn");
  try {
    const Options o = parse(argc, argv);
    const auto job = pipeline::load_job(comm, "", o.overrides);
    dist::run_agreed(comm, [&] {
      if (comm.rank() == 0) write_extract(o);
    });
    const auto outcomes = pipeline::run_stages(comm, job, {{"popularity", "pairs"}, true});
    int64_t kept = 0;
    const double seconds = time_generation(comm, job, o, kept);
    if (comm.rank() == 0) {
      nlohmann::json report;
      std::ifstream(fs::path(o.run) / "pairs" / "report.json") >> report;
      std::printf("ranks %d  popularity stage %.3f s  pairs stage %.3f s\n", comm.size(),
                  outcomes[0].wall_s, outcomes[1].wall_s);
      std::printf(
          "pairs_kept %lld of %lld (%.2f%%)  truth_coverage_weighted %.4f  unweighted %.4f\n",
          static_cast<long long>(report["pairs_kept"].get<int64_t>()),
          static_cast<long long>(report["pairs_complete"].get<int64_t>()),
          100.0 * report["pairs_kept_share"].get<double>(),
          report.value("truth_coverage_weighted", -1.0),
          report.value("truth_coverage_unweighted", -1.0));
      std::printf("generate_pairs best of %d: %.3f s, %.0f pairs/s, %.0f pairs/s per rank\n",
                  o.repeat, seconds, kept / seconds, kept / seconds / comm.size());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rank %d: %s\n", comm.rank(), e.what());
    comm.abort(1);
  }
  return 0;
}
