// Entity graphs, the encoder's views, triggers, the E-E-I features and Spearman's rho.
#include <gtest/gtest.h>

#include <cmath>

#include "kerec/train/evaluation.h"
#include "kerec/train/integrate.h"
#include "synthetic.h"

namespace kerec::train::test {
namespace {

TEST(EntityGraph, SortsTargetsAndKeepsTheLargestDuplicate) {
  const auto g = graph_of({{2, 1, 0.3f}, {0, 3, 0.5f}, {0, 1, 0.2f}, {0, 3, 0.9f}}, 4);
  EXPECT_EQ(g.offsets, (std::vector<int64_t>{0, 2, 2, 3, 3}));
  EXPECT_EQ(g.targets, (std::vector<int32_t>{1, 3, 1}));
  ASSERT_NE(g.find(0, 3), nullptr);
  EXPECT_FLOAT_EQ(*g.find(0, 3), 0.9f);
  EXPECT_EQ(g.find(1, 0), nullptr);
  EXPECT_EQ(g.find(7, 0), nullptr);
  EXPECT_THROW(graph_of({{0, 4, 1.0f}}, 4), std::invalid_argument);
  EXPECT_THROW(graph_of({{0, 1, NAN}}, 4), std::invalid_argument);
}

TEST(EncoderViews, SubstitutesAndTwoHopComplementsWithoutTheEntityItself) {
  // 0 -> 1 (0.75) and 0 -> 2 (0.25); 1 -> 0 and 1 -> 3; 2 -> 3. Substitutes: 0 ~ 4.
  const auto comps =
      graph_of({{0, 1, 0.75f}, {0, 2, 0.25f}, {1, 0, 1.0f}, {1, 3, 1.0f}, {2, 3, 1.0f}}, 5);
  const auto subs = graph_of({{0, 4, 1.0f}, {4, 0, 1.0f}}, 5);
  const auto v = encoder_views(subs, comps);
  // Two hops from 0: via 1 to {0 (dropped), 3} with 0.75 * 0.5, via 2 to 3 with 0.25: only 3,
  // weight 1.
  const auto row0 = select_rows(v.complementary, std::vector<int32_t>{0});
  EXPECT_EQ(row0.ids, (std::vector<int64_t>{3}));
  EXPECT_NEAR(row0.weights[0], 1.0, 1e-12);
  const auto sub0 = select_rows(v.substitutable, std::vector<int32_t>{0});
  EXPECT_EQ(sub0.ids, (std::vector<int64_t>{4}));
  // Anchors need both views: 0 has both; 4 has substitutes but no complements.
  EXPECT_EQ(v.anchors, (std::vector<int32_t>{0}));
}

// One user, item 0 of entity 5, bills of entities 1 (2 h ago), 2 (30 h) and 3 (500 h).
struct OneExposure {
  ItemFeatures items;
  RankerSamples s;
  OneExposure() {
    items.ids = {"i0"}, items.price_bucket = {0}, items.cold_start = {0}, items.num_entities = 6;
    items.entities.push({5});
    s.user = {1}, s.ts = {1000}, s.item = {0}, s.scene = {0}, s.label = {1};
    s.bills.push({1, 2, 3});
    s.bill_age_h = {2, 30, 500};
  }
};

TEST(Triggers, TheMostRecentBillWithAnEdgeWithinTheWindow) {
  OneExposure x;
  const auto g = graph_of({{2, 5, 0.9f}, {3, 5, 1.0f}, {1, 4, 1.0f}}, 6);
  const Trigger t = find_trigger(x.s, 0, x.items, g, 168);
  EXPECT_EQ(t.a, 2);
  EXPECT_EQ(t.b, 5);
  EXPECT_FLOAT_EQ(t.age_h, 30);
  EXPECT_FLOAT_EQ(t.confidence, 0.9f);
  EXPECT_EQ(find_trigger(x.s, 0, x.items, g, 10).a, -1);  // the 30 h bill is outside a 10 h window
  EXPECT_EQ(find_trigger(x.s, 0, x.items, g, 600).a, 2);  // 500 h is older than 30 h
  const auto samples = eei_samples(x.s, x.items, g, 168);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples.key[0], sample_key(x.s, 0));
}

TEST(EeiFeatures, TriggerAgeAndTheLargestLearnedBoost) {
  OneExposure x;
  ComplementWeights w;
  w.graph = graph_of({{1, 5, -2.0f}, {2, 5, 3.0f}}, 6);
  w.recency = {1.0, 1.0,  0.5, 0.5,
               0.5, 0.25, 0.25};  // bucket floor(log2(1 + h)): 2 h -> 1, 30 h -> 4
  w.window_h = 168;
  set_eei_features(x.s, x.items, w);
  ASSERT_EQ(x.s.dense_width, kEeiFeatures);
  EXPECT_FLOAT_EQ(x.s.dense[0], 1.0f);
  EXPECT_NEAR(x.s.dense[1], std::log1p(2.0) / std::log1p(168.0), 1e-6);
  EXPECT_FLOAT_EQ(x.s.dense[2], 1.5f);    // max(-2 * 1.0, 3 * 0.5)
  w.graph = graph_of({{4, 5, 1.0f}}, 6);  // no bill entity has an edge to 5
  set_eei_features(x.s, x.items, w);
  EXPECT_EQ(x.s.dense, (std::vector<float>{0, 0, 0}));
}

TEST(EeiFeatures, ANonFiniteFeatureNamesTheExposure) {
  OneExposure x;
  ComplementWeights w;
  w.graph = graph_of({{2, 5, 1.0f}}, 6);
  w.recency = {1.0, 1.0, 1.0, 1.0, NAN, 1.0};  // the 30 h bill's bucket (4)
  w.window_h = 168;
  try {
    set_eei_features(x.s, x.items, w);
    FAIL() << "a NaN feature was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("exposure 0"), std::string::npos) << e.what();
  }
}

TEST(Spearman, RanksWithTies) {
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 4, 6, 8, 100}, z = {5, 4, 3, 2, 1};
  EXPECT_NEAR(spearman(x, y), 1.0, 1e-12);
  EXPECT_NEAR(spearman(x, z), -1.0, 1e-12);
  const std::vector<double> ties = {1, 1, 2, 2, 3};
  EXPECT_NEAR(spearman(ties, x), 0.9486832980505138, 1e-12);
  EXPECT_EQ(spearman(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}), 0.0);
}

}  // namespace
}  // namespace kerec::train::test
