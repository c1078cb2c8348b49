// The parameter registry: dense parameters laid out in one flat value buffer and one flat gradient
// buffer (so the trainer sums all dense gradients with a few fused allreduces), and embedding
// tables whose gradients are sparse: only the rows a batch touched, as (row, gradient row) lists.
//
// Usage: layers register their parameters in their constructors (add_dense / add_table), then the
// owner calls finalize() once, which allocates the flat buffers and initialises the values from
// `seed` (the same on every rank, so all ranks start with identical weights).
//
// Scalar T is float for training and double for the gradient checks.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/nn/tensor.h"

namespace kerec::nn {

// How a parameter is initialised by finalize().
enum class Init : uint8_t { kZeros, kOnes, kGlorot, kNormal01 };

// The gradient of one table: unique touched rows in first-touch order, one gradient row each.
template <class T>
struct SparseGrad {
  std::vector<int64_t> rows;
  std::vector<T> values;  // rows.size() * dim, row-major
  // row -> index in rows; may be left empty by code that writes rows and values directly (each
  // row once), in which case add() rebuilds it first.
  std::unordered_map<int64_t, int32_t> slot;

  // values[slot(row)] += scale * g[0, dim)
  void add(int64_t row, const T* g, T scale, int64_t dim);
  void clear();
};

template <class T>
struct Table {
  std::string name;
  int64_t rows = 0, dim = 0;
  Mat<T> weight;  // rows x dim
  SparseGrad<T> grad;
};

template <class T>
class ParamStore {
 public:
  // Registers a rows x cols dense parameter; returns its id. Only before finalize().
  int add_dense(std::string name, int64_t rows, int64_t cols, Init init);
  // Registers a rows x dim embedding table initialised N(0, init_sd^2); returns its id.
  int add_table(std::string name, int64_t rows, int64_t dim, double init_sd);
  // Allocates the buffers and draws the initial values from Rng(seed, name). Idempotent-unsafe:
  // call once.
  void finalize(uint64_t seed);

  MatMap<T> value(int id);
  ConstMatMap<T> value(int id) const;
  MatMap<T> grad(int id);
  Table<T>& table(int id) { return tables_.at(id); }
  const Table<T>& table(int id) const { return tables_.at(id); }
  size_t num_tables() const { return tables_.size(); }
  size_t num_dense() const { return dense_.size(); }
  const std::string& dense_name(int id) const { return dense_.at(id).name; }

  // The flat buffers of every dense parameter, back to back in registration order.
  std::span<T> flat_values() { return values_; }
  std::span<T> flat_grads() { return grads_; }
  std::span<const T> flat_values() const { return values_; }
  std::span<const T> flat_grads() const { return grads_; }

  // Zeroes the dense gradients and empties the sparse ones.
  void zero_grad();

 private:
  struct Dense {
    std::string name;
    int64_t rows, cols;
    size_t offset;
    Init init;
  };
  std::vector<Dense> dense_;
  std::vector<Table<T>> tables_;
  std::vector<double> table_init_sd_;
  std::vector<T> values_, grads_;
  size_t total_ = 0;
  bool finalized_ = false;
};

}  // namespace kerec::nn
