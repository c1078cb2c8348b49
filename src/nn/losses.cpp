#include "kerec/nn/losses.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kerec::nn {

template <class T>
LossResult<T> bce_with_logits(const Mat<T>& logits, std::span<const float> labels, double scale) {
  if (logits.cols() != 1 || static_cast<size_t>(logits.rows()) != labels.size())
    throw std::invalid_argument("bce_with_logits: logits must be n x 1 with n = labels");
  LossResult<T> r;
  r.grad.resize(logits.rows(), 1);
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    const double z = logits(i, 0), y = labels[i];
    r.loss += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
    const double s = z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
    r.grad(i, 0) = static_cast<T>((s - y) * scale);
  }
  r.loss *= scale;
  return r;
}

// Row-wise log-softmax cross-entropy; grad = (softmax - onehot) * scale.
template <class T>
LossResult<T> softmax_cross_entropy(const Mat<T>& logits, std::span<const int32_t> labels,
                                    double scale) {
  if (static_cast<size_t>(logits.rows()) != labels.size())
    throw std::invalid_argument("softmax_cross_entropy: one label per row required");
  LossResult<T> r;
  r.grad.resize(logits.rows(), logits.cols());
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    const int32_t y = labels[i];
    if (y < 0 || y >= logits.cols())
      throw std::out_of_range("softmax_cross_entropy: label " + std::to_string(y) +
                              " outside [0, " + std::to_string(logits.cols()) + ")");
    const T max = logits.row(i).maxCoeff();
    auto e = (logits.row(i).array() - max).exp();
    const T sum = e.sum();
    r.loss += -(static_cast<double>(logits(i, y)) - max - std::log(static_cast<double>(sum)));
    r.grad.row(i) = e / sum * static_cast<T>(scale);
    r.grad(i, y) -= static_cast<T>(scale);
  }
  r.loss *= scale;
  return r;
}

template <class T>
PairLossResult<T> info_nce(const Mat<T>& a, const Mat<T>& b, double temperature, double scale) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    throw std::invalid_argument("info_nce: a and b differ in shape");
  if (!(temperature > 0)) throw std::invalid_argument("info_nce: temperature must be > 0");
  const T inv_t = static_cast<T>(1.0 / temperature);
  Mat<T> logits = (a * b.transpose()) * inv_t;
  std::vector<int32_t> labels(a.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) labels[i] = static_cast<int32_t>(i);
  LossResult<T> ce = softmax_cross_entropy<T>(logits, labels, scale);
  PairLossResult<T> r;
  r.loss = ce.loss;
  r.grad_a = (ce.grad * b) * inv_t;
  r.grad_b = (ce.grad.transpose() * a) * inv_t;
  return r;
}

template LossResult<float> bce_with_logits(const Mat<float>&, std::span<const float>, double);
template LossResult<double> bce_with_logits(const Mat<double>&, std::span<const float>, double);
template LossResult<float> softmax_cross_entropy(const Mat<float>&, std::span<const int32_t>,
                                                 double);
template LossResult<double> softmax_cross_entropy(const Mat<double>&, std::span<const int32_t>,
                                                  double);
template PairLossResult<float> info_nce(const Mat<float>&, const Mat<float>&, double, double);
template PairLossResult<double> info_nce(const Mat<double>&, const Mat<double>&, double, double);

}  // namespace kerec::nn
