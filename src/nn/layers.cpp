// Linear, activations, layer norm and dropout (nn/layers.h).
#include "kerec/nn/layers.h"
#include <stdexcept>
#include <string>

#include <cmath>

#include "kerec/util/rng.h"

namespace kerec::nn {

template <class T>
Linear<T>::Linear(ParamStore<T>& store, const std::string& name, int64_t in, int64_t out)
    : store_(store),
      w_(store.add_dense(name + ".w", in, out, Init::kGlorot)),
      b_(store.add_dense(name + ".b", 1, out, Init::kZeros)) {}

template <class T>
Mat<T> Linear<T>::forward(const Mat<T>& x) {
  x_ = x;
  return infer(x);
}

template <class T>
Mat<T> Linear<T>::infer(const Mat<T>& x) const {
  const ParamStore<T>& store = store_;
  Mat<T> y = x * store.value(w_);
  y.rowwise() += store.value(b_).row(0);
  return y;
}

template <class T>
Mat<T> Linear<T>::backward(const Mat<T>& dy) {
  store_.grad(w_).noalias() += x_.transpose() * dy;
  store_.grad(b_).row(0) += dy.colwise().sum();
  return dy * store_.value(w_).transpose();
}

template <class T>
Mat<T> Act<T>::forward(const Mat<T>& x) {
  x_ = x;
  y_ = infer(x);
  return y_;
}

template <class T>
Mat<T> Act<T>::infer(const Mat<T>& x) const {
  switch (kind_) {
    case Activation::kRelu:
      return x.cwiseMax(T(0));
    case Activation::kSigmoid:
      return x.unaryExpr([](T v) { return T(1) / (T(1) + std::exp(-v)); });
    case Activation::kGelu:
      return x.unaryExpr([](T v) { return T(0.5) * v * (T(1) + std::erf(v / std::sqrt(T(2)))); });
  }
  return x;
}

template <class T>
Mat<T> Act<T>::backward(const Mat<T>& dy) const {
  switch (kind_) {
    case Activation::kRelu:
      return dy.cwiseProduct(x_.unaryExpr([](T v) { return v > T(0) ? T(1) : T(0); }));
    case Activation::kSigmoid:
      return dy.cwiseProduct(y_.unaryExpr([](T s) { return s * (T(1) - s); }));
    case Activation::kGelu:
      return dy.cwiseProduct(x_.unaryExpr([](T v) {
        const T cdf = T(0.5) * (T(1) + std::erf(v / std::sqrt(T(2))));
        const T pdf = std::exp(T(-0.5) * v * v) / std::sqrt(T(2) * T(M_PI));
        return cdf + v * pdf;
      }));
  }
  return dy;
}

template <class T>
LayerNorm<T>::LayerNorm(ParamStore<T>& store, const std::string& name, int64_t dim, double eps)
    : store_(store),
      gamma_(store.add_dense(name + ".gamma", 1, dim, Init::kOnes)),
      beta_(store.add_dense(name + ".beta", 1, dim, Init::kZeros)),
      eps_(eps) {}

template <class T>
Mat<T> LayerNorm<T>::forward(const Mat<T>& x) {
  const auto d = static_cast<T>(x.cols());
  xhat_.resize(x.rows(), x.cols());
  inv_sd_.resize(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const T mean = x.row(i).sum() / d;
    const T var = (x.row(i).array() - mean).square().sum() / d;
    inv_sd_(i) = T(1) / std::sqrt(var + static_cast<T>(eps_));
    xhat_.row(i) = (x.row(i).array() - mean) * inv_sd_(i);
  }
  Mat<T> y = xhat_.array().rowwise() * store_.value(gamma_).row(0).array();
  y.rowwise() += store_.value(beta_).row(0);
  return y;
}

// dx = inv_sd * (g - mean(g) - xhat * mean(g * xhat)), with g = dy * gamma (per row).
template <class T>
Mat<T> LayerNorm<T>::backward(const Mat<T>& dy) {
  store_.grad(gamma_).row(0) += dy.cwiseProduct(xhat_).colwise().sum();
  store_.grad(beta_).row(0) += dy.colwise().sum();
  Mat<T> g = dy.array().rowwise() * store_.value(gamma_).row(0).array();
  const auto d = static_cast<T>(dy.cols());
  Mat<T> dx(dy.rows(), dy.cols());
  for (Eigen::Index i = 0; i < dy.rows(); ++i) {
    const T mean_g = g.row(i).sum() / d;
    const T mean_gx = g.row(i).dot(xhat_.row(i)) / d;
    dx.row(i) = inv_sd_(i) * (g.row(i).array() - mean_g - xhat_.row(i).array() * mean_gx);
  }
  return dx;
}

template <class T>
Mat<T> Dropout<T>::forward(const Mat<T>& x, bool training, uint64_t seed,
                           std::span<const uint64_t> row_streams) {
  active_ = training && p_ > 0.0;
  if (!active_) return x;
  if (row_streams.size() != static_cast<size_t>(x.rows()))
    throw std::invalid_argument("Dropout: " + std::to_string(row_streams.size()) +
                                " row streams for " + std::to_string(x.rows()) + " rows");
  const T keep_scale = static_cast<T>(1.0 / (1.0 - p_));
  mask_.resize(x.rows(), x.cols());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    Rng rng(seed, "dropout", row_streams[static_cast<size_t>(r)]);
    for (Eigen::Index c = 0; c < x.cols(); ++c)
      mask_(r, c) = rng.uniform() < p_ ? T(0) : keep_scale;
  }
  return x.cwiseProduct(mask_);
}

template <class T>
Mat<T> Dropout<T>::backward(const Mat<T>& dy) const {
  return active_ ? Mat<T>(dy.cwiseProduct(mask_)) : dy;
}

template class Linear<float>;
template class Linear<double>;
template class Act<float>;
template class Act<double>;
template class LayerNorm<float>;
template class LayerNorm<double>;
template class Dropout<float>;
template class Dropout<double>;

}  // namespace kerec::nn
