// The merge rules of a refresh (complements.h), on one rank.
#include "kerec/graph/complements.h"

#include <gtest/gtest.h>

#include <map>

#include "kerec/dist/local_comm.h"

namespace kerec::graph {
namespace {

constexpr uint8_t kNo = 0, kYes = 1, kUncertain = 2, kUnjudged = 3;

struct Edge {
  float confidence;
  int32_t version, provenance;
  std::string reason;
  bool operator==(const Edge&) const = default;
};
using EdgeMap = std::map<std::pair<int32_t, int32_t>, Edge>;

EdgeMap as_map(const ComplementEdges& e) {
  EdgeMap m;
  for (size_t i = 0; i < e.size(); ++i)
    m[{e.source[i], e.target[i]}] = {e.confidence[i], e.version[i], e.provenance[i],
                                     std::string(e.reason(i))};
  return m;
}

void add(llm::VerdictBlock& v, int32_t a, int32_t b, uint8_t verdict, float conf,
         const std::string& reason) {
  v.a.push_back(a), v.b.push_back(b), v.verdict.push_back(verdict), v.confidence.push_back(conf),
      v.reason.push_back(reason);
}

ComplementEdges previous_graph() {
  ComplementEdges prev;
  prev.add(0, 1, 0.9f, 1, 0, "old 0-1");
  prev.add(0, 2, 0.9f, 1, 0, "old 0-2");
  prev.add(1, 2, 0.9f, 1, 0, "old 1-2");
  prev.add(2, 3, 0.9f, 1, 0, "old 2-3");
  prev.add(3, 4, 0.9f, 1, 0, "old 3-4");
  return prev;
}

TEST(MergeComplements, AppliesTheRefreshRules) {
  llm::VerdictBlock v;
  add(v, 0, 1, kYes, 0.8f, "new 0-1");       // updated: new attributes, old version
  add(v, 0, 2, kNo, 0.9f, "no");             // removed by "no"
  add(v, 1, 2, kYes, 0.3f, "weak");          // removed: below min_confidence
  add(v, 2, 3, kUnjudged, 0.0f, "timeout");  // kept: unjudged is never "no"
  add(v, 5, 6, kYes, 0.7f, "new 5-6");       // added with the new version
  add(v, 6, 7, kYes, 0.2f, "weak");          // not added
  add(v, 7, 8, kUncertain, 0.5f, "maybe");   // not added
  dist::LocalComm comm;
  ComplementStats st;
  const EdgeMap got = as_map(merge_complements(comm, v, previous_graph(), 0.5, 2, 1, st));
  const EdgeMap want = {{{0, 1}, {0.8f, 1, 1, "new 0-1"}},
                        {{2, 3}, {0.9f, 1, 0, "old 2-3"}},
                        {{3, 4}, {0.9f, 1, 0, "old 3-4"}},
                        {{5, 6}, {0.7f, 2, 1, "new 5-6"}}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(st.verdicts, 7);
  EXPECT_EQ(st.yes, 4);
  EXPECT_EQ(st.yes_below_min_confidence, 2);
  EXPECT_EQ(st.no, 1);
  EXPECT_EQ(st.uncertain, 1);
  EXPECT_EQ(st.unjudged, 1);
  EXPECT_EQ(st.previous_edges, 5);
  EXPECT_EQ(st.updated, 1);
  EXPECT_EQ(st.removed_by_no, 1);
  EXPECT_EQ(st.removed_below_min_confidence, 1);
  EXPECT_EQ(st.kept, 2);
  EXPECT_EQ(st.added, 1);
  EXPECT_EQ(st.edges, 4);
}

TEST(MergeComplements, ARefreshWithoutNewVerdictsKeepsTheEdgeSet) {
  dist::LocalComm comm;
  ComplementStats st;
  const auto merged = merge_complements(comm, llm::VerdictBlock{}, previous_graph(), 0.5, 2, 1, st);
  EXPECT_EQ(as_map(merged), as_map(previous_graph()));
  EXPECT_EQ(st.kept, 5);
}

TEST(MergeComplements, TheSameVerdictsAgainKeepVersionsAndAttributes) {
  llm::VerdictBlock v;
  add(v, 0, 1, kYes, 0.8f, "r01");
  add(v, 4, 2, kYes, 0.6f, "r42");
  add(v, 3, 3, kNo, 0.6f, "no");
  dist::LocalComm comm;
  ComplementStats st;
  const auto first = merge_complements(comm, v, {}, 0.5, 1, 0, st);
  const auto again = merge_complements(comm, v, first, 0.5, 2, 0, st);
  EXPECT_EQ(as_map(again), as_map(first));
  EXPECT_EQ(st.updated, 2);
  EXPECT_EQ(st.added, 0);
}

}  // namespace
}  // namespace kerec::graph

namespace kerec::graph {
namespace {

TEST(MergeComplements, AYesAtExactlyMinConfidenceCounts) {
  llm::VerdictBlock v;
  add(v, 0, 1, kYes, 0.7f, "at the threshold");
  dist::LocalComm comm;
  ComplementStats st;
  EXPECT_EQ(merge_complements(comm, v, {}, 0.7, 1, 0, st).size(), 1u);
}

TEST(MergeComplements, RefusesVerdictsThatHoldAPairTwice) {
  llm::VerdictBlock v;
  add(v, 0, 1, kYes, 0.9f, "once");
  add(v, 0, 1, kYes, 0.8f, "twice");
  dist::LocalComm comm;
  ComplementStats st;
  try {
    merge_complements(comm, v, {}, 0.5, 1, 0, st);
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("the verdicts hold pair (0, 1) twice"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kerec::graph
