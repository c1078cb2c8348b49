// The E-E-I model's backward pass (click loss and contrastive loss) against central finite
// differences in float64, over every dense parameter and every embedding table.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "../nn/gradcheck.h"
#include "kerec/train/eei.h"
#include "synthetic.h"

namespace kerec::train::test {
namespace {

using nn::test::dense_grad;
using nn::test::M;
using nn::test::numeric_grad;
using nn::test::rel_error;

constexpr double kTol = 1e-6;

EeiShape tiny_shape(bool train_entities = true) {
  return {6, 12, 3, 8, 5, 3, 4, 7, {5}, train_entities};
}

EeiSamples tiny_samples() {
  EeiSamples s;
  Rng rng(3, "eei-samples");
  for (int i = 0; i < 9; ++i) {
    s.a.push_back(i == 4 ? -1 : static_cast<int32_t>(rng.uniform_int(6)));  // sample 4: a control
    s.b.push_back(static_cast<int32_t>(rng.uniform_int(6)));
    s.item.push_back(static_cast<int32_t>(rng.uniform_int(12)));
    s.scene.push_back(static_cast<int32_t>(rng.uniform_int(3)));
    s.edge.push_back(s.a.back() < 0 ? -1 : i % 7);
    s.age_h.push_back(static_cast<float>(rng.uniform() * 40));
    s.confidence.push_back(static_cast<float>(rng.uniform()));
    s.label.push_back(i % 3 == 0 ? 1.0f : 0.0f);
    s.key.push_back(static_cast<uint64_t>(i)), s.user.push_back(static_cast<uint64_t>(i % 4));
  }
  return s;
}

double norm(const std::vector<double>& v) {
  double n = 0;
  for (double x : v) n += x * x;
  return std::sqrt(n);
}

// One gradient against finite differences. A gradient that is zero in exact arithmetic (e.g. the
// bias of a view head, to which InfoNCE is invariant) is compared absolutely: relative errors of
// rounding noise mean nothing.
void expect_close(const M& analytic, const std::vector<double>& numeric, const std::string& name) {
  if (norm(numeric) < 1e-9) {
    EXPECT_LT(analytic.norm(), 1e-9) << name;
    return;
  }
  EXPECT_LT(rel_error(analytic, numeric), kTol) << name;
}

// Compares the analytic gradients in `store` (already accumulated) with finite differences of
// `loss`.
void check_all(nn::ParamStore<double>& store, const std::function<double()>& loss) {
  std::vector<M> dense, tables;
  for (size_t p = 0; p < store.num_dense(); ++p)
    dense.emplace_back(store.grad(static_cast<int>(p)));
  for (size_t t = 0; t < store.num_tables(); ++t)
    tables.push_back(dense_grad(store.table(static_cast<int>(t))));
  for (size_t p = 0; p < store.num_dense(); ++p) {
    auto v = store.value(static_cast<int>(p));
    expect_close(dense[p], numeric_grad(v.data(), v.size(), loss),
                 store.dense_name(static_cast<int>(p)));
  }
  for (size_t t = 0; t < store.num_tables(); ++t) {
    auto& table = store.table(static_cast<int>(t));
    expect_close(tables[t], numeric_grad(table.weight.data(), table.weight.size(), loss),
                 table.name);
  }
}

TEST(EeiGradcheck, ClickLoss) {
  const auto items = synthetic_items(12, 6);
  const auto s = tiny_samples();
  EeiModel<double> model(tiny_shape(), 5);
  auto& store = model.params();
  // Non-zero recency and edge weights, so that their gradients are exercised.
  auto& theta = store.table(1).weight;
  for (int64_t b = 0; b < theta.rows(); ++b) theta(b, 0) = 0.3 * static_cast<double>(b) - 0.5;
  auto& beta = store.table(2).weight;
  for (int64_t e = 0; e < beta.rows(); ++e) beta(e, 0) = 0.2 * static_cast<double>(e) - 0.6;
  const std::vector<uint32_t> batch = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  store.zero_grad();
  model.click_loss(s, items, batch, 0.5, true);
  check_all(store, [&] { return model.click_loss(s, items, batch, 0.5, false); });
}

TEST(EeiGradcheck, ContrastiveLoss) {
  const auto subs = graph_of(
      {{0, 1, 1}, {1, 0, 1}, {2, 3, 0.5}, {3, 2, 0.5}, {4, 5, 2}, {5, 4, 2}, {0, 4, 1}}, 6);
  const auto comps = graph_of(
      {{0, 2, 0.9}, {2, 1, 0.6}, {2, 4, 0.3}, {1, 3, 0.8}, {3, 0, 0.5}, {4, 0, 1}, {5, 2, 0.7}}, 6);
  const auto views = encoder_views(subs, comps);
  ASSERT_GE(views.anchors.size(), 4u);
  EeiModel<double> model(tiny_shape(), 6);
  auto& store = model.params();
  store.zero_grad();
  model.contrastive_loss(views, views.anchors, 0.5, 0.7, true);
  check_all(store, [&] { return model.contrastive_loss(views, views.anchors, 0.5, 0.7, false); });
}

TEST(EeiGradcheck, FixedEntityEmbeddingsGetNoGradient) {
  const auto items = synthetic_items(12, 6);
  const auto s = tiny_samples();
  EeiModel<double> model(tiny_shape(/*train_entities=*/false), 5);
  model.params().zero_grad();
  const std::vector<uint32_t> batch = {0, 1, 2};
  model.click_loss(s, items, batch, 1.0, true);
  EXPECT_TRUE(model.params().table(0).grad.rows.empty());
  EXPECT_FALSE(model.params().table(3).grad.rows.empty());  // the item table still learns
}

TEST(EeiModel, PairWeightsEqualThePairTermOfTheLogit) {
  const auto items = synthetic_items(12, 6);
  auto s = tiny_samples();
  EeiModel<double> model(tiny_shape(), 5);
  const std::vector<uint32_t> one = {2};
  const double with = model.forward(s, items, one)(0, 0);
  const auto w =
      model.pair_weights(std::span(s.a).subspan(2, 1), std::span(s.b).subspan(2, 1),
                         std::span(s.confidence).subspan(2, 1), std::span(s.edge).subspan(2, 1));
  // logit = base + pair * r: change the edge's confidence and the logit moves by r * delta(pair).
  const double r = model.recency(s.age_h[2]);
  s.confidence[2] += 0.5f;  // w = softplus(z) moves with it
  const auto w2 =
      model.pair_weights(std::span(s.a).subspan(2, 1), std::span(s.b).subspan(2, 1),
                         std::span(s.confidence).subspan(2, 1), std::span(s.edge).subspan(2, 1));
  EXPECT_NEAR(model.forward(s, items, one)(0, 0) - with, r * (w2[0] - w[0]), 1e-5);
}

TEST(EeiModel, RejectsOutOfRangeIds) {
  const auto items = synthetic_items(12, 6);
  auto s = tiny_samples();
  s.a[0] = 6;
  EeiModel<double> model(tiny_shape(), 5);
  const std::vector<uint32_t> batch = {0};
  EXPECT_THROW(model.click_loss(s, items, batch, 1.0, true), std::out_of_range);
  EXPECT_THROW(EeiModel<double>(EeiShape{}, 1), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::train::test
