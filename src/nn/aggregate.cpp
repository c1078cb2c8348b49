// Sparse neighbour aggregation over an embedding table (nn/layers.h).
#include <stdexcept>
#include <string>

#include "kerec/nn/layers.h"

namespace kerec::nn {

template <class T>
Mat<T> NeighbourAggregate<T>::forward(const WeightedLists& rows) {
  const Table<T>& t = store_.table(table_);
  if (rows.weights.size() != rows.ids.size())
    throw std::invalid_argument("neighbour aggregate over '" + t.name +
                                "': ids and weights differ in length");
  rows_ = &rows;
  Mat<T> y = Mat<T>::Zero(static_cast<Eigen::Index>(rows.size()), t.dim);
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int64_t k = rows.offsets[i]; k < rows.offsets[i + 1]; ++k) {
      const int64_t id = rows.ids[k];
      if (id < 0 || id >= t.rows)
        throw std::out_of_range("neighbour aggregate over '" + t.name + "': id " +
                                std::to_string(id) + " outside [0, " + std::to_string(t.rows) +
                                ")");
      y.row(i) += static_cast<T>(rows.weights[k]) * t.weight.row(id);
    }
  }
  return y;
}

template <class T>
void NeighbourAggregate<T>::backward(const Mat<T>& dy) {
  Table<T>& t = store_.table(table_);
  const WeightedLists& rows = *rows_;
  for (size_t i = 0; i < rows.size(); ++i)
    for (int64_t k = rows.offsets[i]; k < rows.offsets[i + 1]; ++k)
      t.grad.add(rows.ids[k], dy.row(i).data(), static_cast<T>(rows.weights[k]), t.dim);
}

template class NeighbourAggregate<float>;
template class NeighbourAggregate<double>;

}  // namespace kerec::nn
