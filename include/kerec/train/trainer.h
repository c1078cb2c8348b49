// The data-parallel trainer (docs/design.md §2.2 step 6, §4).
//
// Every rank holds the same model and its own share of the samples (split by user). In each epoch
// every sample is assigned to one of the epoch's steps by a hash of (seed, epoch, the sample's
// key), so the global batch of a step (about train.batch_size samples) is the same set of samples
// at any rank count, and training at 1, 2 or 4 ranks follows the same trajectory up to
// floating-point summation order, dropout included (masks are keyed by (sample, step, layer), not
// by rank). One step: each rank takes its samples of the step, computes the gradient of the *sum*
// of its losses, the ranks sum the gradients (exchange.h: fused dense buckets, sparse (row,
// gradient) lists) and divide by the global sample count, so the update is that of the global
// batch's mean loss at any rank count. Then gradient clipping, the learning-rate schedule (linear
// warm-up, then linear or cosine decay) and the optimizer step. All ranks end every step with
// identical weights (checked every train.checksum_every_steps steps when set).
//
// One small allreduce per step carries the sample count, the loss, and three flags every rank must
// agree on: a local error, a non-finite loss, a stop signal (SIGTERM/SIGUSR1, signals.h). A stop
// writes a checkpoint and throws Preempted on every rank; a non-finite loss throws naming the step,
// the ranks and the last good checkpoint.
//
// Checkpoints (checkpoint.h) every train.checkpoint_every_steps steps and at the end; run() resumes
// from the newest one in the checkpoint directory, and gives the same per-step losses as a run that
// was never interrupted (with the same rank count).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/nn/params.h"
#include "kerec/train/config.h"

namespace kerec::train {

// What the trainer trains: a model over this rank's training samples.
class TrainTask {
 public:
  virtual ~TrainTask() = default;
  virtual std::string model_name() const = 0;
  virtual nn::ParamStore<float>& params() = 0;
  // Local training samples.
  virtual size_t train_samples() const = 0;
  // A key of training sample i that does not depend on the rank count or on which rank holds it
  // (e.g. a hash of user, time and item). It decides the sample's step in each epoch.
  virtual uint64_t sample_key(size_t i) const = 0;
  // Local: forward and backward over the training samples `batch` (indices), accumulating the
  // gradients of the sum of their losses into params(); returns that sum. `step` is the global
  // step: random draws (dropout) are keyed by it and by sample_key, never by the rank.
  virtual double forward_backward(std::span<const uint32_t> batch, uint64_t step) = 0;
  // Collective: the validation AUC over all ranks, or nullopt when there is no validation set.
  virtual std::optional<double> validation_auc(dist::Comm& comm) = 0;
};

struct TrainResult {
  int64_t steps = 0;
  int64_t resumed_from_step = -1;  // -1: started fresh
  bool early_stopped = false;
  std::vector<double> step_losses;     // every step's global mean loss, from step 1
  double train_s = 0, exchange_s = 0;  // wall time of the steps, and the part in exchange_gradients
  int64_t local_samples_seen = 0;
  std::filesystem::path last_checkpoint;
};

// The learning rate at `step` (0-based) of `total_steps`.
double learning_rate(const TrainConfig& config, int64_t step, int64_t total_steps);

class Trainer {
 public:
  // `checkpoint_dir` is the same path on every rank. `model_sha256` identifies the model's shape
  // and data (a checkpoint with another value is not resumed from: InputError).
  Trainer(dist::Comm& comm, const TrainConfig& config, TrainTask& task,
          std::filesystem::path checkpoint_dir, std::string model_sha256);

  // Collective. Trains from the newest checkpoint (or from the start) to the end.
  TrainResult run();

  // Called on every rank after each step and evaluation with a metrics.jsonl event.
  std::function<void(const nlohmann::json&)> on_event;

 private:
  struct Cursor;
  void resume(Cursor& cur, TrainResult& result);
  void save(const Cursor& cur, TrainResult& result);
  bool step(Cursor& cur, std::span<const uint32_t> batch, TrainResult& result);
  bool end_of_epoch(Cursor& cur);

  dist::Comm& comm_;
  const TrainConfig& config_;
  TrainTask& task_;
  std::filesystem::path checkpoint_dir_;
  std::string model_sha256_;
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kerec::train
