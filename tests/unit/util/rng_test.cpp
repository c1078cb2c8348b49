#include "kerec/util/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kerec {
namespace {

TEST(Rng, StreamsAreReproducibleAndIndependentOfCreationOrder) {
  Rng a(7, "users", 3), b(7, "users", 3), c(7, "users", 4), d(7, "bills", 3);
  const uint64_t first = a.next_u64();
  EXPECT_EQ(first, b.next_u64());
  EXPECT_NE(first, c.next_u64());
  EXPECT_NE(first, d.next_u64());
}

TEST(Rng, DistributionsHaveTheirMoments) {
  Rng rng(1);
  const int n = 200000;
  double sum_u = 0, sum_n = 0, sum_n2 = 0, sum_e = 0, sum_p = 0;
  for (int i = 0; i < n; ++i) {
    sum_u += rng.uniform();
    const double z = rng.normal();
    sum_n += z, sum_n2 += z * z;
    sum_e += rng.exponential(2.0);
    sum_p += static_cast<double>(rng.poisson(3.0));
  }
  EXPECT_NEAR(sum_u / n, 0.5, 0.01);
  EXPECT_NEAR(sum_n / n, 0.0, 0.01);
  EXPECT_NEAR(sum_n2 / n, 1.0, 0.02);
  EXPECT_NEAR(sum_e / n, 0.5, 0.01);
  EXPECT_NEAR(sum_p / n, 3.0, 0.03);
}

TEST(Rng, UniformIntStaysInRangeAndHitsEveryValue) {
  Rng rng(2);
  int seen[5] = {};
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.uniform_range(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    ++seen[v + 2];
  }
  for (int count : seen) EXPECT_GT(count, 100);
}

}  // namespace
}  // namespace kerec
