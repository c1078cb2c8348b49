// graph.h5 written by one rank and read back: round trip, shards read alone, and the faults a
// reader must refuse (truncated file, flipped byte, unknown schema_version, another schema, a
// writer killed midway).
#include "kerec/graph/graph_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "../../support/graph_fixture.h"
#include "../../support/temp_dir_test.h"
#include "kerec/dist/local_comm.h"
#include "kerec/graph/graph_reader.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::graph {
namespace {

namespace fs = std::filesystem;
using test::SyntheticGraph;

// The complements of `e` in `g`, in file order (by target).
std::vector<Complement> expected_complements(const SyntheticGraph& g, int32_t e) {
  std::vector<Complement> out;
  for (size_t i = 0; i < g.comp.size(); ++i)
    if (g.comp.source[i] == e)
      out.push_back({g.comp.target[i], g.comp.confidence[i], g.comp.version[i],
                     g.comp.provenance[i], std::string(g.comp.reason(i))});
  std::sort(out.begin(), out.end(),
            [](const Complement& x, const Complement& y) { return x.target < y.target; });
  return out;
}

std::vector<Member> expected_members(const SyntheticGraph& g, int32_t e) {
  std::vector<Member> out;
  for (size_t i = 0; i < g.mem.size(); ++i)
    if (g.mem.source[i] == e) out.push_back({g.mem.item[i], g.mem.clicks[i]});
  std::sort(out.begin(), out.end(), [](const Member& x, const Member& y) {
    return x.clicks != y.clicks ? x.clicks > y.clicks : x.item < y.item;
  });
  return out;
}

void expect_same(const std::vector<Complement>& got, const std::vector<Complement>& want,
                 int32_t e) {
  ASSERT_EQ(got.size(), want.size()) << "entity " << e;
  for (size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].target, want[k].target) << "entity " << e;
    EXPECT_EQ(got[k].confidence, want[k].confidence);
    EXPECT_EQ(got[k].version, want[k].version);
    EXPECT_EQ(got[k].provenance, want[k].provenance);
    EXPECT_EQ(got[k].reason, want[k].reason);
  }
}

