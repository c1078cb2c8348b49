// Losses against finite differences in float64, and against values computed by hand.
#include <gtest/gtest.h>

#include "gradcheck.h"
#include "kerec/nn/losses.h"

namespace kerec::nn::test {
namespace {

constexpr double kTol = 1e-6;

TEST(LossesGradcheck, BceWithLogits) {
  M z = random_matrix(6, 1, 1) * 3.0;
  z(0, 0) = 40.0;  // far in the tails: still finite
  z(1, 0) = -40.0;
  const std::vector<float> y = {0, 1, 1, 0, 1, 0};
  auto r = bce_with_logits<double>(z, y, 0.25);
  EXPECT_TRUE(std::isfinite(r.loss));
  auto loss = [&] { return bce_with_logits<double>(z, y, 0.25).loss; };
  EXPECT_LT(rel_error(r.grad, numeric_grad(z.data(), z.size(), loss)), kTol);
  M zero = M::Zero(1, 1);
  EXPECT_NEAR(bce_with_logits<double>(zero, std::vector<float>{1}, 1.0).loss, std::log(2.0), 1e-15);
}

TEST(LossesGradcheck, SoftmaxCrossEntropy) {
  M z = random_matrix(4, 5, 2);
  const std::vector<int32_t> y = {0, 4, 2, 2};
  auto r = softmax_cross_entropy<double>(z, y, 0.5);
  auto loss = [&] { return softmax_cross_entropy<double>(z, y, 0.5).loss; };
  EXPECT_LT(rel_error(r.grad, numeric_grad(z.data(), z.size(), loss)), kTol);
  M uniform = M::Zero(1, 4);
  EXPECT_NEAR(softmax_cross_entropy<double>(uniform, std::vector<int32_t>{3}, 1.0).loss,
              std::log(4.0), 1e-15);
  EXPECT_THROW(softmax_cross_entropy<double>(uniform, std::vector<int32_t>{4}, 1.0),
               std::out_of_range);
}

TEST(LossesGradcheck, InfoNceWithInBatchNegatives) {
  M a = random_matrix(5, 3, 3), b = random_matrix(5, 3, 4);
  auto r = info_nce<double>(a, b, 0.2, 0.2);
  auto loss = [&] { return info_nce<double>(a, b, 0.2, 0.2).loss; };
  EXPECT_LT(rel_error(r.grad_a, numeric_grad(a.data(), a.size(), loss)), kTol);
  EXPECT_LT(rel_error(r.grad_b, numeric_grad(b.data(), b.size(), loss)), kTol);
  // Matching pairs far apart from the negatives: the loss goes to zero.
  M e = M::Identity(4, 4) * 5.0;
  EXPECT_LT(info_nce<double>(e, e, 0.1, 1.0).loss, 1e-50);
  EXPECT_THROW(info_nce<double>(a, b, 0.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::nn::test
