// Encoder + E-E-I training throughput (bench/README.md, section "E-E-I model"): samples/s per rank
// and the share of the step spent in gradient exchange, on synthetic samples with the demo world's
// shapes (2,000 entities, 50,000 items, 100,000 user buckets, about 12,000 complementary and 4,000
// substitutable edges, 40% of the samples triggered). Run under `mpirun -np N`;
// bench/eei_bench.py runs the same model in PyTorch for the ratio.
//
//   eei_bench [--steps N] [--batch GLOBAL_BATCH]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "kerec/dist/mpi_comm.h"
#include "kerec/train/eei.h"
#include "kerec/util/rng.h"

namespace {

using namespace kerec;

constexpr int64_t kItems = 50000, kEntities = 2000, kCompEdges = 12000, kSubEdges = 4000;

struct Options {
  int64_t steps = 200, batch = 1024;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int64_t v = std::atoll(argv[i + 1]);
    if (a == "--steps")
      o.steps = v;
    else if (a == "--batch")
      o.batch = v;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  return o;
}

train::EntityGraph random_graph(int64_t edges, const char* purpose) {
  Rng rng(3, purpose);
  std::vector<int32_t> a, b;
  std::vector<float> w;
  for (int64_t k = 0; k < edges; ++k) {
    a.push_back(static_cast<int32_t>(rng.uniform_int(kEntities)));
    b.push_back(static_cast<int32_t>(rng.uniform_int(kEntities)));
    w.push_back(static_cast<float>(0.5 + 0.5 * rng.uniform()));
  }
  return train::EntityGraph::from_edges(kEntities, a, b, w);
}

train::ItemFeatures make_items() {
  train::ItemFeatures f;
  Rng rng(1, "bench_items");
  for (int64_t i = 0; i < kItems; ++i) {
    f.ids.push_back(std::to_string(i));
    f.price_bucket.push_back(static_cast<int32_t>(rng.uniform_int(24)));
    f.cold_start.push_back(0);
    f.entities.push({static_cast<int64_t>(rng.uniform_int(kEntities))});
  }
  f.num_entities = kEntities;
  return f;
}

// Triggered samples (40%) on random graph edges, the rest controls.
train::EeiSamples make_samples(const train::EntityGraph& comp, int64_t n, int rank) {
  train::EeiSamples s;
  Rng rng(2, "bench_eei_samples", rank);
  for (int64_t i = 0; i < n; ++i) {
    const bool triggered = rng.bernoulli(0.4);
    const auto e = static_cast<int64_t>(rng.uniform_int(comp.edges()));
    const auto a = static_cast<int32_t>(
        std::upper_bound(comp.offsets.begin(), comp.offsets.end(), e) - comp.offsets.begin() - 1);
    s.a.push_back(triggered ? a : -1);
    s.b.push_back(comp.targets[e]);
    s.edge.push_back(triggered ? e : -1);
    s.item.push_back(static_cast<int32_t>(rng.uniform_int(kItems)));
    s.scene.push_back(static_cast<int32_t>(rng.uniform_int(3)));
    s.age_h.push_back(static_cast<float>(rng.uniform() * 168));
    s.confidence.push_back(triggered ? comp.weights[e] : 0.0f);
    s.label.push_back(rng.bernoulli(0.12) ? 1.0f : 0.0f);
    s.key.push_back(rng.next_u64());
    s.user.push_back(rng.next_u64());
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  dist::MpiRuntime mpi(argc, argv);
  dist::MpiComm comm;
  const Options o = parse(argc, argv);
  train::TrainConfig c;  // the demo's [train]: Adam, schedule; [eei] defaults for the model
  train::EeiConfig e;
  c.batch_size = o.batch, c.lr = e.lr, c.epochs = 1, c.checkpoint_every_steps = 0;
  const auto items = make_items();
  const auto comp = random_graph(kCompEdges, "comp"), subs = random_graph(kSubEdges, "subs");
  const auto views = train::encoder_views(subs, comp);
  const auto samples = make_samples(comp, o.steps * o.batch / comm.size(), comm.rank());
  const train::EeiSamples none;
  auto shape = train::EeiShape::from(e, c, items);
  shape.edges = static_cast<int64_t>(comp.edges());
  train::EeiModel<float> model(shape, 7);
  train::EeiTask task(model, e, 7, comm.size(), items, samples, none, views);
  const auto dir =
      std::filesystem::temp_directory_path() / ("kerec-eei-bench-" + std::to_string(::getppid()));
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
  comm.barrier();
  const auto r = train::Trainer(comm, c, task, dir, "bench").run();
  if (comm.rank() == 0) {
    std::printf(
        "{\"bench\":\"eei\",\"ranks\":%d,\"steps\":%lld,\"global_batch\":%lld,\"anchors\":%zu,"
        "\"samples_per_s_per_rank\":%.0f,\"exchange_share\":%.4f,\"train_s\":%.3f,\"final_loss\":%."
        "4f}\n",
        comm.size(), static_cast<long long>(r.steps), static_cast<long long>(o.batch),
        views.anchors.size(), r.local_samples_seen / r.train_s, r.exchange_s / r.train_s, r.train_s,
        r.step_losses.back());
    std::filesystem::remove_all(dir);
  }
  return 0;
}
