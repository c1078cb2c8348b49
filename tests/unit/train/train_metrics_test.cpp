// Exact AUC and GAUC against values computed by hand.
#include <gtest/gtest.h>

#include "kerec/dist/local_comm.h"
#include "kerec/train/metrics.h"

namespace kerec::train {
namespace {

TEST(TrainMetrics, ExactAucCountsTiesAsOneHalf) {
  EXPECT_DOUBLE_EQ(
      exact_auc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f}, std::vector<float>{0, 0, 1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(exact_auc(std::vector<float>{0.5f, 0.5f}, std::vector<float>{0, 1}), 0.5);
  EXPECT_DOUBLE_EQ(exact_auc(std::vector<float>{0.2f, 0.9f}, std::vector<float>{0, 1}), 1.0);
  EXPECT_DOUBLE_EQ(exact_auc(std::vector<float>{0.2f, 0.9f}, std::vector<float>{1, 1}), 0.5);
}

TEST(TrainMetrics, GaucWeightsUsersBySamplesAndSkipsOneClassUsers) {
  dist::LocalComm comm;
  // user 1: AUC 1 over 2 samples; user 2: AUC 0 over 4 samples (two pairs wrong... all wrong); user
  // 3: one class.
  const std::vector<float> s = {0.1f, 0.9f, 0.9f, 0.8f, 0.2f, 0.1f, 0.5f};
  const std::vector<float> y = {0, 1, 0, 0, 1, 1, 1};
  const std::vector<uint64_t> u = {1, 1, 2, 2, 2, 2, 3};
  const auto m = evaluate(comm, s, y, u);
  EXPECT_EQ(m.gauc_users, 2);
  EXPECT_DOUBLE_EQ(m.gauc, (1.0 * 2 + 0.0 * 4) / 6);
  EXPECT_EQ(m.samples, 7);
  EXPECT_EQ(m.positives, 4);
  EXPECT_THROW(evaluate(comm, s, y, std::vector<uint64_t>{1}), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::train
