// Every layer's backward pass against central finite differences in float64 (rel. error < 1e-6).
#include <gtest/gtest.h>

#include "gradcheck.h"
#include "kerec/nn/layers.h"

namespace kerec::nn::test {
namespace {

constexpr double kTol = 1e-6;

// Checks dL/dx and every dense parameter's gradient of L = sum(R .* layer(x)).
template <class Forward, class Backward>
void check_layer(ParamStore<double>& store, M x, Forward forward, Backward backward) {
  const M y0 = forward(x);
  const M r = random_matrix(y0.rows(), y0.cols(), 99);
  store.zero_grad();
  forward(x);
  const M dx = backward(r);
  auto loss = [&] { return project(forward(x), r); };
  EXPECT_LT(rel_error(dx, numeric_grad(x.data(), x.size(), loss)), kTol) << "input gradient";
  for (size_t p = 0; p < store.num_dense(); ++p) {
    auto v = store.value(static_cast<int>(p));
    const M analytic = store.grad(static_cast<int>(p));
    EXPECT_LT(rel_error(analytic, numeric_grad(v.data(), v.size(), loss)), kTol)
        << store.dense_name(p);
  }
}

TEST(LayersGradcheck, Linear) {
  ParamStore<double> store;
  Linear<double> layer(store, "fc", 5, 3);
  store.finalize(1);
  store.value(1) = random_matrix(1, 3, 5);  // a non-zero bias
  check_layer(
      store, random_matrix(4, 5, 2), [&](const M& x) { return layer.forward(x); },
      [&](const M& dy) { return layer.backward(dy); });
}

TEST(LayersGradcheck, Activations) {
  for (Activation kind : {Activation::kRelu, Activation::kGelu, Activation::kSigmoid}) {
    ParamStore<double> store;
    store.finalize(1);
    Act<double> act(kind);
    check_layer(
        store, random_matrix(3, 6, 3, /*away_from_zero=*/0.05),
        [&](const M& x) { return act.forward(x); }, [&](const M& dy) { return act.backward(dy); });
  }
}

TEST(LayersGradcheck, LayerNorm) {
  ParamStore<double> store;
  LayerNorm<double> ln(store, "ln", 7);
  store.finalize(1);
  store.value(0) = random_matrix(1, 7, 11);
  store.value(1) = random_matrix(1, 7, 12);
  check_layer(
      store, random_matrix(4, 7, 4), [&](const M& x) { return ln.forward(x); },
      [&](const M& dy) { return ln.backward(dy); });
}

TEST(LayersGradcheck, DropoutWithAFixedMask) {
  ParamStore<double> store;
  store.finalize(1);
  Dropout<double> drop(0.3);
  const M x = random_matrix(5, 8, 5);
  const std::vector<uint64_t> streams = {11, 12, 13, 14, 15};
  const M y = drop.forward(x, true, 7, streams);
  const int64_t zeros = (y.array() == 0).count();
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, y.size());
  check_layer(
      store, x, [&](const M& in) { return drop.forward(in, true, 7, streams); },
      [&](const M& dy) { return drop.backward(dy); });
  EXPECT_EQ(drop.forward(x, false, 7, {}), x) << "identity outside training";
}

// A row's mask depends on its stream only, not on which other rows share the batch: the same
// sample gets the same mask whichever rank's batch holds it.
TEST(LayersGradcheck, DropoutMasksFollowTheRowStreams) {
  Dropout<double> drop(0.5);
  const M x = M::Constant(3, 64, 1.0);
  const std::vector<uint64_t> abc = {1, 2, 3}, cb = {3, 2};
  const M all = drop.forward(x, true, 9, abc);
  const M some = drop.forward(M::Constant(2, 64, 1.0), true, 9, cb);
  EXPECT_EQ(M(some.row(0)), M(all.row(2)));
  EXPECT_EQ(M(some.row(1)), M(all.row(1)));
  EXPECT_NE(M(all.row(0)), M(all.row(1)));
  EXPECT_THROW(drop.forward(x, true, 9, cb), std::invalid_argument);
}

TEST(LayersGradcheck, EmbeddingBagSparseGradientSumAndMean) {
  for (Pooling pooling : {Pooling::kSum, Pooling::kMean}) {
    ParamStore<double> store;
    const int table = store.add_table("emb", 10, 4, 1.0);
    store.finalize(3);
    EmbeddingBag<double> bag(store, table, pooling);
    IdLists lists;
    lists.push({1, 3, 3});
    lists.push({});
    lists.push({7});
    lists.push({3, 9});
    const M r = random_matrix(4, 4, 8);
    bag.forward(lists);
    bag.backward(r);
    auto& t = store.table(table);
    // Only touched rows, each once.
    std::vector<int64_t> rows = t.grad.rows;
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<int64_t>{1, 3, 7, 9}));
    auto loss = [&] { return project(bag.forward(lists), r); };
    EXPECT_LT(rel_error(dense_grad(t), numeric_grad(t.weight.data(), t.weight.size(), loss)), kTol);
  }
}

