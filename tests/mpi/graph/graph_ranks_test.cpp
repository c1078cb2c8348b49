// graph.h5 does not depend on the rank count: each run of this binary (at 1, 2 and 4 ranks) writes
// a graph collectively from edges spread over the ranks and compares every dataset with a file one
// rank writes alone (LocalComm) from all the edges; merge_complements and substitute_edges are
// compared the same way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "../../support/graph_fixture.h"
#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/local_comm.h"
#include "kerec/graph/complements.h"
#include "kerec/graph/graph_file.h"
#include "kerec/graph/graph_reader.h"
#include "kerec/graph/substitutes.h"
#include "kerec/io/hdf5.h"

namespace kerec::graph {
namespace {

namespace fs = std::filesystem;
namespace h5 = io::h5;

class GraphRanksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& comm = test::comm();
    std::string dir =
        comm.rank() == 0
            ? (fs::temp_directory_path() / ("kerec-graph-mpi-" + std::to_string(::getpid())))
                  .string()
            : "";
    dist::broadcast_string(comm, dir, 0);
    dir_ = dir;
    if (comm.rank() == 0) fs::create_directories(dir_);
    comm.barrier();
  }
  void TearDown() override {
    test::comm().barrier();
    if (test::comm().rank() == 0) fs::remove_all(dir_);
  }
  fs::path dir_;
};

template <class T>
void expect_dataset_equal(const fs::path& x, const fs::path& y, const char* name) {
  EXPECT_EQ(h5::read<T>(h5::File::open_read(x), name), h5::read<T>(h5::File::open_read(y), name))
      << name;
}

void expect_edges_equal(const fs::path& x, const fs::path& y) {
  for (const char* name :
       {"complementary/row_offsets", "complementary/reason_offsets", "substitutable/row_offsets",
        "members/row_offsets", "members/clicks", "items/entity_offsets"})
    expect_dataset_equal<int64_t>(x, y, name);
  for (const char* name :
       {"complementary/target", "complementary/version", "complementary/provenance",
        "substitutable/target", "substitutable/count", "members/item", "items/entity"})
    expect_dataset_equal<int32_t>(x, y, name);
  for (const char* name : {"complementary/confidence", "substitutable/weight"})
    expect_dataset_equal<float>(x, y, name);
  expect_dataset_equal<uint8_t>(x, y, "complementary/reason_bytes");
  for (const char* name :
       {"entities/entity_id", "entities/name", "items/id", "provenance/llm_model"})
    EXPECT_EQ(h5::read_strings(h5::File::open_read(x), name),
              h5::read_strings(h5::File::open_read(y), name))
        << name;
}

TEST_F(GraphRanksTest, EdgeArraysAndShardsDoNotDependOnTheRankCount) {
  auto& comm = test::comm();
  const test::SyntheticGraph all = test::synthetic_graph();
  const test::SyntheticGraph mine = test::share(all, comm.rank(), comm.size());
  const fs::path reference = dir_ / ("reference-" + std::to_string(comm.rank()) + ".h5");
  dist::LocalComm alone;
  write_graph(reference, all.meta, all.comp, all.sub, all.mem, alone, {.shards = 3});

  const fs::path fixed = dir_ / "three-shards.h5", per_rank = dir_ / "rank-shards.h5";
  const auto stats =
      write_graph(fixed, mine.meta, mine.comp, mine.sub, mine.mem, comm, {.shards = 3});
  write_graph(per_rank, mine.meta, mine.comp, mine.sub, mine.mem, comm);
  EXPECT_EQ(stats.complementary_edges, static_cast<int64_t>(all.comp.size()));
  expect_edges_equal(fixed, reference);
  expect_edges_equal(per_rank, reference);
  for (const char* name : {"shards/first_source", "shards/complementary", "shards/reason_bytes"})
    expect_dataset_equal<int64_t>(fixed, reference, name);
  expect_dataset_equal<uint64_t>(fixed, reference, "shards/checksum");
  const GraphReader reader(per_rank);
  EXPECT_EQ(reader.info().shards(), comm.size());
  EXPECT_NO_THROW(reader.read_all());
}

