// Central finite differences in float64 for the nn gradient checks.
#pragma once

#include <cmath>
#include <functional>

#include "kerec/nn/params.h"
#include "kerec/nn/tensor.h"
#include "kerec/util/rng.h"

namespace kerec::nn::test {

using M = Mat<double>;

inline M random_matrix(int64_t rows, int64_t cols, uint64_t seed, double away_from_zero = 0.0) {
  Rng rng(seed, "gradcheck");
  M m(rows, cols);
  for (int64_t i = 0; i < m.size(); ++i) {
    double v = rng.normal();
    if (std::abs(v) < away_from_zero) v = v < 0 ? v - away_from_zero : v + away_from_zero;
    m.data()[i] = v;
  }
  return m;
}

// Numerical gradient of `f` with respect to the `n` doubles at `x` (perturbed in place, restored).
inline std::vector<double> numeric_grad(double* x, size_t n, const std::function<double()>& f,
                                        double h = 1e-5) {
  std::vector<double> g(n);
  for (size_t i = 0; i < n; ++i) {
    const double keep = x[i];
    x[i] = keep + h;
    const double up = f();
    x[i] = keep - h;
    const double down = f();
    x[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

// ||a - b|| / max(||a|| + ||b||, tiny): the relative error of a whole gradient.
inline double rel_error(const double* a, const double* b, size_t n) {
  double diff = 0, na = 0, nb = 0;
  for (size_t i = 0; i < n; ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return std::sqrt(diff) / std::max(std::sqrt(na) + std::sqrt(nb), 1e-300);
}

inline double rel_error(const M& analytic, const std::vector<double>& numeric) {
  return rel_error(analytic.data(), numeric.data(), numeric.size());
}

// A table's sparse gradient as a dense rows x dim matrix (rows that were not touched are zero).
inline M dense_grad(const Table<double>& t) {
  M g = M::Zero(t.rows, t.dim);
  for (size_t k = 0; k < t.grad.rows.size(); ++k)
    for (int64_t j = 0; j < t.dim; ++j) g(t.grad.rows[k], j) += t.grad.values[k * t.dim + j];
  return g;
}

// sum(R .* Y): a scalar whose gradient with respect to Y is R.
inline double project(const M& y, const M& r) { return y.cwiseProduct(r).sum(); }

}  // namespace kerec::nn::test
