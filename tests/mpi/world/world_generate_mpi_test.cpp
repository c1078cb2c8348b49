// generate_world under MPI: the files equal, byte for byte, those of a single in-process rank.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../support/mpi_test.h"
#include "kerec/dist/local_comm.h"
#include "kerec/world/world.h"

namespace kerec::world {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

WorldConfig config_at(const std::filesystem::path& dir, const std::string& language) {
  WorldConfig c;
  c.dir = dir.string();
  c.scale = 0.02;  // 40 entities, 1000 items, 400 users, ~20000 exposures
  c.language = language;
  return c;
}

void expect_same_world_at_any_rank_count(const std::string& language) {
  dist::Comm& comm = kerec::test::comm();
  const auto base = std::filesystem::temp_directory_path() /
                    ("kerec-world-mpi-" + language + "-np" + std::to_string(comm.size()));
  if (comm.rank() == 0) {
    std::filesystem::remove_all(base);
    dist::LocalComm local;
    generate_world(local, config_at(base / "local", language));
  }
  comm.barrier();
  const WorldSummary s = generate_world(comm, config_at(base / "mpi", language));
  EXPECT_EQ(s.users, 400);
  EXPECT_GT(s.exposures, 0);
  if (comm.rank() == 0) {
    for (const char* f :
         {"items.tsv", "bills.tsv", "exposures.tsv", "entities.tsv", "world.json",
          "truth/complements.tsv", "truth/substitutes.tsv", "truth/mentions.tsv",
          "truth/item_entities.tsv", "truth/unseen_aliases.tsv", "truth/behaviour.json"}) {
      const std::string local = read_file(base / "local" / f);
      EXPECT_FALSE(local.empty()) << f;
      EXPECT_TRUE(local == read_file(base / "mpi" / f))
          << f << " differs at " << comm.size() << " ranks";
    }
    std::filesystem::remove_all(base);
  }
  comm.barrier();
}

TEST(WorldGenerateMpiTest, EnglishWorldIsIdenticalToSingleRank) {
  expect_same_world_at_any_rank_count("en");
}

TEST(WorldGenerateMpiTest, ChineseWorldIsIdenticalToSingleRank) {
  expect_same_world_at_any_rank_count("zh");
}

}  // namespace
}  // namespace kerec::world
