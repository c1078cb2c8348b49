// The same verdicts at 1, 2 and 4 ranks for the same simulator seed: every rank starts its own
// kerec-llm-sim, judges its block of the pairs over HTTP, and the gathered verdicts must equal the
// simulator's answer for each pair (which depends only on the pair and the seed). A second pass
// over the finished journal makes zero HTTP calls.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/llm/judge.h"
#include "kerec/llm/sim.h"
#include "kerec/llm/sim_process.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
constexpr int kEntities = 60;

std::string name(int i) { return "item kind " + std::to_string(i); }

// Rank 0 writes a small world; every rank gets its path.
fs::path shared_world(dist::Comm& comm) {
  std::string dir;
  if (comm.rank() == 0) {
    dir =
        (fs::temp_directory_path() / ("kerec-judge-ranks-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    fs::create_directories(fs::path(dir) / "truth");
    std::ofstream e(fs::path(dir) / "entities.tsv"), c(fs::path(dir) / "truth" / "complements.tsv");
    e << "entity_id\tname\taliases\tcategory\n";
    c << "a\tb\tstrength\n";
    for (int i = 0; i < kEntities; ++i) {
      e << i << "\t" << name(i) << "\t\tcat\n";
      for (int d : {1, 7})
        if (i + d < kEntities) c << i << "\t" << i + d << "\t0.6\n";
    }
  }
  dist::broadcast_string(comm, dir, 0);
  return dir;
}

TEST(JudgeRanks, SameVerdictsAtAnyRankCountAndNoCallsOnReplay) {
  dist::Comm& comm = test::comm();
  const fs::path world = shared_world(comm);
  std::vector<std::string> names;
  for (int i = 0; i < kEntities; ++i) names.push_back(name(i));
  std::vector<PairId> all;
  for (int a = 0; a < kEntities; ++a)
    for (int b = 0; b < kEntities; b += 3)
      if (a != b) all.push_back({a, b});
  const auto block = dist::block_of(all.size(), comm.size(), comm.rank());
  const std::vector<PairId> mine(all.begin() + block.begin, all.begin() + block.end);

  SimulatorProcess sim(find_simulator(), world.string(),
                       {"--latency-median-ms", "1", "--seed", "5"});
  LlmConfig config;
  config.base_url = sim.base_url();
  config.pairs_per_request = 7;
  config.in_flight_per_rank = 4;
  const PromptTemplate prompt =
      PromptTemplate::load(std::string(KEREC_SOURCE_DIR) + "/data/prompts/judge_v1.txt");
  JudgeInput in{&mine,       &names,      &config, &prompt, "", world / "journal",
                comm.rank(), comm.size(), {}};
  JudgeStats stats;
  const auto results = judge_pairs(in, stats);
  EXPECT_EQ(stats.unjudged, 0);
  EXPECT_EQ(stats.from_journal, 0);

  std::vector<uint8_t> local;
  for (const auto& r : results) local.push_back(static_cast<uint8_t>(r.verdict));
  const auto gathered = dist::allgatherv<uint8_t>(comm, local);
  ASSERT_EQ(gathered.size(), all.size());
  SimOptions options;
  options.seed = 5;
  const SimWorld truth(world);
  const SimService expected(truth, options);
  int64_t yes = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(gathered[i],
              static_cast<uint8_t>(expected.answer(name(all[i].a), name(all[i].b)).verdict))
        << i;
    yes += gathered[i] == static_cast<uint8_t>(Verdict::kYes);
  }
  EXPECT_GT(yes, 0);

  JudgeStats again;
  const auto replayed = judge_pairs(in, again);
  EXPECT_EQ(again.http_calls, 0);
  EXPECT_EQ(again.from_journal, static_cast<int64_t>(mine.size()));
  for (size_t i = 0; i < mine.size(); ++i) EXPECT_EQ(replayed[i].verdict, results[i].verdict);
  comm.barrier();
  if (comm.rank() == 0) fs::remove_all(world);
}

}  // namespace
}  // namespace kerec::llm
