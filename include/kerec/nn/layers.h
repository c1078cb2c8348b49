// Layers with forward and hand-written backward passes over row-major batches (n rows = samples).
//
// Contract: forward() caches what backward() needs, so each layer object serves one forward and
// one backward at a time. backward(dY) *accumulates* parameter gradients into the ParamStore
// (dense: the flat gradient buffer; tables: the sparse (row, gradient) lists) and returns dX.
// Shapes are given as rows x cols; n is the batch size.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kerec/nn/params.h"
#include "kerec/nn/tensor.h"

namespace kerec::nn {

// Y = X W + b, X: n x in, W: in x out, b: 1 x out.
template <class T>
class Linear {
 public:
  Linear(ParamStore<T>& store, const std::string& name, int64_t in, int64_t out);
  Mat<T> forward(const Mat<T>& x);
  // forward() without keeping the input for backward(): thread-safe inference.
  Mat<T> infer(const Mat<T>& x) const;
  Mat<T> backward(const Mat<T>& dy);

 private:
  ParamStore<T>& store_;
  int w_, b_;
  Mat<T> x_;
};

enum class Activation : uint8_t { kRelu, kGelu, kSigmoid };

// Element-wise. GELU is the exact x * Phi(x) (erf form).
template <class T>
class Act {
 public:
  explicit Act(Activation kind) : kind_(kind) {}
  Mat<T> forward(const Mat<T>& x);
  Mat<T> infer(const Mat<T>& x) const;  // forward() without the caches backward() needs
  Mat<T> backward(const Mat<T>& dy) const;

 private:
  Activation kind_;
  Mat<T> x_, y_;
};

// Per-row normalisation over the columns, then gamma * xhat + beta (gamma, beta: 1 x dim).
template <class T>
class LayerNorm {
 public:
  LayerNorm(ParamStore<T>& store, const std::string& name, int64_t dim, double eps = 1e-5);
  Mat<T> forward(const Mat<T>& x);
  Mat<T> backward(const Mat<T>& dy);

 private:
  ParamStore<T>& store_;
  int gamma_, beta_;
  double eps_;
  Mat<T> xhat_;
  Eigen::Matrix<T, Eigen::Dynamic, 1> inv_sd_;
};

// Inverted dropout: in training, keeps each element with probability 1 - p and scales it by
// 1 / (1 - p). Row r's mask comes from Rng(seed, "dropout", row_streams[r]): the caller derives one
// stream per row from the sample's identity, the step and the layer, so the masks depend neither on
// how samples are split over ranks nor on where a resumed run restarts. Identity when !training.
template <class T>
class Dropout {
 public:
  explicit Dropout(double p) : p_(p) {}
  // row_streams.size() == x.rows() when training with p > 0 (std::invalid_argument otherwise).
  Mat<T> forward(const Mat<T>& x, bool training, uint64_t seed,
                 std::span<const uint64_t> row_streams);
  Mat<T> backward(const Mat<T>& dy) const;

 private:
  double p_;
  Mat<T> mask_;
  bool active_ = false;
};

enum class Pooling : uint8_t { kSum, kMean };

// Embedding bag over a table: output row i pools the table rows of list i (sum or mean; an empty
// list gives zeros). A plain embedding lookup is a bag of one id per row. Ids must lie in
// [0, table rows) (std::out_of_range naming the table otherwise). backward() adds gradients to the
// table's sparse gradient only for the rows the batch touched; it has no input gradient.
template <class T>
class EmbeddingBag {
 public:
  EmbeddingBag(ParamStore<T>& store, int table, Pooling pooling);
  Mat<T> forward(const IdLists& lists);
  Mat<T> infer(const IdLists& lists) const;  // forward() without keeping the lists for backward()
  void backward(const Mat<T>& dy);

 private:
  ParamStore<T>& store_;
  int table_;
  Pooling pooling_;
  IdLists lists_;
};

// Sparse neighbour aggregation over a table (a graph convolution without the dense adjacency):
// output row i = sum_k weights[k] * table[ids[k]] over list i of the CSR `rows` (n x dim; an empty
// list gives zeros). The caller normalises the weights (e.g. rows summing to 1 for a weighted mean)
// and may compose several hops into one CSR beforehand. Ids must lie in [0, table rows)
// (std::out_of_range naming the table otherwise). backward() adds weights[k] * dY[i] to the sparse
// gradient of each touched row; it has no input gradient.
template <class T>
class NeighbourAggregate {
 public:
  NeighbourAggregate(ParamStore<T>& store, int table) : store_(store), table_(table) {}
  // `rows` must outlive the matching backward() call.
  Mat<T> forward(const WeightedLists& rows);
  void backward(const Mat<T>& dy);

 private:
  ParamStore<T>& store_;
  int table_;
  const WeightedLists* rows_ = nullptr;
};

// Row-wise similarity of two n x d matrices: n x 1.
template <class T>
class Dot {
 public:
  Mat<T> forward(const Mat<T>& a, const Mat<T>& b);
  // Returns (dA, dB).
  std::pair<Mat<T>, Mat<T>> backward(const Mat<T>& dy) const;

 private:
  Mat<T> a_, b_;
};

// cos(a_i, b_i) = a_i . b_i / (max(|a_i|, eps) * max(|b_i|, eps)).
template <class T>
class Cosine {
 public:
  explicit Cosine(double eps = 1e-8) : eps_(eps) {}
  Mat<T> forward(const Mat<T>& a, const Mat<T>& b);
  std::pair<Mat<T>, Mat<T>> backward(const Mat<T>& dy) const;

 private:
  double eps_;
  Mat<T> a_, b_;
  Eigen::Matrix<T, Eigen::Dynamic, 1> na_, nb_, cos_;
};

// Concatenates matrices with the same row count side by side; split() cuts a gradient back.
template <class T>
Mat<T> concat_cols(const std::vector<const Mat<T>*>& parts);
template <class T>
std::vector<Mat<T>> split_cols(const Mat<T>& dy, const std::vector<int64_t>& widths);

}  // namespace kerec::nn
