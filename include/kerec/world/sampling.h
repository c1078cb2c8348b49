// Weighted sampling by cumulative weights and binary search: O(log n), no allocation per draw.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "kerec/util/rng.h"

namespace kerec::world {

class Cumulative {
 public:
  void add(double weight) { cum_.push_back(total() + weight); }
  double total() const { return cum_.empty() ? 0.0 : cum_.back(); }
  size_t size() const { return cum_.size(); }
  bool empty() const { return total() <= 0.0; }
  void reserve(size_t n) { cum_.reserve(n); }

  // Index i with probability weight_i / total. Requires !empty().
  size_t sample(Rng& rng) const { return sample_prefix(rng, cum_.size()); }

  // Like sample() but restricted to the first `n` entries (n >= 1, their weight > 0).
  size_t sample_prefix(Rng& rng, size_t n) const {
    const double u = rng.uniform() * cum_[n - 1];
    const auto it = std::upper_bound(cum_.begin(), cum_.begin() + static_cast<ptrdiff_t>(n), u);
    return std::min(static_cast<size_t>(it - cum_.begin()), n - 1);
  }

 private:
  std::vector<double> cum_;
};

// Fisher-Yates with the project's Rng (std::shuffle's algorithm is not portable).
template <class T>
void shuffle_in_place(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.uniform_int(i)]);
}

}  // namespace kerec::world
