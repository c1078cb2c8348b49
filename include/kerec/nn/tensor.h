// Matrix types of the nn part: row-major Eigen matrices, one row per sample of a batch.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace kerec::nn {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MatMap = Eigen::Map<Mat<T>>;
template <class T>
using ConstMatMap = Eigen::Map<const Mat<T>>;

// A batch of variable-length id lists in CSR form: list i is ids[offsets[i], offsets[i + 1]).
struct IdLists {
  std::vector<int64_t> offsets{0};
  std::vector<int64_t> ids;

  size_t size() const { return offsets.size() - 1; }
  void push(std::initializer_list<int64_t> list) {
    ids.insert(ids.end(), list.begin(), list.end());
    offsets.push_back(static_cast<int64_t>(ids.size()));
  }
  // Appends one id list.
  template <class It>
  void push(It begin, It end) {
    ids.insert(ids.end(), begin, end);
    offsets.push_back(static_cast<int64_t>(ids.size()));
  }
};

// IdLists with a weight per id: list i is (ids[k], weights[k]) for k in [offsets[i], offsets[i +
// 1]).
struct WeightedLists {
  std::vector<int64_t> offsets{0};
  std::vector<int64_t> ids;
  std::vector<double> weights;

  size_t size() const { return offsets.size() - 1; }
  void add(int64_t id, double weight) {
    ids.push_back(id);
    weights.push_back(weight);
  }
  void end_list() { offsets.push_back(static_cast<int64_t>(ids.size())); }
};

}  // namespace kerec::nn
