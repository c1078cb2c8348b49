// Embedding bags, similarities and column concatenation (nn/layers.h).
#include <algorithm>
#include <stdexcept>
#include <utility>

#include "kerec/nn/layers.h"

namespace kerec::nn {

template <class T>
EmbeddingBag<T>::EmbeddingBag(ParamStore<T>& store, int table, Pooling pooling)
    : store_(store), table_(table), pooling_(pooling) {}

template <class T>
Mat<T> EmbeddingBag<T>::forward(const IdLists& lists) {
  lists_ = lists;
  return infer(lists);
}

template <class T>
Mat<T> EmbeddingBag<T>::infer(const IdLists& lists) const {
  const Table<T>& t = std::as_const(store_).table(table_);
  Mat<T> y = Mat<T>::Zero(static_cast<Eigen::Index>(lists.size()), t.dim);
  for (size_t i = 0; i < lists.size(); ++i) {
    const int64_t begin = lists.offsets[i], end = lists.offsets[i + 1];
    for (int64_t k = begin; k < end; ++k) {
      const int64_t id = lists.ids[k];
      if (id < 0 || id >= t.rows)
        throw std::out_of_range("embedding table '" + t.name + "': id " + std::to_string(id) +
                                " outside [0, " + std::to_string(t.rows) + ")");
      y.row(i) += t.weight.row(id);
    }
    if (pooling_ == Pooling::kMean && end > begin) y.row(i) /= static_cast<T>(end - begin);
  }
  return y;
}

template <class T>
void EmbeddingBag<T>::backward(const Mat<T>& dy) {
  Table<T>& t = store_.table(table_);
  for (size_t i = 0; i < lists_.size(); ++i) {
    const int64_t begin = lists_.offsets[i], end = lists_.offsets[i + 1];
    if (end == begin) continue;
    const T scale = pooling_ == Pooling::kMean ? T(1) / static_cast<T>(end - begin) : T(1);
    for (int64_t k = begin; k < end; ++k) t.grad.add(lists_.ids[k], dy.row(i).data(), scale, t.dim);
  }
}

template <class T>
Mat<T> Dot<T>::forward(const Mat<T>& a, const Mat<T>& b) {
  a_ = a;
  b_ = b;
  return a.cwiseProduct(b).rowwise().sum();
}

template <class T>
std::pair<Mat<T>, Mat<T>> Dot<T>::backward(const Mat<T>& dy) const {
  Mat<T> da = b_.array().colwise() * dy.col(0).array();
  Mat<T> db = a_.array().colwise() * dy.col(0).array();
  return {std::move(da), std::move(db)};
}

template <class T>
Mat<T> Cosine<T>::forward(const Mat<T>& a, const Mat<T>& b) {
  a_ = a;
  b_ = b;
  const T eps = static_cast<T>(eps_);
  na_ = a.rowwise().norm().cwiseMax(eps);
  nb_ = b.rowwise().norm().cwiseMax(eps);
  cos_ = a.cwiseProduct(b).rowwise().sum().array() / (na_.array() * nb_.array());
  return cos_;
}

// d cos / d a = b / (|a||b|) - cos * a / |a|^2 (the second term vanishes where |a| < eps).
template <class T>
std::pair<Mat<T>, Mat<T>> Cosine<T>::backward(const Mat<T>& dy) const {
  const T eps = static_cast<T>(eps_);
  Mat<T> da(a_.rows(), a_.cols()), db(b_.rows(), b_.cols());
  for (Eigen::Index i = 0; i < a_.rows(); ++i) {
    const T g = dy(i, 0), inv = T(1) / (na_(i) * nb_(i));
    const T ka = a_.row(i).norm() > eps ? cos_(i) / (na_(i) * na_(i)) : T(0);
    const T kb = b_.row(i).norm() > eps ? cos_(i) / (nb_(i) * nb_(i)) : T(0);
    da.row(i) = g * (b_.row(i) * inv - ka * a_.row(i));
    db.row(i) = g * (a_.row(i) * inv - kb * b_.row(i));
  }
  return {std::move(da), std::move(db)};
}

template <class T>
Mat<T> concat_cols(const std::vector<const Mat<T>*>& parts) {
  Eigen::Index cols = 0;
  for (const auto* p : parts) cols += p->cols();
  Mat<T> y(parts.empty() ? 0 : parts[0]->rows(), cols);
  Eigen::Index at = 0;
  for (const auto* p : parts) {
    if (p->rows() != y.rows()) throw std::invalid_argument("concat_cols: row counts differ");
    y.middleCols(at, p->cols()) = *p;
    at += p->cols();
  }
  return y;
}

template <class T>
std::vector<Mat<T>> split_cols(const Mat<T>& dy, const std::vector<int64_t>& widths) {
  std::vector<Mat<T>> out;
  Eigen::Index at = 0;
  for (int64_t w : widths) {
    out.emplace_back(dy.middleCols(at, w));
    at += w;
  }
  return out;
}

template class EmbeddingBag<float>;
template class EmbeddingBag<double>;
template class Dot<float>;
template class Dot<double>;
template class Cosine<float>;
template class Cosine<double>;
template Mat<float> concat_cols(const std::vector<const Mat<float>*>&);
template Mat<double> concat_cols(const std::vector<const Mat<double>*>&);
template std::vector<Mat<float>> split_cols(const Mat<float>&, const std::vector<int64_t>&);
template std::vector<Mat<double>> split_cols(const Mat<double>&, const std::vector<int64_t>&);

}  // namespace kerec::nn
