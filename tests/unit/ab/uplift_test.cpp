// Uplift and its bootstrap intervals (uplift.h): a paired design cancels what the arms share.
#include "kerec/ab/uplift.h"

#include <gtest/gtest.h>

#include "kerec/util/rng.h"

namespace kerec::ab {
namespace {

// 2 arms: per user a noisy baseline; the treatment is base * factor plus its own noise of sd `own`.
UpliftSums simulate(double factor, double own, int users = 2000) {
  UpliftSums sums(2, 300, 5);
  Rng rng(11);
  std::vector<UserSums> arms(2);
  for (int u = 0; u < users; ++u) {
    arms[0].fill(0), arms[1].fill(0);
    const double base = rng.exponential(1.0) * 10.0;  // users differ a lot
    for (int m = 0; m < kMetrics; ++m) {
      arms[0][kAll * kMetrics + m] = base;
      arms[1][kAll * kMetrics + m] = std::max(0.0, base * factor + own * rng.normal());
    }
    sums.add_user(u, arms);
  }
  return sums;
}

double width(const nlohmann::json& j, const char* kind) {
  return j[kind][1].get<double>() - j[kind][0].get<double>();
}

TEST(UpliftSums, AnArmAgainstItselfHasZeroUpliftAndAPairedIntervalOfZero) {
  const auto u = simulate(1.0, 0.0).uplift(1, 0, 0.95)["all"]["conversions"];
  EXPECT_DOUBLE_EQ(u["uplift"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(width(u, "paired"), 0.0);
  EXPECT_GT(width(u, "unpaired"), 0.02) << "two independent samples of the same users differ";
  EXPECT_TRUE(u["unpaired"][0].get<double>() <= 0 && u["unpaired"][1].get<double>() >= 0);
}

TEST(UpliftSums, PairingNarrowsTheIntervalAndItCoversTheTrueUplift) {
  const auto u = simulate(1.1, 1.0).uplift(1, 0, 0.95)["all"]["gmv"];
  EXPECT_NEAR(u["uplift"].get<double>(), 0.1, 0.02);
  EXPECT_LT(u["paired"][0].get<double>(), 0.1);
  EXPECT_GT(u["paired"][1].get<double>(), 0.1 - 0.02);
  EXPECT_LT(width(u, "paired"), width(u, "unpaired") / 3);
}

TEST(UpliftSums, EmptySlicesAreNull) {
  const auto u = simulate(1.1, 0.0, 50).uplift(1, 0, 0.95);
  EXPECT_TRUE(u["home"]["clicks"].is_null());
  EXPECT_FALSE(u["all"]["clicks"].is_null());
  EXPECT_FALSE(u["home"]["clicks"].contains("unpaired"));
}

}  // namespace
}  // namespace kerec::ab
