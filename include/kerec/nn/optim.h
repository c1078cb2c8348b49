// Optimizers over a ParamStore: SGD with momentum, Adam / AdamW, Adagrad.
//
// Dense parameters are updated over the flat buffers. Embedding tables are updated lazily: only the
// rows in the table's sparse gradient, with per-row state (momentum, moments, accumulators) that
// untouched rows leave unchanged. For SGD without momentum and for Adagrad a lazy step equals the
// dense step with zero gradients on untouched rows; for momentum and Adam it deliberately differs
// (untouched rows do not keep moving), as in TensorFlow's LazyAdam and PyTorch's SparseAdam.
// Adam's bias correction uses the global step count.
//
// State is exposed through state() so a checkpoint can save and restore it exactly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kerec/nn/params.h"

namespace kerec::nn {

struct OptimizerConfig {
  std::string kind = "adam";                      // "sgd", "adam", "adamw", "adagrad"
  double momentum = 0.0;                          // sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // adam, adamw (eps also adagrad)
  double weight_decay = 0.0;  // adamw: decoupled; others: L2 added to the gradient (dense only)
  double adagrad_init = 0.1;  // adagrad: initial accumulator
};

// Named flat state vectors (e.g. "m", "v"): one per dense buffer slot and per table element.
template <class T>
struct OptimizerState {
  int64_t step = 0;
  std::vector<std::vector<T>> dense;   // each the size of the flat dense buffer
  std::vector<std::vector<T>> tables;  // per (slot, table): rows * dim, slot-major
};

template <class T>
class Optimizer {
 public:
  Optimizer(const OptimizerConfig& config, ParamStore<T>& store);

  // Applies one update with learning rate `lr` from the current (already exchanged) gradients.
  void step(double lr);

  OptimizerState<T>& state() { return state_; }
  const OptimizerState<T>& state() const { return state_; }

 private:
  void dense_step(double lr);
  void table_step(int table, double lr);
  // Updates `n` elements of value `w` with gradient `g` and state slots `s0`, `s1` (may be null
  // when the optimizer has fewer slots). `decay`: apply weight decay (dense parameters only).
  void update(T* w, const T* g, size_t n, T* s0, T* s1, double lr, bool decay) const;

  OptimizerConfig config_;
  ParamStore<T>& store_;
  OptimizerState<T> state_;
  int slots_ = 0;
};

}  // namespace kerec::nn
