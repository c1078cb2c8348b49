// Losses. Each returns the loss *sum* over the batch times `scale` and the gradient of that value,
// so a data-parallel trainer passes scale = 1 / (global batch size) and the summed gradients of all
// ranks equal the gradient of the global mean loss.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kerec/nn/tensor.h"

namespace kerec::nn {

template <class T>
struct LossResult {
  double loss = 0.0;  // scale * sum of the per-row losses, accumulated in double
  Mat<T> grad;        // d loss / d input, shape of the input
};

// Binary cross-entropy on logits (n x 1) against 0/1 labels, computed stably:
// l = max(z, 0) - z y + log(1 + exp(-|z|)); dl/dz = sigmoid(z) - y.
template <class T>
LossResult<T> bce_with_logits(const Mat<T>& logits, std::span<const float> labels, double scale);

// Softmax cross-entropy: logits n x C, labels in [0, C).
template <class T>
LossResult<T> softmax_cross_entropy(const Mat<T>& logits, std::span<const int32_t> labels,
                                    double scale);

// InfoNCE with in-batch negatives: row i of `a` must match row i of `b` among all rows of `b`;
// logits = a b^T / temperature, softmax cross-entropy with label i. Returns the loss and (dA, dB)
// in `grad_a` / `grad_b`.
template <class T>
struct PairLossResult {
  double loss = 0.0;
  Mat<T> grad_a, grad_b;
};
template <class T>
PairLossResult<T> info_nce(const Mat<T>& a, const Mat<T>& b, double temperature, double scale);

}  // namespace kerec::nn
