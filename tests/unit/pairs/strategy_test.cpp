#include "kerec/pairs/strategy.h"

#include <gtest/gtest.h>

#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

TEST(PairKey, SortsByAnchorThenTarget) {
  EXPECT_LT(pair_key(1, 1999), pair_key(2, 0));
  EXPECT_LT(pair_key(2, 0), pair_key(2, 1));
  EXPECT_EQ(key_a(pair_key(7, 300000)), 7);
  EXPECT_EQ(key_b(pair_key(7, 300000)), 300000);
}

TEST(Sampled, IsDeterministicAndNearItsRate) {
  int hits = 0;
  for (int32_t a = 0; a < 400; ++a)
    for (int32_t b = 0; b < 250; ++b) {
      const bool s = sampled(pair_key(a, b), 1, 0.2);
      EXPECT_EQ(s, sampled(pair_key(a, b), 1, 0.2));
      hits += s;
    }
  EXPECT_NEAR(hits / 100000.0, 0.2, 0.01);
  int differ = 0;  // another seed draws another sample
  for (int32_t b = 0; b < 1000; ++b)
    differ += sampled(pair_key(0, b), 1, 0.5) != sampled(pair_key(0, b), 2, 0.5);
  EXPECT_GT(differ, 300);
}

TEST(OwnerOf, SpreadsPairsOverRanks) {
  std::vector<int> per_rank(4);
  for (int32_t a = 0; a < 100; ++a)
    for (int32_t b = 0; b < 100; ++b) ++per_rank.at(owner_of(pair_key(a, b), 4));
  for (int n : per_rank) EXPECT_NEAR(n, 2500, 250);
  EXPECT_EQ(owner_of(pair_key(3, 4), 1), 0);
}

TEST(SegmentByTraffic, CutsAtCumulativeShares) {
  // traffic 50, 30, 10, 5, 5 (entities 3, 0, 4, 1, 2 after sorting): shares before 0, .5, .8, .9,
  // .95
  const std::vector<int64_t> traffic = {30, 5, 5, 50, 10};
  const std::vector<double> bounds = {0.5, 0.8};
  const auto s = segment_by_traffic(traffic, bounds);
  EXPECT_EQ(s.segment_of, (std::vector<int32_t>{1, 2, 2, 0, 2}));
  EXPECT_EQ(s.sizes, (std::vector<int64_t>{1, 1, 3}));
  EXPECT_EQ(s.traffic, (std::vector<int64_t>{50, 30, 20}));
}

TEST(SegmentByTraffic, TiesGoByIndexAndZeroTrafficIsOneSegment) {
  const std::vector<int64_t> traffic = {1, 1, 1, 1};
  const std::vector<double> bounds = {0.5};
  EXPECT_EQ(segment_by_traffic(traffic, bounds).segment_of, (std::vector<int32_t>{0, 0, 1, 1}));
  const std::vector<int64_t> zero = {0, 0, 0};
  EXPECT_EQ(segment_by_traffic(zero, bounds).segment_of, (std::vector<int32_t>{0, 0, 0}));
}

TEST(ParseStrategy, ReadsCells) {
  PairsConfig c;
  c.segment_boundaries = {0.5};
  c.segment_names = {"head", "tail"};
  c.strategy = {"all", "sample:0.25", "none", "all"};
  const auto m = parse_strategy(c);
  EXPECT_EQ(m.segments, 2);
  EXPECT_EQ(m.at(0, 0), 1.0);
  EXPECT_EQ(m.at(0, 1), 0.25);
  EXPECT_EQ(m.at(1, 0), 0.0);
  EXPECT_NO_THROW(validate(c));
}

TEST(Validate, RejectsBadConfigNamingTheKey) {
  auto expect_error = [](PairsConfig c, const std::string& key) {
    try {
      validate(c);
      ADD_FAILURE() << "no error for " << key;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("pairs." + key), std::string::npos) << e.what();
    }
  };
  PairsConfig c;
  c.strategy[4] = "sample:1.5";
  expect_error(c, "strategy");
  c = PairsConfig{};
  c.strategy[0] = "most";
  expect_error(c, "strategy");
  c = PairsConfig{};
  c.strategy.pop_back();
  expect_error(c, "strategy");
  c = PairsConfig{};
  c.segment_names = {"a", "b"};
  expect_error(c, "segment_names");
  c = PairsConfig{};
  c.segment_boundaries = {0.8, 0.5};
  expect_error(c, "segment_boundaries");
  c = PairsConfig{};
  c.cooccur_window_h = 0;
  expect_error(c, "cooccur_window_h");
  EXPECT_NO_THROW(validate(PairsConfig{}));
}

TEST(ParseExclusions, MatchesNamesAndWildcards) {
  PairsConfig c;
  c.exclude_categories = {"baby>auto", "*>books"};
  const std::vector<std::string> names = {"auto", "baby", "books"};
  const auto x = parse_exclusions(c, names);
  EXPECT_TRUE(x.at(1, 0));
  EXPECT_FALSE(x.at(0, 1));
  for (int a = 0; a < 3; ++a) EXPECT_TRUE(x.at(a, 2));
  EXPECT_FALSE(x.at(0, 0));
  c.exclude_categories = {"baby>cars"};
  EXPECT_THROW(parse_exclusions(c, names), ConfigError);
  c.exclude_categories = {"baby"};
  EXPECT_THROW(parse_exclusions(c, names), ConfigError);
}

}  // namespace
}  // namespace kerec::pairs
