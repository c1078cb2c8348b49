#include "kerec/train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "kerec/dist/collectives.h"

namespace kerec::train {

nlohmann::json EvalMetrics::to_json() const {
  return {{"samples", samples}, {"positives", positives},   {"auc", auc},
          {"gauc", gauc},       {"gauc_users", gauc_users}, {"logloss", logloss}};
}

double exact_auc(std::span<const float> scores, std::span<const float> labels) {
  std::vector<uint32_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0, pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank =
        0.5 * (static_cast<double>(i + 1) + static_cast<double>(j));  // 1-based, tie average
    for (size_t k = i; k < j; ++k)
      if (labels[order[k]] > 0.5f) rank_sum += mid_rank, pos += 1;
    i = j;
  }
  const double neg = static_cast<double>(scores.size()) - pos;
  if (pos == 0 || neg == 0) return 0.5;
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

namespace {

// Weighted mean of the per-user AUCs over users with both classes.
double group_auc(const std::vector<float>& s, const std::vector<float>& y,
                 const std::vector<uint64_t>& u, int64_t& users) {
  std::vector<uint32_t> order(s.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return u[a] < u[b]; });
  double weighted = 0, weight = 0;
  std::vector<float> gs, gy;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    gs.clear(), gy.clear();
    for (; j < order.size() && u[order[j]] == u[order[i]]; ++j)
      gs.push_back(s[order[j]]), gy.push_back(y[order[j]]);
    const auto pos = std::count_if(gy.begin(), gy.end(), [](float v) { return v > 0.5f; });
    if (pos > 0 && pos < static_cast<int64_t>(gy.size())) {
      weighted += exact_auc(gs, gy) * static_cast<double>(gy.size());
      weight += static_cast<double>(gy.size());
      ++users;
    }
    i = j;
  }
  return weight > 0 ? weighted / weight : 0.5;
}

}  // namespace

EvalMetrics evaluate(dist::Comm& comm, std::span<const float> scores, std::span<const float> labels,
                     std::span<const uint64_t> users) {
  if (scores.size() != labels.size() || scores.size() != users.size())
    throw std::invalid_argument("evaluate: scores, labels and users differ in length");
  const auto s = dist::allgatherv<float>(comm, scores);
  const auto y = dist::allgatherv<float>(comm, labels);
  const auto u = dist::allgatherv<uint64_t>(comm, users);
  EvalMetrics m;
  m.samples = static_cast<int64_t>(s.size());
  double loss = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const double p = std::clamp(static_cast<double>(s[i]), 1e-7, 1 - 1e-7);
    const bool pos = y[i] > 0.5f;
    m.positives += pos;
    loss -= pos ? std::log(p) : std::log(1 - p);
  }
  m.logloss = s.empty() ? 0.0 : loss / static_cast<double>(s.size());
  m.auc = exact_auc(s, y);
  m.gauc = group_auc(s, y, u, m.gauc_users);
  return m;
}

}  // namespace kerec::train