// Previous edges and verdicts spread over the ranks merge to the same edges as on one rank.
TEST_F(GraphRanksTest, MergeComplementsDoesNotDependOnTheRankCount) {
  auto& comm = test::comm();
  const test::SyntheticGraph g = test::synthetic_graph();
  // Verdicts on every third existing edge and on as many new pairs, all codes; pairs are unique.
  llm::VerdictBlock verdicts;
  std::set<std::pair<int32_t, int32_t>> used;
  for (size_t i = 0; i < g.comp.size(); ++i) used.insert({g.comp.source[i], g.comp.target[i]});
  const auto add = [&](int32_t a, int32_t b, size_t i, const std::string& reason) {
    verdicts.a.push_back(a), verdicts.b.push_back(b),
        verdicts.verdict.push_back(static_cast<uint8_t>(i % 4));
    verdicts.confidence.push_back(g.comp.confidence[i]), verdicts.reason.push_back(reason);
  };
  for (size_t i = 0; i < g.comp.size(); i += 3) {
    add(g.comp.source[i], g.comp.target[i], i, "again " + std::to_string(i));
    const int32_t a = g.comp.source[i], b = (a + 150 + static_cast<int32_t>(i % 7)) % 300;
    if (used.insert({a, b}).second) add(a, b, i, "new " + std::to_string(i));
  }
  const auto key = [](const ComplementEdges& e) {
    std::map<std::pair<int32_t, int32_t>, std::tuple<float, int32_t, int32_t, std::string>> m;
    for (size_t i = 0; i < e.size(); ++i)
      m[{e.source[i], e.target[i]}] = {e.confidence[i], e.version[i], e.provenance[i],
                                       std::string(e.reason(i))};
    return m;
  };
  dist::LocalComm alone;
  ComplementStats want_stats, got_stats;
  const auto want = key(merge_complements(alone, verdicts, g.comp, 0.5, 3, 1, want_stats));
  llm::VerdictBlock my_verdicts;
  for (size_t i = static_cast<size_t>(comm.rank()); i < verdicts.size();
       i += static_cast<size_t>(comm.size())) {
    my_verdicts.a.push_back(verdicts.a[i]), my_verdicts.b.push_back(verdicts.b[i]),
        my_verdicts.verdict.push_back(verdicts.verdict[i]);
    my_verdicts.confidence.push_back(verdicts.confidence[i]),
        my_verdicts.reason.push_back(verdicts.reason[i]);
  }
  const auto mine = merge_complements(
      comm, my_verdicts, test::share(g, comm.rank(), comm.size()).comp, 0.5, 3, 1, got_stats);
  // Gather every rank's edges into one map through a graph file, the way the stage does.
  test::SyntheticGraph merged;
  merged.meta = g.meta, merged.meta.graph_version = 3, merged.comp = mine;
  write_graph(dir_ / "merged.h5", merged.meta, merged.comp, {}, {}, comm);
  const GraphPart part = GraphReader(dir_ / "merged.h5").read_all();
  ComplementEdges back;
  for (auto e = static_cast<int32_t>(part.first_source); e < part.end_source; ++e)
    for (const auto& c : part.complements(e))
      back.add(e, c.target, c.confidence, c.version, c.provenance, c.reason);
  EXPECT_EQ(key(back), want);
  EXPECT_EQ(got_stats.added, want_stats.added);
  EXPECT_EQ(got_stats.updated, want_stats.updated);
  EXPECT_EQ(got_stats.removed_by_no, want_stats.removed_by_no);
  EXPECT_EQ(got_stats.edges, want_stats.edges);
  EXPECT_GT(want_stats.added, 0);
  EXPECT_GT(want_stats.removed_by_no, 0);
}

TEST_F(GraphRanksTest, SubstituteEdgesDoNotDependOnTheRankCount) {
  auto& comm = test::comm();
  extract::MentionCsr items;
  for (int32_t i = 0; i < 400; ++i) items.entity.push_back(i % 97), items.offsets.push_back(i + 1);
  std::vector<ClickEvent> all;
  Rng rng(11);
  for (int k = 0; k < 6000; ++k)
    all.push_back({rng.uniform_int(200), static_cast<int64_t>(rng.uniform_int(86400 * 3)),
                   static_cast<int32_t>(rng.uniform_int(400)), 0});
  std::vector<ClickEvent> mine;
  for (size_t k = static_cast<size_t>(comm.rank()); k < all.size();
       k += static_cast<size_t>(comm.size()))
    mine.push_back(all[k]);
  dist::LocalComm alone;
  SubstituteStats want_stats, got_stats;
  const auto want = substitute_edges(alone, all, items, 97, 3600, 2, want_stats);
  const auto got = substitute_edges(comm, mine, items, 97, 3600, 2, got_stats);
  struct Row {
    int32_t source, target, count;
    float weight;
    auto key() const { return std::tie(source, target, count, weight); }
    bool operator<(const Row& o) const { return key() < o.key(); }
    bool operator==(const Row& o) const { return key() == o.key(); }
  };
  const auto sorted = [](dist::Comm& c, const SubstituteEdges& e) {
    std::vector<Row> rows;
    for (size_t i = 0; i < e.size(); ++i)
      rows.push_back({e.source[i], e.target[i], e.count[i], e.weight[i]});
    std::vector<Row> gathered = dist::allgatherv<Row>(c, rows);
    std::sort(gathered.begin(), gathered.end());
    return gathered;
  };
  EXPECT_EQ(sorted(comm, got), sorted(alone, want));
  EXPECT_GT(want.size(), 10u);
  EXPECT_EQ(got_stats.sessions, want_stats.sessions);
  EXPECT_EQ(got_stats.observations, want_stats.observations);
  EXPECT_EQ(got_stats.kept_pairs, want_stats.kept_pairs);
}

}  // namespace
}  // namespace kerec::graph
