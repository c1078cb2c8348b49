#include "kerec/nn/params.h"

#include <cmath>
#include <stdexcept>

#include "kerec/util/rng.h"

namespace kerec::nn {

template <class T>
void SparseGrad<T>::add(int64_t row, const T* g, T scale, int64_t dim) {
  if (slot.size() != rows.size()) {  // rows written without it (train/exchange.cpp)
    slot.clear();
    for (size_t i = 0; i < rows.size(); ++i) slot.emplace(rows[i], static_cast<int32_t>(i));
  }
  auto [it, inserted] = slot.try_emplace(row, static_cast<int32_t>(rows.size()));
  if (inserted) {
    rows.push_back(row);
    values.resize(values.size() + dim, T(0));
  }
  T* out = values.data() + static_cast<size_t>(it->second) * dim;
  for (int64_t j = 0; j < dim; ++j) out[j] += scale * g[j];
}

template <class T>
void SparseGrad<T>::clear() {
  rows.clear();
  values.clear();
  slot.clear();
}

template <class T>
int ParamStore<T>::add_dense(std::string name, int64_t rows, int64_t cols, Init init) {
  if (finalized_) throw std::logic_error("ParamStore: add_dense('" + name + "') after finalize()");
  if (rows <= 0 || cols <= 0)
    throw std::invalid_argument("ParamStore: parameter '" + name + "' has an empty shape");
  dense_.push_back({std::move(name), rows, cols, total_, init});
  total_ += static_cast<size_t>(rows * cols);
  return static_cast<int>(dense_.size() - 1);
}

template <class T>
int ParamStore<T>::add_table(std::string name, int64_t rows, int64_t dim, double init_sd) {
  if (finalized_) throw std::logic_error("ParamStore: add_table('" + name + "') after finalize()");
  if (rows <= 0 || dim <= 0)
    throw std::invalid_argument("ParamStore: table '" + name + "' has an empty shape");
  Table<T> t;
  t.name = std::move(name);
  t.rows = rows;
  t.dim = dim;
  tables_.push_back(std::move(t));
  table_init_sd_.push_back(init_sd);
  return static_cast<int>(tables_.size() - 1);
}

template <class T>
void ParamStore<T>::finalize(uint64_t seed) {
  if (finalized_) throw std::logic_error("ParamStore: finalize() called twice");
  finalized_ = true;
  values_.assign(total_, T(0));
  grads_.assign(total_, T(0));
  for (const Dense& d : dense_) {
    Rng rng(seed, d.name);
    T* v = values_.data() + d.offset;
    const size_t n = static_cast<size_t>(d.rows * d.cols);
    const double glorot = std::sqrt(6.0 / static_cast<double>(d.rows + d.cols));
    for (size_t i = 0; i < n; ++i) {
      switch (d.init) {
        case Init::kZeros:
          v[i] = T(0);
          break;
        case Init::kOnes:
          v[i] = T(1);
          break;
        case Init::kGlorot:
          v[i] = static_cast<T>((2 * rng.uniform() - 1) * glorot);
          break;
        case Init::kNormal01:
          v[i] = static_cast<T>(rng.normal());
          break;
      }
    }
  }
  for (size_t k = 0; k < tables_.size(); ++k) {
    Table<T>& t = tables_[k];
    Rng rng(seed, t.name);
    t.weight.resize(t.rows, t.dim);
    for (int64_t i = 0; i < t.weight.size(); ++i)
      t.weight.data()[i] = static_cast<T>(rng.normal() * table_init_sd_[k]);
  }
}

template <class T>
MatMap<T> ParamStore<T>::value(int id) {
  const Dense& d = dense_.at(id);
  return MatMap<T>(values_.data() + d.offset, d.rows, d.cols);
}

template <class T>
ConstMatMap<T> ParamStore<T>::value(int id) const {
  const auto& d = dense_.at(id);
  return ConstMatMap<T>(values_.data() + d.offset, d.rows, d.cols);
}

template <class T>
MatMap<T> ParamStore<T>::grad(int id) {
  const Dense& d = dense_.at(id);
  return MatMap<T>(grads_.data() + d.offset, d.rows, d.cols);
}

template <class T>
void ParamStore<T>::zero_grad() {
  std::fill(grads_.begin(), grads_.end(), T(0));
  for (auto& t : tables_) t.grad.clear();
}

template struct SparseGrad<float>;
template struct SparseGrad<double>;
template class ParamStore<float>;
template class ParamStore<double>;

}  // namespace kerec::nn
