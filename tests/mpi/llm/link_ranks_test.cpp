// The same link answers at 1, 2 and 4 ranks: every rank starts its own kerec-llm-sim and asks its
// share of the questions over HTTP; each answer must equal the simulator's for that mention. A
// second pass over the finished journal makes zero HTTP calls.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/llm/link.h"
#include "kerec/llm/sim.h"
#include "kerec/llm/sim_process.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
constexpr int kEntities = 30;

std::string name(int i) { return "kind " + std::to_string(i); }

// Rank 0 writes a world whose entity i has the unseen alias "other word i"; every rank gets its
// path.
fs::path shared_world(dist::Comm& comm) {
  std::string dir;
  if (comm.rank() == 0) {
    dir = (fs::temp_directory_path() / ("kerec-link-ranks-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    fs::create_directories(fs::path(dir) / "truth");
    std::ofstream e(fs::path(dir) / "entities.tsv"),
        u(fs::path(dir) / "truth" / "unseen_aliases.tsv");
    std::ofstream(fs::path(dir) / "truth" / "complements.tsv") << "a\tb\tstrength\n";
    e << "entity_id\tname\taliases\tcategory\n";
    u << "entity_id\talias\n";
    for (int i = 0; i < kEntities; ++i)
      e << "e" << i << "\t" << name(i) << "\t\tcat\n",
          u << "e" << i << "\tother word " << i << "\n";
  }
  dist::broadcast_string(comm, dir, 0);
  return dir;
}

TEST(LinkRanks, SameAnswersAtAnyRankCountAndNoCallsOnReplay) {
  dist::Comm& comm = test::comm();
  const fs::path world = shared_world(comm);
  std::vector<std::string> names, ids;
  for (int i = 0; i < kEntities; ++i)
    names.push_back(name(i)), ids.push_back("e" + std::to_string(i));
  std::vector<LinkQuestion> all;
  for (int i = 0; i < kEntities; ++i) {
    const int other = (i + 1) % kEntities;
    const std::string mention = "other word " + std::to_string(i);
    all.push_back({mention + "|" + std::to_string(i), mention, {"a red " + mention}, {other, i}});
  }
  std::vector<LinkQuestion> mine;
  for (size_t q = static_cast<size_t>(comm.rank()); q < all.size(); q += comm.size())
    mine.push_back(all[q]);

  SimulatorProcess sim(find_simulator(), world.string(),
                       {"--latency-median-ms", "1", "--seed", "3"});
  LlmConfig config;
  config.base_url = sim.base_url();
  config.in_flight_per_rank = 3;
  const PromptTemplate prompt = PromptTemplate::load(
      std::string(KEREC_SOURCE_DIR) + "/data/prompts/link_v1.txt", "{{mentions}}");
  LinkInput in{&mine,       &names,     &ids, &config, &prompt, 4, "", world / "journal",
               comm.rank(), comm.size()};
  LinkStats stats;
  const auto answers = link_mentions(in, stats);
  EXPECT_EQ(stats.unanswered, 0);
  EXPECT_EQ(stats.requests, static_cast<int64_t>((mine.size() + 3) / 4));

  SimOptions options;
  options.seed = 3;
  const SimWorld truth(world);
  const SimService expected(truth, options);
  int64_t right = 0;
  for (size_t k = 0; k < mine.size(); ++k) {
    std::vector<std::string> cands;
    for (int32_t c : mine[k].candidates) cands.push_back(names[c]);
    const auto want = expected.link(mine[k].mention, cands);
    const int c = candidate_of(want["entity"].get<std::string>(), cands);
    EXPECT_EQ(answers[k].entity, c < 0 ? -1 : mine[k].candidates[c]) << mine[k].mention;
    right += answers[k].entity == mine[k].candidates[1];
  }
  EXPECT_GT(dist::allreduce_value(comm, right, dist::ReduceOp::kSum), kEntities / 2);

  LinkStats again;
  const auto replayed = link_mentions(in, again);
  EXPECT_EQ(again.http_calls, 0);
  EXPECT_EQ(again.from_journal, static_cast<int64_t>(mine.size()));
  for (size_t k = 0; k < mine.size(); ++k) EXPECT_EQ(replayed[k].entity, answers[k].entity);
  comm.barrier();
  if (comm.rank() == 0) fs::remove_all(world);
}

}  // namespace
}  // namespace kerec::llm