TEST(LayersGradcheck, EmbeddingBagRejectsOutOfRangeIds) {
  ParamStore<double> store;
  const int table = store.add_table("items", 5, 2, 1.0);
  store.finalize(1);
  EmbeddingBag<double> bag(store, table, Pooling::kSum);
  IdLists lists;
  lists.push({5});
  EXPECT_THROW(bag.forward(lists), std::out_of_range);
}

// Two hops composed into one CSR with weights, a repeated id and an empty row.
TEST(LayersGradcheck, NeighbourAggregateSparseGradient) {
  ParamStore<double> store;
  const int table = store.add_table("entity", 8, 3, 1.0);
  store.finalize(5);
  NeighbourAggregate<double> agg(store, table);
  WeightedLists rows;
  rows.add(1, 0.5), rows.add(4, 0.25), rows.add(4, 0.25), rows.end_list();
  rows.end_list();
  rows.add(7, 2.0), rows.add(0, -1.0), rows.end_list();
  const M y = agg.forward(rows);
  auto& t = store.table(table);
  EXPECT_LT((y.row(0) - (0.5 * t.weight.row(1) + 0.5 * t.weight.row(4))).norm(), 1e-12);
  EXPECT_EQ(y.row(1).norm(), 0.0);
  const M r = random_matrix(3, 3, 8);
  agg.backward(r);
  std::vector<int64_t> touched = t.grad.rows;
  std::sort(touched.begin(), touched.end());
  EXPECT_EQ(touched, (std::vector<int64_t>{0, 1, 4, 7}));
  auto loss = [&] { return project(agg.forward(rows), r); };
  EXPECT_LT(rel_error(dense_grad(t), numeric_grad(t.weight.data(), t.weight.size(), loss)), kTol);
}

TEST(LayersGradcheck, NeighbourAggregateRejectsBadRows) {
  ParamStore<double> store;
  const int table = store.add_table("entity", 4, 2, 1.0);
  store.finalize(1);
  NeighbourAggregate<double> agg(store, table);
  WeightedLists rows;
  rows.add(4, 1.0), rows.end_list();
  EXPECT_THROW(agg.forward(rows), std::out_of_range);
  rows.weights.clear();
  EXPECT_THROW(agg.forward(rows), std::invalid_argument);
}

template <class Sim>
void check_similarity(Sim& sim) {
  M a = random_matrix(5, 6, 21), b = random_matrix(5, 6, 22);
  const M r = random_matrix(5, 1, 23);
  sim.forward(a, b);
  auto [da, db] = sim.backward(r);
  auto loss = [&] { return project(sim.forward(a, b), r); };
  EXPECT_LT(rel_error(da, numeric_grad(a.data(), a.size(), loss)), kTol);
  EXPECT_LT(rel_error(db, numeric_grad(b.data(), b.size(), loss)), kTol);
}

TEST(LayersGradcheck, DotAndCosine) {
  Dot<double> dot;
  check_similarity(dot);
  Cosine<double> cosine;
  check_similarity(cosine);
  const M a = random_matrix(3, 4, 1);
  EXPECT_NEAR(cosine.forward(a, 2.5 * a)(1, 0), 1.0, 1e-12);
}

TEST(LayersGradcheck, ConcatAndSplitAreInverse) {
  const M a = random_matrix(3, 2, 1), b = random_matrix(3, 5, 2);
  const M c = concat_cols<double>({&a, &b});
  auto parts = split_cols<double>(c, {2, 5});
  EXPECT_EQ(parts[0], a);
  EXPECT_EQ(parts[1], b);
}

}  // namespace
}  // namespace kerec::nn::test
