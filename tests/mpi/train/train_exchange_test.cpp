// Data-parallel equivalence: the gradient of one global batch split over the ranks (by user) and
// summed by exchange_gradients equals the gradient computed on one rank, within rel. 1e-5 (float32
// summation order); and distributed metrics equal the metrics of all samples in one place.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "../../support/mpi_test.h"
#include "../../unit/train/synthetic.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/local_comm.h"
#include "kerec/train/exchange.h"
#include "kerec/train/metrics.h"
#include "kerec/train/trainer.h"

namespace kerec::train::test {
namespace {

// Dense gradients and each table's gradient densified, divided by `n`.
std::vector<double> gradient_vector(nn::ParamStore<float>& store, double n) {
  std::vector<double> g(store.flat_grads().begin(), store.flat_grads().end());
  for (size_t t = 0; t < store.num_tables(); ++t) {
    const auto& table = store.table(static_cast<int>(t));
    std::vector<double> dense(table.rows * table.dim, 0.0);
    for (size_t k = 0; k < table.grad.rows.size(); ++k)
      for (int64_t j = 0; j < table.dim; ++j)
        dense[table.grad.rows[k] * table.dim + j] += table.grad.values[k * table.dim + j];
    g.insert(g.end(), dense.begin(), dense.end());
  }
  for (double& v : g) v /= n;
  return g;
}

double rel_error(const std::vector<double>& a, const std::vector<double>& b) {
  double diff = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff += (a[i] - b[i]) * (a[i] - b[i]), na += a[i] * a[i], nb += b[i] * b[i];
  return std::sqrt(diff) / (std::sqrt(na) + std::sqrt(nb));
}

std::vector<uint32_t> all_indices(size_t n) {
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  return idx;
}

TEST(TrainExchange, GlobalBatchGradientDoesNotDependOnTheRankCount) {
  dist::Comm& comm = kerec::test::comm();
  const auto items = synthetic_items();
  const auto all = synthetic_samples(900, 50, items, 3);
  const auto mine = samples_of_rank(all, comm.rank(), comm.size());

  RankerModel reference(small_shape(items), 11);  // the whole batch on this process
  reference.forward_backward(all, items, all_indices(all.size()), 0);
  const auto expected = gradient_vector(reference.params(), static_cast<double>(all.size()));

  for (size_t bucket_elems : {size_t{64}, size_t{1} << 20}) {
    RankerModel model(small_shape(items), 11);
    model.params().zero_grad();
    model.forward_backward(mine, items, all_indices(mine.size()), 0);
    const auto stats = exchange_gradients(comm, model.params(), bucket_elems);
    EXPECT_EQ(stats.buckets, (stats.dense_elems + bucket_elems - 1) / bucket_elems);
    const auto got = gradient_vector(model.params(), static_cast<double>(all.size()));
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_LT(rel_error(got, expected), 1e-5) << "bucket " << bucket_elems;
    // Every rank holds the same summed gradient, bit for bit.
    const auto lo = dist::allgatherv<double>(comm, std::span<const double>(got.data(), 1));
    for (double v : lo) EXPECT_EQ(v, got[0]);
  }
}

TEST(TrainExchange, SparseRowsAreMergedSortedAndIdenticalOnEveryRank) {
  dist::Comm& comm = kerec::test::comm();
  nn::ParamStore<float> store;
  const int t = store.add_table("t", 10, 2, 1.0);
  store.finalize(1);
  const float g[2] = {1.0f, 2.0f};
  store.table(t).grad.add(9 - comm.rank() % 3, g, 1.0f, 2);  // rows 9, 8, 7 depending on rank
  store.table(t).grad.add(0, g, 1.0f, 2);
  exchange_gradients(comm, store, 16);
  const auto& grad = store.table(t).grad;
  EXPECT_TRUE(std::is_sorted(grad.rows.begin(), grad.rows.end()));
  EXPECT_EQ(grad.rows.front(), 0);
  EXPECT_EQ(grad.values[0], 1.0f * comm.size());
  EXPECT_EQ(grad.values[1], 2.0f * comm.size());
  EXPECT_EQ(grad.rows.size(), 1u + std::min(comm.size(), 3));
}

// Several steps of the trainer at this rank count follow the single-process trajectory: the global
// batches are the same sample sets and dropout masks are keyed by sample, not by rank, so losses
// agree up to float32 summation order.
TEST(TrainExchange, TrainerLossesMatchTheSingleProcessRun) {
  dist::Comm& comm = kerec::test::comm();
  const auto items = synthetic_items();
  const auto all = synthetic_samples(1500, 60, items, 4);
  const auto mine = samples_of_rank(all, comm.rank(), comm.size());
  TrainConfig c;
  c.epochs = 2, c.batch_size = 100, c.lr = 0.01, c.warmup_steps = 3, c.checkpoint_every_steps = 0;
  c.checksum_every_steps = 1, c.hidden = {16, 8}, c.embedding_dim = 8, c.dropout = 0.2;
  const RankerSamples none;
  const auto dir =
      std::filesystem::temp_directory_path() / ("kerec-mpi-trainer-" + std::to_string(comm.size()));
  std::vector<double> expected;
  dist::LocalComm local;
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
  comm.barrier();
  {
    RankerModel model(RankerShape::from(c, items), 5);
    RankerTask task(model, items, all, none);
    expected = Trainer(local, c, task, dir / ("local-" + std::to_string(comm.rank())), "sha")
                   .run()
                   .step_losses;
  }
  RankerModel model(RankerShape::from(c, items), 5);
  RankerTask task(model, items, mine, none);
  const auto got = Trainer(comm, c, task, dir / "dist", "sha").run().step_losses;
  ASSERT_EQ(got.size(), expected.size());
  for (size_t s = 0; s < got.size(); ++s)
    EXPECT_NEAR(got[s], expected[s], 1e-4 * expected[s]) << "step " << s + 1;
  comm.barrier();
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
}

TEST(TrainMetrics, DistributedMetricsEqualThoseOfAllSamplesInOnePlace) {
  dist::Comm& comm = kerec::test::comm();
  Rng rng(5, "scores");
  std::vector<float> s, y;
  std::vector<uint64_t> u;
  for (int i = 0; i < 2000; ++i) {
    const float label = rng.bernoulli(0.3) ? 1.0f : 0.0f;
    s.push_back(static_cast<float>(std::round((0.3 * label + rng.uniform() * 0.7) * 50) /
                                   50));  // many ties
    y.push_back(label);
    u.push_back(rng.uniform_int(40));
  }
  dist::LocalComm local;
  const auto expected = evaluate(local, s, y, u);
  std::vector<float> ms, my;
  std::vector<uint64_t> mu;
  for (size_t i = 0; i < s.size(); ++i)
    if (static_cast<int>(i % comm.size()) == comm.rank())
      ms.push_back(s[i]), my.push_back(y[i]), mu.push_back(u[i]);
  const auto got = evaluate(comm, ms, my, mu);
  EXPECT_EQ(got.samples, 2000);
  EXPECT_NEAR(got.auc, expected.auc, 1e-12);
  EXPECT_NEAR(got.gauc, expected.gauc, 1e-12);
  EXPECT_NEAR(got.logloss, expected.logloss, 1e-12);
  EXPECT_EQ(got.gauc_users, expected.gauc_users);
  EXPECT_GT(got.auc, 0.6);
}

// Scores all in one histogram bucket land on one rank; -0 and +0 tie; a rank may have no samples.
TEST(TrainMetrics, DistributedAucHandlesOneBucketSignedZerosAndEmptyRanks) {
  dist::Comm& comm = kerec::test::comm();
  std::vector<float> s, y;
  std::vector<uint64_t> u;
  if (comm.rank() == 0) {
    s = {0.0f, -0.0f, -1.0f, 0.25f, 0.25f, 0.25f};
    y = {1.0f, 0.0f, 0.0f, 1.0f, 0.0f, 1.0f};
    u = {1, 1, 2, 2, 3, 3};
  }
  const auto m = evaluate(comm, s, y, u);
  // Negatives -1, -0, 0.25; positives +0 (above -1, tied with -0), 0.25 (above two, tied with
  // one) twice: U = 1.5 + 2.5 + 2.5 = 6.5 of 9.
  EXPECT_DOUBLE_EQ(m.auc, 6.5 / 9.0);
  EXPECT_EQ(m.samples, 6);
  std::vector<float> flat(comm.rank() == 0 ? 100 : 50, 0.7f), labels(flat.size());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = i % 3 == 0 ? 1.0f : 0.0f;
  std::vector<uint64_t> users(flat.size(), 9);
  EXPECT_DOUBLE_EQ(evaluate(comm, flat, labels, users).auc, 0.5);
}

}  // namespace
}  // namespace kerec::train::test
