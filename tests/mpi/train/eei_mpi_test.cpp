// The E-E-I model trained data-parallel: per-step losses (click loss plus the replicated
// contrastive term) follow the single-process trajectory at any rank count, and the distributed
// evaluation equals the single-process one.
#include <gtest/gtest.h>

#include <filesystem>

#include "../../support/mpi_test.h"
#include "../../unit/train/synthetic.h"
#include "kerec/dist/local_comm.h"
#include "kerec/train/eei.h"

namespace kerec::train::test {
namespace {

EntityGraph ring_graph(int64_t n, int step, float weight) {
  std::vector<int32_t> a, b;
  std::vector<float> w;
  for (int32_t e = 0; e < n; ++e) {
    a.push_back(e), b.push_back(static_cast<int32_t>((e + step) % n)),
        w.push_back(weight + 0.01f * e);
    a.push_back(e), b.push_back(static_cast<int32_t>((e + 2 * step + 1) % n)), w.push_back(weight);
  }
  return EntityGraph::from_edges(n, a, b, w);
}

EeiSamples samples_of_rank(const EeiSamples& all, int rank, int ranks) {
  EeiSamples s;
  for (size_t i = 0; i < all.size(); ++i) {
    if (owner_of(all.user[i], ranks) != rank) continue;
    s.a.push_back(all.a[i]), s.b.push_back(all.b[i]), s.item.push_back(all.item[i]),
        s.scene.push_back(all.scene[i]);
    s.edge.push_back(all.edge[i]);
    s.age_h.push_back(all.age_h[i]), s.confidence.push_back(all.confidence[i]),
        s.label.push_back(all.label[i]);
    s.key.push_back(all.key[i]), s.user.push_back(all.user[i]);
  }
  return s;
}

TEST(EeiTraining, LossesMatchTheSingleProcessRun) {
  dist::Comm& comm = kerec::test::comm();
  const auto items = synthetic_items(60, 25);
  const auto ranker = synthetic_samples(5000, 60, items, 4);
  const auto comp = ring_graph(25, 3, 0.5f);
  const auto views = encoder_views(ring_graph(25, 1, 1.0f), comp);
  const auto all = eei_samples(ranker, items, comp, 168, /*control_share=*/0.3, /*seed=*/2);
  ASSERT_GT(all.size(), 200u);
  const auto mine = samples_of_rank(all, comm.rank(), comm.size());
  TrainConfig c;
  c.epochs = 2, c.batch_size = 64, c.lr = 0.01, c.warmup_steps = 3, c.checkpoint_every_steps = 0;
  c.checksum_every_steps = 1, c.scene_hash_buckets = 3, c.price_buckets = 8;
  EeiConfig e;
  e.embedding_dim = 6, e.hidden = {8}, e.contrastive_batch = 12, e.contrastive_weight = 0.2;
  EeiShape shape = EeiShape::from(e, c, items);
  shape.edges = static_cast<int64_t>(comp.edges());
  const EeiSamples none;
  const auto dir =
      std::filesystem::temp_directory_path() / ("kerec-mpi-eei-" + std::to_string(comm.size()));
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
  comm.barrier();
  std::vector<double> expected;
  double expected_auc = 0;
  {
    dist::LocalComm local;
    EeiModel<float> model(shape, 5);
    EeiTask task(model, e, 11, 1, items, all, none, views);
    expected = Trainer(local, c, task, dir / ("local-" + std::to_string(comm.rank())), "sha")
                   .run()
                   .step_losses;
    expected_auc = evaluate_eei(local, model, items, all).auc;
  }
  EeiModel<float> model(shape, 5);
  EeiTask task(model, e, 11, comm.size(), items, mine, none, views);
  const auto got = Trainer(comm, c, task, dir / "dist", "sha").run().step_losses;
  ASSERT_EQ(got.size(), expected.size());
  for (size_t s = 0; s < got.size(); ++s)
    EXPECT_NEAR(got[s], expected[s], 1e-4 * expected[s]) << "step " << s + 1;
  EXPECT_NEAR(evaluate_eei(comm, model, items, mine).auc, expected_auc, 1e-4);
  comm.barrier();
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kerec::train::test
