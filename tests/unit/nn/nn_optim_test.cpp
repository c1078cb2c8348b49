// Optimizer update paths: hand-computed steps, and lazy sparse updates against dense updates.
#include <gtest/gtest.h>

#include <cmath>

#include "gradcheck.h"
#include "kerec/nn/optim.h"

namespace kerec::nn::test {
namespace {

// A store with one 6 x 3 dense parameter and one 6 x 3 table holding the same values.
struct Twin {
  ParamStore<double> store;
  int dense, table;
  Twin() {
    dense = store.add_dense("d", 6, 3, Init::kNormal01);
    table = store.add_table("t", 6, 3, 1.0);
    store.finalize(5);
    store.table(table).weight = store.value(dense);
  }
  // Gives rows `rows` gradient `g_row * (row + 1)` in both forms.
  void set_grad(const std::vector<int64_t>& rows, uint64_t seed) {
    store.zero_grad();
    const M g = random_matrix(6, 3, seed);
    for (int64_t r : rows) {
      store.grad(dense).row(r) = g.row(r);
      store.table(table).grad.add(r, g.row(r).data(), 1.0, 3);
    }
  }
};

void expect_twins_equal(Twin& t, double tol) {
  const M d = t.store.value(t.dense);
  EXPECT_LT((d - t.store.table(t.table).weight).cwiseAbs().maxCoeff(), tol);
}

TEST(Optim, SgdAndAdagradLazyStepsEqualDenseSteps) {
  for (std::string kind : {"sgd", "adagrad"}) {
    Twin t;
    Optimizer<double> opt({.kind = kind}, t.store);
    for (int step = 0; step < 5; ++step) {
      t.set_grad({step % 6, (step * 5 + 1) % 6}, step);
      opt.step(0.1);
      expect_twins_equal(t, 1e-15);
    }
  }
}

TEST(Optim, LazyAdamTouchesOnlyGradientRows) {
  Twin t;
  Optimizer<double> opt({.kind = "adam"}, t.store);
  const M before = t.store.table(t.table).weight;
  t.set_grad({2, 4}, 1);
  opt.step(0.01);
  expect_twins_equal(t, 1e-15);  // first step: dense untouched rows have zero moments too
  const M& after = t.store.table(t.table).weight;
  for (int r : {0, 1, 3, 5}) EXPECT_EQ(after.row(r), before.row(r));
  // Adam's first step moves each element by lr * sign(g) (up to eps).
  const M step = before.row(2) - after.row(2);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(std::abs(step(0, j)), 0.01, 1e-8);
  t.set_grad({4}, 2);
  const M row2 = t.store.table(t.table).weight.row(2);
  opt.step(0.01);
  EXPECT_EQ(t.store.table(t.table).weight.row(2), row2) << "lazy: row 2 has no gradient, no update";
}

TEST(Optim, SgdMomentumMatchesTheRecurrence) {
  ParamStore<double> store;
  const int p = store.add_dense("w", 1, 1, Init::kZeros);
  store.finalize(1);
  Optimizer<double> opt({.kind = "sgd", .momentum = 0.9}, store);
  double w = 0, v = 0;
  for (int step = 0; step < 4; ++step) {
    const double g = 1.0 + step;
    store.grad(p)(0, 0) = g;
    opt.step(0.5);
    v = 0.9 * v + g;
    w -= 0.5 * v;
    EXPECT_DOUBLE_EQ(store.value(p)(0, 0), w);
  }
}

TEST(Optim, AdamAndAdamWMatchTheirFormulas) {
  for (std::string kind : {"adam", "adamw"}) {
    ParamStore<double> store;
    const int p = store.add_dense("w", 1, 1, Init::kOnes);
    store.finalize(1);
    OptimizerConfig c{.kind = kind, .weight_decay = 0.1};
    Optimizer<double> opt(c, store);
    double w = 1, m = 0, v = 0;
    for (int t = 1; t <= 3; ++t) {
      const double g0 = 0.3 * t;
      store.grad(p)(0, 0) = g0;
      opt.step(0.05);
      const double g = kind == "adam" ? g0 + 0.1 * w : g0;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      if (kind == "adamw") w -= 0.05 * 0.1 * w;
      w -= 0.05 * (m / (1 - std::pow(0.9, t))) / (std::sqrt(v / (1 - std::pow(0.999, t))) + 1e-8);
      EXPECT_NEAR(store.value(p)(0, 0), w, 1e-14) << kind << " step " << t;
    }
  }
}

TEST(Optim, UnknownKindIsRejected) {
  ParamStore<double> store;
  store.add_dense("w", 1, 1, Init::kOnes);
  store.finalize(1);
  EXPECT_THROW(Optimizer<double>({.kind = "lbfgs"}, store), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::nn::test
