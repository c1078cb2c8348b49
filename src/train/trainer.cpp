// The trainer's loop: epochs, steps, agreement, exchange, update (trainer.h).
#include "kerec/train/trainer.h"

#include <chrono>
#include <cmath>
#include <numeric>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/nn/optim.h"
#include "kerec/train/checkpoint.h"
#include "kerec/train/exchange.h"
#include "kerec/train/signals.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/rng.h"

namespace kerec::train {

using Clock = std::chrono::steady_clock;

struct Trainer::Cursor {
  int64_t step = 0, epoch = 0, step_in_epoch = 0;
  double best_auc = -1.0;
  int64_t bad_epochs = 0;
  std::vector<double> losses;
};

struct Trainer::State {
  explicit State(const nn::OptimizerConfig& c, nn::ParamStore<float>& store)
      : optimizer(c, store) {}
  nn::Optimizer<float> optimizer;
  StopSignals* signals = nullptr;
  int64_t steps_per_epoch = 0, total_steps = 0;
  size_t bucket_elems = 0;
};

double learning_rate(const TrainConfig& c, int64_t step, int64_t total_steps) {
  if (step < c.warmup_steps)
    return c.lr * static_cast<double>(step + 1) / static_cast<double>(c.warmup_steps);
  const double span = std::max<double>(1.0, static_cast<double>(total_steps - c.warmup_steps));
  const double t = std::clamp(static_cast<double>(step - c.warmup_steps) / span, 0.0, 1.0);
  const double floor = c.lr * c.min_lr_ratio;
  if (c.decay == "linear") return c.lr - (c.lr - floor) * t;
  if (c.decay == "cosine") return floor + (c.lr - floor) * 0.5 * (1 + std::cos(M_PI * t));
  return c.lr;
}

namespace {

nn::OptimizerConfig optimizer_config(const TrainConfig& c) {
  return {.kind = c.optimizer, .momentum = c.momentum, .weight_decay = c.weight_decay};
}

// The local samples of each step of an epoch, as CSR: step k's are order[offsets[k], offsets[k+1]).
// A sample's step is a hash of (seed, epoch, its key), independent of the rank count.
struct EpochPlan {
  std::vector<size_t> offsets;
  std::vector<uint32_t> order;
};

EpochPlan plan_epoch(const TrainTask& task, uint64_t seed, int64_t epoch, int64_t steps) {
  const size_t n = task.train_samples();
  const uint64_t salt = mix64(seed ^ mix64(static_cast<uint64_t>(epoch) + 0x9e3779b97f4a7c15ULL));
  std::vector<uint32_t> step_of(n);
  EpochPlan plan;
  plan.offsets.assign(static_cast<size_t>(steps) + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    step_of[i] =
        static_cast<uint32_t>(mix64(task.sample_key(i) ^ salt) % static_cast<uint64_t>(steps));
    ++plan.offsets[step_of[i] + 1];
  }
  for (size_t k = 0; k < static_cast<size_t>(steps); ++k) plan.offsets[k + 1] += plan.offsets[k];
  plan.order.resize(n);
  std::vector<size_t> next(plan.offsets.begin(), plan.offsets.end() - 1);
  for (size_t i = 0; i < n; ++i) plan.order[next[step_of[i]]++] = static_cast<uint32_t>(i);
  return plan;
}

// Indexes of the per-step agreement vector.
enum Flag { kCount, kLoss, kError, kNonFinite, kStop, kFlags };

}  // namespace

Trainer::Trainer(dist::Comm& comm, const TrainConfig& config, TrainTask& task,
                 std::filesystem::path checkpoint_dir, std::string model_sha256)
    : comm_(comm),
      config_(config),
      task_(task),
      checkpoint_dir_(std::move(checkpoint_dir)),
      model_sha256_(std::move(model_sha256)),
      state_(std::make_shared<State>(optimizer_config(config), task.params())) {
  const auto global_n = dist::allreduce_value<int64_t>(
      comm, static_cast<int64_t>(task.train_samples()), dist::ReduceOp::kSum);
  if (global_n == 0) throw RemoteError("train: no training samples on any rank");
  state_->steps_per_epoch = (global_n + config.batch_size - 1) / config.batch_size;
  state_->total_steps = state_->steps_per_epoch * config.epochs;
  if (config.max_steps > 0) state_->total_steps = std::min(state_->total_steps, config.max_steps);
  state_->bucket_elems =
      std::max<size_t>(1, static_cast<size_t>(config.allreduce_bucket_mb * 1e6 / sizeof(float)));
}

void Trainer::resume(Cursor& cur, TrainResult& result) {
  Checkpoint c;
  bool found = false;
  dist::run_agreed(comm_, [&] {
    const auto path = latest_checkpoint(checkpoint_dir_);
    if (!path) return;
    c = read_checkpoint(*path, task_.model_name());
    if (c.model_sha256 != model_sha256_)
      throw InputError("checkpoint " + path->string() +
                       " was written for another model shape or data; delete " +
                       checkpoint_dir_.string() + " to start over");
    if (c.ranks != comm_.size())
      throw InputError(
          "checkpoint " + path->string() + " was written by " + std::to_string(c.ranks) +
          " ranks; resume with the same rank count, or delete " + checkpoint_dir_.string());
    auto& store = task_.params();
    if (c.dense.size() != store.flat_values().size() || c.tables.size() != store.num_tables())
      throw InputError("checkpoint " + path->string() +
                       ": parameter shapes differ from the model's");
    std::copy(c.dense.begin(), c.dense.end(), store.flat_values().begin());
    for (size_t t = 0; t < c.tables.size(); ++t) {
      auto& w = store.table(static_cast<int>(t)).weight;
      if (c.tables[t].size() != static_cast<size_t>(w.size()))
        throw InputError("checkpoint " + path->string() + ": table " + std::to_string(t) +
                         " has another shape");
      std::copy(c.tables[t].begin(), c.tables[t].end(), w.data());
    }
    auto& opt = state_->optimizer.state();
    opt.step = c.optimizer_step;
    opt.dense = std::move(c.optimizer_dense);
    opt.tables = std::move(c.optimizer_tables);
    result.last_checkpoint = *path;
    found = true;
  });
  // Every rank must resume at the same step, or their step loops (a collective each) would differ.
  const int64_t mine = found ? c.step : -1;
  const int64_t lo = dist::allreduce_value<int64_t>(comm_, mine, dist::ReduceOp::kMin);
  const int64_t hi = dist::allreduce_value<int64_t>(comm_, mine, dist::ReduceOp::kMax);
  if (lo != hi)
    throw RemoteError(
        "train: ranks found different checkpoints in " + checkpoint_dir_.string() + " (steps " +
        std::to_string(lo) + " to " + std::to_string(hi) +
        ", -1 = none); the run directory must be one file system shared by every rank");
  if (!found) return;
  cur = {c.step,       c.epoch, c.step_in_epoch, c.best_valid_auc, c.epochs_without_improvement,
         c.step_losses};
  result.resumed_from_step = c.step;
  log::info("train: resumed from {} at step {}", result.last_checkpoint.string(), c.step);
}

// Collective (the write is rank 0's; a failure is agreed).
void Trainer::save(const Cursor& cur, TrainResult& result) {
  dist::run_agreed(comm_, [&] {
    if (comm_.rank() != 0) return;
    auto& store = task_.params();
    Checkpoint c;
    c.model = task_.model_name();
    c.model_sha256 = model_sha256_;
    c.ranks = comm_.size();
    c.seed = static_cast<uint64_t>(config_.seed);
    c.step = cur.step, c.epoch = cur.epoch, c.step_in_epoch = cur.step_in_epoch;
    c.best_valid_auc = cur.best_auc, c.epochs_without_improvement = cur.bad_epochs;
    c.step_losses = cur.losses;
    // Views, not copies: the arrays are written from the live model (checkpoint.h).
    CheckpointArrays arrays;
    arrays.dense = store.flat_values();
    for (size_t t = 0; t < store.num_tables(); ++t) {
      const auto& w = store.table(static_cast<int>(t)).weight;
      arrays.tables.emplace_back(w.data(), static_cast<size_t>(w.size()));
    }
    const auto& opt = state_->optimizer.state();
    c.optimizer_step = opt.step;
    for (const auto& v : opt.dense) arrays.optimizer_dense.emplace_back(v);
    for (const auto& v : opt.tables) arrays.optimizer_tables.emplace_back(v);
    result.last_checkpoint = save_checkpoint(checkpoint_dir_, c, arrays);
  });
  std::string last = result.last_checkpoint.string();
  dist::broadcast_string(comm_, last, 0);
  result.last_checkpoint = last;
}

// Collective: one step. Stops (signal, non-finite loss, an error on any rank) throw on every rank.
bool Trainer::step(Cursor& cur, std::span<const uint32_t> batch, TrainResult& result) {
  auto& store = task_.params();
  store.zero_grad();
  double flags[kFlags] = {static_cast<double>(batch.size()), 0, 0, 0, 0};
  std::string error;
  try {
    flags[kLoss] = task_.forward_backward(batch, static_cast<uint64_t>(cur.step));
  } catch (const std::exception& e) {
    error = e.what();
    flags[kError] = 1;
  }
  const bool my_nonfinite = !std::isfinite(flags[kLoss]);
  flags[kNonFinite] = my_nonfinite ? 1 : 0;
  if (my_nonfinite) flags[kLoss] = 0;
  flags[kStop] = state_->signals && state_->signals->requested() ? 1 : 0;
  dist::allreduce(comm_, std::span<double>(flags), dist::ReduceOp::kSum);
  if (flags[kError] > 0) dist::agree(comm_, error);
  if (flags[kNonFinite] > 0) {
    const auto bad = dist::allgather_strings(comm_, my_nonfinite ? "x" : "");
    std::string ranks;
    for (size_t r = 0; r < bad.size(); ++r)
      if (!bad[r].empty()) ranks += (ranks.empty() ? "" : ",") + std::to_string(r);
    throw RemoteError(
        "train: non-finite loss at step " + std::to_string(cur.step + 1) + " on rank(s) " + ranks +
        "; last good checkpoint: " +
        (result.last_checkpoint.empty() ? std::string("none") : result.last_checkpoint.string()));
  }
  if (flags[kStop] > 0) {
    save(cur, result);
    throw Preempted("train: stop signal received: checkpointed at step " +
                    std::to_string(cur.step) + " in " + result.last_checkpoint.string() +
                    "; exit code " + std::to_string(kExitRequeue) + " (requeue me)");
  }
  const auto t0 = Clock::now();
  exchange_gradients(comm_, store, state_->bucket_elems);
  result.exchange_s += std::chrono::duration<double>(Clock::now() - t0).count();
  if (flags[kCount] == 0) {  // no rank drew a sample for this step (tiny batches): nothing to learn
    ++cur.step, ++cur.step_in_epoch;
    return true;
  }
  scale_gradients(store, 1.0 / flags[kCount]);
  if (config_.clip_norm > 0) {
    const double norm = gradient_norm(store);
    if (norm > config_.clip_norm) scale_gradients(store, config_.clip_norm / norm);
  }
  state_->optimizer.step(learning_rate(config_, cur.step, state_->total_steps));
  ++cur.step, ++cur.step_in_epoch;
  cur.losses.push_back(flags[kLoss] / flags[kCount]);
  result.local_samples_seen += static_cast<int64_t>(batch.size());
  if (config_.checksum_every_steps > 0 && cur.step % config_.checksum_every_steps == 0)
    check_identical_weights(comm_, store, cur.step);
  if (on_event)
    on_event(
        {{"event", "step"}, {"step", cur.step}, {"epoch", cur.epoch}, {"loss", cur.losses.back()}});
  if (config_.checkpoint_every_steps > 0 && cur.step % config_.checkpoint_every_steps == 0)
    save(cur, result);
  return true;
}

// Validation and early stopping; true when training should stop.
bool Trainer::end_of_epoch(Cursor& cur) {
  ++cur.epoch;
  cur.step_in_epoch = 0;
  const auto auc = task_.validation_auc(comm_);
  if (!auc) return false;
  if (on_event)
    on_event({{"event", "validation"}, {"step", cur.step}, {"epoch", cur.epoch}, {"auc", *auc}});
  if (*auc > cur.best_auc) {
    cur.best_auc = *auc;
    cur.bad_epochs = 0;
    return false;
  }
  return ++cur.bad_epochs >= config_.early_stop_patience;
}

TrainResult Trainer::run() {
  TrainResult result;
  Cursor cur;
  resume(cur, result);
  StopSignals signals;
  state_->signals = &signals;
  const auto start = Clock::now();
  bool stop = cur.step >= state_->total_steps;
  while (!stop && cur.epoch < config_.epochs) {
    const auto plan =
        plan_epoch(task_, static_cast<uint64_t>(config_.seed), cur.epoch, state_->steps_per_epoch);
    for (; cur.step_in_epoch < state_->steps_per_epoch && cur.step < state_->total_steps;) {
      const size_t begin = plan.offsets[cur.step_in_epoch],
                   end = plan.offsets[cur.step_in_epoch + 1];
      step(cur, std::span<const uint32_t>(plan.order).subspan(begin, end - begin), result);
    }
    if (cur.step >= state_->total_steps && cur.step_in_epoch < state_->steps_per_epoch) break;
    stop = end_of_epoch(cur);
    result.early_stopped = stop;
  }
  state_->signals = nullptr;
  result.train_s = std::chrono::duration<double>(Clock::now() - start).count();
  save(cur, result);
  result.steps = cur.step;
  result.step_losses = cur.losses;
  return result;
}

}  // namespace kerec::train
