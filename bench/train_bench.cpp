// Ranker training throughput at the demo config (bench/README.md, section "Training"):
// samples/s per rank and the share of the step spent in gradient exchange, on synthetic samples
// with the demo world's shapes (50,000 items, 2,000 entities, 100,000 user buckets). Run under
// `mpirun -np N`; bench/train_bench.py runs the same model in PyTorch for the ratio.
//
//   train_bench [--steps N] [--batch GLOBAL_BATCH] [--items N] [--entities N]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "kerec/dist/mpi_comm.h"
#include "kerec/train/ranker.h"
#include "kerec/train/trainer.h"
#include "kerec/util/rng.h"

namespace {

using namespace kerec;

struct Options {
  int64_t steps = 200, batch = 2048, items = 50000, entities = 2000;
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
    else if (a == "--items")
      o.items = v;
    else if (a == "--entities")
      o.entities = v;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  return o;
}

// Items with one or two entities each; samples with 0-5 bill entities, as in the demo world.
train::ItemFeatures make_items(const Options& o) {
  train::ItemFeatures f;
  Rng rng(1, "bench_items");
  for (int64_t i = 0; i < o.items; ++i) {
    f.ids.push_back(std::to_string(i));
    f.price_bucket.push_back(static_cast<int32_t>(rng.uniform_int(24)));
    f.cold_start.push_back(0);
    const int64_t e = static_cast<int64_t>(rng.uniform_int(o.entities));
    f.entities.push({e});
  }
  f.num_entities = o.entities;
  return f;
}

train::RankerSamples make_samples(const Options& o, int64_t n, int rank) {
  train::RankerSamples s;
  Rng rng(2, "bench_samples", rank);
  for (int64_t i = 0; i < n; ++i) {
    s.user.push_back(rng.next_u64());
    s.ts.push_back(i);
    s.item.push_back(static_cast<int32_t>(rng.uniform_int(o.items)));
    s.scene.push_back(static_cast<int32_t>(rng.uniform_int(3)));
    s.label.push_back(rng.bernoulli(0.1) ? 1.0f : 0.0f);
    std::vector<int64_t> bills;
    for (uint64_t k = rng.uniform_int(6); k > 0; --k)
      bills.push_back(static_cast<int64_t>(rng.uniform_int(o.entities)));
    s.bills.push(bills.begin(), bills.end());
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  dist::MpiRuntime mpi(argc, argv);
  dist::MpiComm comm;
  const Options o = parse(argc, argv);
  train::TrainConfig c;  // the demo config's [train] defaults: dim 16, hidden 64-32, Adam
  c.batch_size = o.batch;
  c.epochs = 1;
  c.checkpoint_every_steps = 0;
  const auto items = make_items(o);
  const auto samples = make_samples(o, o.steps * o.batch / comm.size(), comm.rank());
  const train::RankerSamples none;
  train::RankerModel model(train::RankerShape::from(c, items), 7);
  train::RankerTask task(model, items, samples, none);
  const auto dir =
      std::filesystem::temp_directory_path() / ("kerec-train-bench-" + std::to_string(::getppid()));
  if (comm.rank() == 0) std::filesystem::remove_all(dir);
  comm.barrier();
  const auto r = train::Trainer(comm, c, task, dir, "bench").run();
  if (comm.rank() == 0) {
    std::printf(
        "{\"bench\":\"train\",\"ranks\":%d,\"steps\":%lld,\"global_batch\":%lld,\"samples_per_s_"
        "per_rank\":%.0f,"
        "\"exchange_share\":%.4f,\"train_s\":%.3f,\"final_loss\":%.4f}\n",
        comm.size(), static_cast<long long>(r.steps), static_cast<long long>(o.batch),
        r.local_samples_seen / r.train_s, r.exchange_s / r.train_s, r.train_s,
        r.step_losses.back());
    std::filesystem::remove_all(dir);
  }
  return 0;
}
