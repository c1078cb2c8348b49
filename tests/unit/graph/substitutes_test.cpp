// Sessions, co-clicks and membership on one rank.
#include "kerec/graph/substitutes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "kerec/dist/local_comm.h"

namespace kerec::graph {
namespace {

// item 0 → {0}, item 1 → {1}, item 2 → {2, 0, 2} (a repeated mention).
extract::MentionCsr item_mentions() {
  extract::MentionCsr m;
  m.entity = {0, 1, 2, 0, 2};
  m.offsets = {0, 1, 2, 5};
  return m;
}

TEST(DistinctItemEntities, DropsRepeatedMentionsKeepingFirstOrder) {
  const auto d = distinct_item_entities(item_mentions());
  EXPECT_EQ(d.offsets, (std::vector<int64_t>{0, 1, 2, 4}));
  EXPECT_EQ(d.entity, (std::vector<int32_t>{0, 1, 2, 0}));
}

TEST(SubstituteEdges, CountsSessionsCutByTheGapAndKeepsSupportedPairs) {
  const auto ents = distinct_item_entities(item_mentions());
  const std::vector<ClickEvent> clicks = {
      {1, 0, 0, 0},    {1, 100, 1, 0},   // user 1, session 1: entities {0, 1}
      {1, 5000, 2, 0},                   // user 1, session 2 (gap 4900 > 1800): {0, 2}
      {2, 50, 1, 0},   {2, 0, 0, 0},     // user 2 (out of order): {0, 1}
      {3, 0, 2, 0},    {3, 1800, 1, 0},  // user 3: gap exactly 1800 is one session: {0, 1, 2}
  };
  dist::LocalComm comm;
  SubstituteStats st;
  const SubstituteEdges e = substitute_edges(comm, clicks, ents, 4, 1800, 2, st);
  // (0,1): 3 sessions; (0,2): 2; (1,2): 1 (below support). sessions(0) = 4, (1) = 3, (2) = 2.
  ASSERT_EQ(e.size(), 4u);
  std::map<std::pair<int32_t, int32_t>, std::pair<int32_t, float>> got;
  for (size_t i = 0; i < e.size(); ++i) got[{e.source[i], e.target[i]}] = {e.count[i], e.weight[i]};
  EXPECT_EQ(got.at({0, 1}).first, 3);
  EXPECT_FLOAT_EQ(got.at({1, 0}).second, static_cast<float>(3 / std::sqrt(12.0)));
  EXPECT_EQ(got.at({2, 0}).first, 2);
  EXPECT_FLOAT_EQ(got.at({0, 2}).second, static_cast<float>(2 / std::sqrt(8.0)));
  EXPECT_EQ(st.clicks, 7);
  EXPECT_EQ(st.sessions, 4);
  EXPECT_EQ(st.sessions_with_pairs, 4);
  EXPECT_EQ(st.observations, 3 + 2 + 1);
  EXPECT_EQ(st.distinct_pairs, 3);
  EXPECT_EQ(st.kept_pairs, 2);
  EXPECT_EQ(st.edges, 4);
}

TEST(MemberEdges, OneEdgePerDistinctEntityOfEachItem) {
  dist::LocalComm comm;
  const auto m = member_edges(distinct_item_entities(item_mentions()), {5, 7, 9}, comm);
  EXPECT_EQ(m.source, (std::vector<int32_t>{0, 1, 2, 0}));
  EXPECT_EQ(m.item, (std::vector<int32_t>{0, 1, 2, 2}));
  EXPECT_EQ(m.clicks, (std::vector<int64_t>{5, 7, 9, 9}));
}

}  // namespace
}  // namespace kerec::graph
