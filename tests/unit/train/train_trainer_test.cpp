// The trainer on one process: the schedule, learning, exact resume after SIGTERM, non-finite loss.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <limits>

#include "kerec/dist/local_comm.h"
#include "kerec/train/checkpoint.h"
#include "kerec/train/exchange.h"
#include "kerec/train/signals.h"
#include "synthetic.h"

namespace kerec::train::test {
namespace {

namespace fs = std::filesystem;

TrainConfig small_config() {
  TrainConfig c;
  c.epochs = 3;
  c.batch_size = 64;
  c.lr = 0.01;
  c.warmup_steps = 5;
  c.checkpoint_every_steps = 7;
  c.checksum_every_steps = 5;
  c.dropout = 0.1;
  c.hidden = {16, 8};
  return c;
}

// The ranker task, with an optional signal raised before a given step or a poisoned loss.
class Task final : public TrainTask {
 public:
  Task(RankerModel& m, const ItemFeatures& items, const RankerSamples& s)
      : inner_(m, items, s, empty_) {}
  std::string model_name() const override { return "ranker"; }
  nn::ParamStore<float>& params() override { return inner_.params(); }
  size_t train_samples() const override { return inner_.train_samples(); }
  uint64_t sample_key(size_t i) const override { return inner_.sample_key(i); }
  double forward_backward(std::span<const uint32_t> batch, uint64_t stream) override {
    if (++calls == raise_at) std::raise(SIGTERM);
    if (calls == nan_at) return std::numeric_limits<double>::quiet_NaN();
    return inner_.forward_backward(batch, stream);
  }
  std::optional<double> validation_auc(dist::Comm&) override { return std::nullopt; }
  int calls = 0, raise_at = -1, nan_at = -1;

 private:
  RankerSamples empty_;
  RankerTask inner_;
};

fs::path temp_dir(const std::string& name) {
  const auto dir =
      fs::temp_directory_path() / ("kerec-trainer-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

struct Fixture {
  ItemFeatures items = synthetic_items();
  RankerSamples samples = synthetic_samples(700, 40, items, 9);
  TrainConfig config = small_config();
  RankerShape shape() { return RankerShape::from(config, items); }
};

TEST(Trainer, LearningRateWarmsUpThenDecays) {
  TrainConfig c;
  c.lr = 1.0, c.warmup_steps = 10, c.min_lr_ratio = 0.1, c.decay = "cosine";
  EXPECT_DOUBLE_EQ(learning_rate(c, 0, 110), 0.1);
  EXPECT_DOUBLE_EQ(learning_rate(c, 9, 110), 1.0);
  EXPECT_NEAR(learning_rate(c, 60, 110), 0.55, 1e-12);
  EXPECT_NEAR(learning_rate(c, 110, 110), 0.1, 1e-12);
  c.decay = "linear";
  EXPECT_NEAR(learning_rate(c, 60, 110), 0.55, 1e-12);
  c.decay = "none";
  EXPECT_DOUBLE_EQ(learning_rate(c, 60, 110), 1.0);
}

TEST(Trainer, GradientNormAndScalingCoverDenseAndSparseGradients) {
  nn::ParamStore<float> store;
  const int d = store.add_dense("d", 1, 2, nn::Init::kZeros);
  const int t = store.add_table("t", 4, 2, 1.0);
  store.finalize(1);
  store.grad(d) << 3.0f, 0.0f;
  const float g[2] = {0.0f, 4.0f};
  store.table(t).grad.add(2, g, 1.0f, 2);
  EXPECT_DOUBLE_EQ(gradient_norm(store), 5.0);
  scale_gradients(store, 0.5);
  EXPECT_DOUBLE_EQ(gradient_norm(store), 2.5);
  EXPECT_EQ(store.table(t).grad.values[1], 2.0f);
}

TEST(Trainer, LossDecreasesAndStepsCoverEveryEpoch) {
  Fixture f;
  dist::LocalComm comm;
  RankerModel model(f.shape(), 3);
  Task task(model, f.items, f.samples);
  const auto dir = temp_dir("learn");
  Trainer trainer(comm, f.config, task, dir, "sha");
  const auto r = trainer.run();
  EXPECT_EQ(r.steps, 3 * ((700 + 63) / 64));
  EXPECT_EQ(r.local_samples_seen, 3 * 700);
  ASSERT_EQ(r.step_losses.size(), static_cast<size_t>(r.steps));
  // One 64-sample batch is noisy: compare the means of the first and the last epoch's steps.
  const size_t per_epoch = r.step_losses.size() / 3;
  const auto mean = [&](size_t from) {
    double sum = 0;
    for (size_t s = from; s < from + per_epoch; ++s) sum += r.step_losses[s];
    return sum / static_cast<double>(per_epoch);
  };
  EXPECT_LT(mean(2 * per_epoch), mean(0) * 0.97)
      << "first epoch " << mean(0) << ", last " << mean(2 * per_epoch);
  fs::remove_all(dir);
}

TEST(Trainer, SigtermCheckpointsAndResumeGivesTheSameLosses) {
  Fixture f;
  dist::LocalComm comm;
  const auto dir_a = temp_dir("a"), dir_b = temp_dir("b");
  std::vector<double> uninterrupted;
  {
    RankerModel model(f.shape(), 3);
    Task task(model, f.items, f.samples);
    uninterrupted = Trainer(comm, f.config, task, dir_a, "sha").run().step_losses;
  }
  {
    RankerModel model(f.shape(), 3);
    Task task(model, f.items, f.samples);
    task.raise_at = 17;  // mid-epoch, between periodic checkpoints
    Trainer trainer(comm, f.config, task, dir_b, "sha");
    try {
      trainer.run();
      FAIL() << "no Preempted";
    } catch (const Preempted& e) {
      EXPECT_NE(std::string(e.what()).find("checkpointed at step 16"), std::string::npos)
          << e.what();
    }
  }
  RankerModel model(f.shape(), 3);
  for (float& w : model.params().flat_values())
    w = 0.0f;  // the checkpoint must replace every weight
  for (size_t t = 0; t < model.params().num_tables(); ++t)
    model.params().table(static_cast<int>(t)).weight.setZero();
  Task task(model, f.items, f.samples);
  const auto resumed = Trainer(comm, f.config, task, dir_b, "sha").run();
  EXPECT_EQ(resumed.resumed_from_step, 16);
  EXPECT_EQ(resumed.step_losses, uninterrupted) << "bit-identical per-step losses";
  RankerModel other(f.shape(), 3);
  Task other_task(other, f.items, f.samples);
  EXPECT_THROW(Trainer(comm, f.config, other_task, dir_b, "another-shape").run(), RemoteError);
  fs::remove_all(dir_a);
  fs::remove_all(dir_b);
}

TEST(Trainer, NonFiniteLossNamesStepRankAndCheckpoint) {
  Fixture f;
  dist::LocalComm comm;
  RankerModel model(f.shape(), 3);
  Task task(model, f.items, f.samples);
  task.nan_at = 9;
  const auto dir = temp_dir("nan");
  try {
    Trainer(comm, f.config, task, dir, "sha").run();
    FAIL();
  } catch (const RemoteError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("non-finite loss at step 9 on rank(s) 0"), std::string::npos) << m;
    EXPECT_NE(m.find("step-000000007.ckpt"), std::string::npos) << m;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kerec::train::test
