// Uplift and bootstrap intervals (ab/uplift.h).
#include "kerec/ab/uplift.h"

#include <algorithm>
#include <cmath>

#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"

namespace kerec::ab {

UpliftSums::UpliftSums(int arms, int replicates, uint64_t seed)
    : arms_(arms),
      replicates_(replicates),
      seed_(seed),
      total_(static_cast<size_t>(arms) * kCells, 0.0),
      paired_(static_cast<size_t>(replicates) * arms * kCells, 0.0),
      unpaired_(static_cast<size_t>(replicates) * arms * kMetrics, 0.0) {}

void UpliftSums::add_user(int64_t user_id, std::span<const UserSums> per_arm) {
  const size_t row = static_cast<size_t>(arms_) * kCells;
  for (int a = 0; a < arms_; ++a)
    for (int k = 0; k < kCells; ++k) total_[a * kCells + k] += per_arm[a][k];
  Rng paired(seed_, "ab_bootstrap", static_cast<uint64_t>(user_id));
  for (int b = 0; b < replicates_; ++b) {
    const auto w = static_cast<double>(paired.poisson(1.0));
    if (w == 0) continue;
    double* out = paired_.data() + b * row;
    for (int a = 0; a < arms_; ++a)
      for (int k = 0; k < kCells; ++k) out[a * kCells + k] += w * per_arm[a][k];
  }
  for (int a = 0; a < arms_; ++a) {
    Rng own(seed_, "ab_bootstrap_unpaired",
            static_cast<uint64_t>(user_id) * 64 + static_cast<uint64_t>(a));
    for (int b = 0; b < replicates_; ++b) {
      const auto w = static_cast<double>(own.poisson(1.0));
      double* out = unpaired_.data() + (static_cast<size_t>(b) * arms_ + a) * kMetrics;
      for (int m = 0; m < kMetrics; ++m) out[m] += w * per_arm[a][kAll * kMetrics + m];
    }
  }
}

void UpliftSums::allreduce(dist::Comm& comm) {
  for (auto* v : {&total_, &paired_, &unpaired_})
    dist::allreduce(comm, std::span<double>(*v), dist::ReduceOp::kSum);
}

// Percentile interval of the replicates' ratio sums[a] / sums[b] - 1 (offsets within a replicate's
// row of `stride` values).
std::pair<double, double> UpliftSums::interval(const std::vector<double>& sums, size_t stride,
                                               size_t a, size_t b, double confidence) const {
  std::vector<double> r;
  for (int rep = 0; rep < replicates_; ++rep) {
    const double* row = sums.data() + static_cast<size_t>(rep) * stride;
    if (row[b] > 0) r.push_back(row[a] / row[b] - 1.0);
  }
  // A replicate whose baseline total is 0 has no ratio; when more than a tenth have none (a sparse
  // slice), an interval over the rest would be conditional: none is given.
  if (r.size() < static_cast<size_t>(0.9 * replicates_)) return {NAN, NAN};
  std::sort(r.begin(), r.end());
  const auto at = [&](double q) {
    return r[static_cast<size_t>(std::lround(q * static_cast<double>(r.size() - 1)))];
  };
  const double tail = (1.0 - confidence) / 2.0;
  return {at(tail), at(1.0 - tail)};
}

nlohmann::json UpliftSums::uplift(int arm, int base, double confidence) const {
  nlohmann::json out;
  for (int s = 0; s < kSlices; ++s)
    for (int m = 0; m < kMetrics; ++m) {
      nlohmann::json& j = out[slice_name(s)][metric_name(m)];
      const double t = total(base, s, m);
      if (t <= 0) {
        j = nullptr;
        continue;
      }
      const auto [lo, hi] = interval(paired_, static_cast<size_t>(arms_) * kCells, cell(arm, s, m),
                                     cell(base, s, m), confidence);
      j = {{"uplift", total(arm, s, m) / t - 1.0}, {"paired", {lo, hi}}};
      if (s == kAll) {
        const auto [ulo, uhi] = interval(unpaired_, static_cast<size_t>(arms_) * kMetrics,
                                         static_cast<size_t>(arm) * kMetrics + m,
                                         static_cast<size_t>(base) * kMetrics + m, confidence);
        j["unpaired"] = {ulo, uhi};
      }
    }
  return out;
}

}  // namespace kerec::ab
