// The A/B hook of the user simulation (simulate.h, SlatePolicy): before from_ts the world is
// the logs' world, after it slates replace the logging policy in home and post-payment sessions,
// and the common random numbers pair two policies item by item.
#include <gtest/gtest.h>

#include <map>

#include "kerec/io/tsv.h"
#include "kerec/world/model.h"
#include "kerec/world/simulate.h"
#include "world_test_util.h"

namespace kerec::world {
namespace {

// Shows the first `size` available items of a fixed entity order; records what it hears.
class FixedPolicy final : public SlatePolicy {
 public:
  FixedPolicy(const WorldModel& w, int32_t offset) : w_(w), offset_(offset) {}
  std::vector<int64_t> slate(const SlateRequest& r) override {
    ++slates;
    std::vector<int64_t> out;
    for (int32_t k = 0; static_cast<int32_t>(out.size()) < r.size && k < 50; ++k) {
      const int32_t e = (offset_ + k) % static_cast<int32_t>(w_.sizes.entities);
      if (w_.catalog.available(e, r.ts) > 0)
        out.push_back(w_.catalog.by_entity[w_.catalog.offsets[e]]);
    }
    return out;
  }
  void on_bill(int64_t, int64_t ts, const std::string&, int32_t, int64_t) override {
    bills[ts < from ? 0 : 1]++;
  }
  void on_exposure(const ExposureOutcome& e) override {
    exposures[e.ts < from ? 0 : 1]++;
    if (e.by_slate) outcomes[{e.session_ts, e.item_id}] = {e.clicked, e.converted};
    by_slate += e.by_slate;
  }
  int64_t from = 0, slates = 0, by_slate = 0;
  int64_t bills[2] = {0, 0}, exposures[2] = {0, 0};
  std::map<std::pair<int64_t, int64_t>, std::pair<bool, bool>> outcomes;

 private:
  const WorldModel& w_;
  int32_t offset_;
};

class SlatePolicyTest : public ::testing::Test {
 protected:
  WorldModel w = build_world_model(test::small_config(test::temp_dir("slate-policy")));
};

TEST_F(SlatePolicyTest, BeforeFromTsTheSimulationIsTheLogs) {
  FixedPolicy never(w, 0);
  never.from = w.sizes.end_ts;
  UserSimulator logged(w), hooked(w, {&never, w.sizes.end_ts, 1});
  SimulationOutput a, b;  // no writers
  for (int64_t u = 0; u < 200; ++u) logged.simulate(u, a), hooked.simulate(u, b);
  EXPECT_EQ(never.slates, 0);
  EXPECT_EQ(a.counts.exposures, b.counts.exposures);
  EXPECT_EQ(a.counts.bills, b.counts.bills);
  EXPECT_EQ(never.exposures[0], a.counts.exposures) << "the policy hears every exposure";
  EXPECT_EQ(never.bills[0], a.counts.bills) << "... and every bill";
}

TEST_F(SlatePolicyTest, SlatesServeTheTestPeriodWithCommonRandomNumbers) {
  FixedPolicy p1(w, 0), p2(w, 0), other_seed(w, 0);
  for (auto* p : {&p1, &p2, &other_seed}) p->from = w.sizes.train_end_ts;
  UserSimulator s1(w, {&p1, w.sizes.train_end_ts, 7}), s2(w, {&p2, w.sizes.train_end_ts, 7}),
      s3(w, {&other_seed, w.sizes.train_end_ts, 8});
  SimulationOutput o1, o2, o3;
  for (int64_t u = 0; u < 300; ++u) s1.simulate(u, o1), s2.simulate(u, o2), s3.simulate(u, o3);
  EXPECT_GT(p1.slates, 50);
  EXPECT_GT(p1.by_slate, 100);
  EXPECT_EQ(p1.outcomes, p2.outcomes) << "same policy, same seed: the same draws";
  EXPECT_NE(p1.outcomes, other_seed.outcomes) << "another seed draws other numbers";
  EXPECT_EQ(p1.bills[0], other_seed.bills[0])
      << "the period before from_ts does not depend on the seed";
}

}  // namespace
}  // namespace kerec::world