void expect_part_matches(const GraphPart& part, const SyntheticGraph& g) {
  for (auto e = static_cast<int32_t>(part.first_source); e < part.end_source; ++e) {
    expect_same(part.complements(e), expected_complements(g, e), e);
    const auto members = part.members(e), want = expected_members(g, e);
    ASSERT_EQ(members.size(), want.size());
    for (size_t k = 0; k < members.size(); ++k) {
      EXPECT_EQ(members[k].item, want[k].item);
      EXPECT_EQ(members[k].clicks, want[k].clicks);
    }
    const auto subs = part.substitutes(e);
    ASSERT_EQ(subs.size(), 1u) << "entity " << e;
    EXPECT_EQ(subs[0].target, e % 2 == 0 ? e + 1 : e - 1);
  }
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

class GraphFileTest : public test::TempDirTest {
 protected:
  GraphWriteStats write(const SyntheticGraph& g, const std::string& name, int shards = 3) {
    return write_graph(path(name), g.meta, g.comp, g.sub, g.mem, comm_, {.shards = shards});
  }
  dist::LocalComm comm_;
  SyntheticGraph g_ = test::synthetic_graph();
};

TEST_F(GraphFileTest, RoundTripsEveryEdgeAndTable) {
  const auto stats = write(g_, "graph.h5");
  EXPECT_EQ(stats.complementary_edges, static_cast<int64_t>(g_.comp.size()));
  const GraphReader reader(path("graph.h5"));
  EXPECT_EQ(reader.info().graph_version, 2);
  EXPECT_EQ(reader.info().root.schema, "graph");
  EXPECT_EQ(reader.info().root.llm_model, "model-b");
  EXPECT_EQ(reader.info().shards(), 3);
  EXPECT_EQ(reader.entity_ids(), g_.meta.entity_ids);
  EXPECT_EQ(reader.entity_names(), g_.meta.entity_names);
  EXPECT_EQ(reader.item_ids(), g_.meta.item_ids);
  EXPECT_EQ(reader.provenance_llm_models(), g_.meta.provenance_llm_model);
  expect_part_matches(reader.read_all(), g_);
  expect_same(reader.complements_of(5), expected_complements(g_, 5), 5);
}

TEST_F(GraphFileTest, EachShardReadsAloneAndShardsAreBalanced) {
  write(g_, "graph.h5", 4);
  const GraphReader reader(path("graph.h5"));
  const GraphInfo& info = reader.info();
  int64_t lo = INT64_MAX, hi = 0;
  for (int s = 0; s < info.shards(); ++s) {
    const GraphPart part = reader.read_shard(s);
    EXPECT_EQ(part.first_source, info.first_source[s]);
    expect_part_matches(part, g_);
    const int64_t w = part.comp.target.size() + part.sub.target.size() + part.mem.item.size() +
                      (part.end_source - part.first_source);
    lo = std::min(lo, w), hi = std::max(hi, w);
    for (auto e = static_cast<int32_t>(part.first_source); e < part.end_source; ++e)
      EXPECT_EQ(reader.shard_of(e), s);
  }
  // The ten heavy entities at the start make an even split by entity count badly unbalanced.
  EXPECT_LT(static_cast<double>(hi), 1.3 * static_cast<double>(lo));
  EXPECT_LT(info.first_source[1], 75);
}

TEST_F(GraphFileTest, EmptyGraphRoundTrips) {
  SyntheticGraph empty = g_;
  empty.comp = {}, empty.sub = {}, empty.mem = {};
  write(empty, "graph.h5", 2);
  const GraphReader reader(path("graph.h5"));
  const GraphPart all = reader.read_all();
  EXPECT_TRUE(all.comp.target.empty());
  EXPECT_TRUE(all.complements(0).empty());
}

TEST_F(GraphFileTest, RejectsDuplicateAndOutOfRangeEdges) {
  SyntheticGraph dup = g_;
  dup.comp.add(dup.comp.source[3], dup.comp.target[3], 0.5f, 1, 0, "again");
  EXPECT_NE(error_of([&] { write(dup, "dup.h5"); }).find("complementary edge (0, "),
            std::string::npos);
  SyntheticGraph bad = g_;
  bad.sub.target[0] = 300;
  EXPECT_NE(
      error_of([&] { write(bad, "bad.h5"); }).find("substitutable target 300 is not in [0, 300)"),
      std::string::npos);
  SyntheticGraph prov = g_;
  prov.comp.provenance[0] = 2;
  EXPECT_NE(error_of([&] { write(prov, "prov.h5"); }).find("complementary provenance 2"),
            std::string::npos);
  SyntheticGraph reasons = g_;
  reasons.comp.reason_end[2] = 0;
  EXPECT_NE(error_of([&] { write(reasons, "reasons.h5"); }).find("reason_end decreases at"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(path("dup.h5")));
  for (const auto& entry : fs::directory_iterator(dir_))
    ADD_FAILURE() << "left behind: " << entry.path();
}

TEST_F(GraphFileTest, RefusesATruncatedFile) {
  write(g_, "graph.h5");
  fs::resize_file(path("graph.h5"), fs::file_size(path("graph.h5")) / 2);
  const std::string error = error_of([&] {
    GraphReader reader(path("graph.h5"));
    reader.read_all();
  });
  EXPECT_NE(error.find(path("graph.h5")), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST_F(GraphFileTest, AFlippedByteFailsItsShardsChecksumOnly) {
  write(g_, "graph.h5", 3);
  // /complementary/confidence is stored uncompressed: find its bytes in the file and flip one in
  // the middle of the last shard's range.
  const GraphReader before(path("graph.h5"));
  const GraphPart last = before.read_shard(2);
  const auto* needle = reinterpret_cast<const char*>(last.comp.confidence.data());
  std::ifstream in(path("graph.h5"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const size_t at = bytes.find(std::string(needle, 32));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 17] ^= 0x04;
  std::ofstream(path("graph.h5"), std::ios::binary | std::ios::trunc) << bytes;

  const GraphReader reader(path("graph.h5"));
  EXPECT_NO_THROW(reader.read_shard(0));
  const std::string error = error_of([&] { reader.read_shard(2); });
  EXPECT_NE(error.find("shard 2 checksum mismatch"), std::string::npos) << error;
  EXPECT_NE(error.find("checksum mismatch"), std::string::npos)
      << error_of([&] { reader.read_all(); });
}

TEST_F(GraphFileTest, RefusesAnUnknownSchemaVersion) {
  write(g_, "graph.h5");
  {
    auto file = io::h5::File::open_read_write(path("graph.h5"));
    io::h5::set_attr(file, "schema_version", int64_t{99});
  }
  const std::string error = error_of([&] { GraphReader reader(path("graph.h5")); });
  EXPECT_NE(error.find("schema_version 99"), std::string::npos) << error;
  EXPECT_NE(error.find("expected schema_version 1"), std::string::npos) << error;
}

TEST_F(GraphFileTest, RefusesAFileOfAnotherSchema) {
  {
    auto file = io::h5::File::create(path("pairs.h5"));
    io::h5::write_root_attrs(file, {.schema = "pairs", .schema_version = 1});
  }
  const std::string error = error_of([&] { GraphReader reader(path("pairs.h5")); });
  EXPECT_NE(error.find("'pairs'"), std::string::npos) << error;
  EXPECT_NE(error.find("'graph'"), std::string::npos) << error;
}

TEST_F(GraphFileTest, RefusesAShardIndexThatDisagreesWithTheData) {
  write(g_, "graph.h5");
  {
    auto file = io::h5::File::open_read_write(path("graph.h5"));
    io::h5::set_attr(file, "shards", int64_t{5});
  }
  const std::string error = error_of([&] { GraphReader reader(path("graph.h5")); });
  EXPECT_NE(error.find("attribute shards = 5"), std::string::npos) << error;
}

// A writer killed with SIGKILL while it writes leaves a complete file: the one committed before.
// The child rewrites the file in a loop, so the kill always lands in some write (it is sent once
// the child's temporary file exists), whatever the machine's load; the file read afterwards is the
// first version or a complete later one, never a partial one.
TEST_F(GraphFileTest, AKilledWriterLeavesACompleteFile) {
  write(g_, "graph.h5");
  const SyntheticGraph big = test::synthetic_graph(20000, 400000, 9);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    dist::LocalComm comm;
    SyntheticGraph next = big;
    next.meta.graph_version = 3;
    for (;;)
      write_graph(path("graph.h5"), next.meta, next.comp, next.sub, next.mem, comm, {.shards = 2});
  }
  const fs::path tmp = path("graph.h5") + ".tmp-" + std::to_string(child);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(tmp) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const GraphReader reader(path("graph.h5"));
  if (reader.info().graph_version == 2) {
    expect_part_matches(reader.read_all(), g_);
  } else {
    EXPECT_EQ(reader.info().graph_version, 3);
    EXPECT_EQ(reader.read_all().comp.target.size(), big.comp.size());
  }
}

}  // namespace
}  // namespace kerec::graph
