// Uplift of an arm over the baseline with bootstrap intervals (docs/ab.md, "Intervals").
//
// Every user's outcome sums of every arm are added once; each of B replicates reweights the users
// by Poisson(1) weights (the Poisson bootstrap, which needs no gather: a rank adds its own users).
// Paired: one weight per user for all arms, so the arms' common user-level noise cancels in the
// ratio. Unpaired: independent weights per arm, the interval a two-sample test would give (slice
// `all` only). Weights come from a stream keyed by the user id, so the figures do not depend on the
// rank count beyond floating-point summation order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "kerec/ab/arm.h"
#include "kerec/dist/comm.h"

namespace kerec::ab {

class UpliftSums {
 public:
  UpliftSums(int arms, int replicates, uint64_t seed);

  // Local. per_arm[a] is the user's sums in arm a.
  void add_user(int64_t user_id, std::span<const UserSums> per_arm);
  // Collective: sums every rank's users.
  void allreduce(dist::Comm& comm);

  double total(int arm, int slice, int metric) const { return total_[cell(arm, slice, metric)]; }
  // Per slice and metric: arm's total over base's − 1, and its `confidence` percentile intervals,
  // {"uplift", "paired": [lo, hi], "unpaired": [lo, hi] (slice all)}; null where base's total is 0;
  // an interval of nulls when more than a tenth of the replicates have a zero baseline total.
  nlohmann::json uplift(int arm, int base, double confidence) const;

 private:
  size_t cell(int arm, int slice, int metric) const {
    return (static_cast<size_t>(arm) * kSlices + static_cast<size_t>(slice)) * kMetrics +
           static_cast<size_t>(metric);
  }
  std::pair<double, double> interval(const std::vector<double>& sums, size_t stride, size_t a,
                                     size_t b, double confidence) const;

  int arms_, replicates_;
  uint64_t seed_;
  std::vector<double> total_;     // arms x kCells
  std::vector<double> paired_;    // replicates x arms x kCells
  std::vector<double> unpaired_;  // replicates x arms x kMetrics (slice all)
};

}  // namespace kerec::ab
