#include "kerec/train/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"

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

// Per-user AUCs over users with both classes: their sum weighted by the users' samples, those
// samples, and the users; summed over ranks, weighted / weight is the GAUC.
struct GroupSums {
  double weighted = 0, weight = 0, users = 0;
};
GroupSums group_auc(const std::vector<float>& s, const std::vector<float>& y,
                    const std::vector<uint64_t>& u) {
  std::vector<uint32_t> order(s.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return u[a] < u[b]; });
  GroupSums g;
  std::vector<float> gs, gy;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    gs.clear(), gy.clear();
    for (; j < order.size() && u[order[j]] == u[order[i]]; ++j)
      gs.push_back(s[order[j]]), gy.push_back(y[order[j]]);
    const auto pos = std::count_if(gy.begin(), gy.end(), [](float v) { return v > 0.5f; });
    if (pos > 0 && pos < static_cast<int64_t>(gy.size())) {
      g.weighted += exact_auc(gs, gy) * static_cast<double>(gy.size());
      g.weight += static_cast<double>(gy.size());
      g.users += 1;
    }
    i = j;
  }
  return g;
}

// One sample on its way to the rank that owns its score range (AUC) or its user (GAUC).
struct Sample {
  uint64_t user;
  float score, label;
};

// The float's bits, ordered as the floats are (negatives flipped); -0 is read as +0 so that the
// two tie.
uint32_t order_key(float score) {
  if (score == 0.0f) score = 0.0f;
  uint32_t bits;
  std::memcpy(&bits, &score, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

constexpr int kBucketBits = 16;  // histogram of the keys' top bits: 2^16 buckets x 2 labels
uint32_t bucket_of(float score) { return order_key(score) >> (32 - kBucketBits); }

// The owners of contiguous bucket ranges, cut where the samples before a bucket reach r/P of all.
std::vector<int> bucket_owners(const std::vector<int64_t>& hist, int ranks) {
  int64_t total = 0;
  for (int64_t c : hist) total += c;
  std::vector<int> owner(hist.size() / 2);
  int64_t before = 0;
  for (size_t b = 0; b < owner.size(); ++b) {
    owner[b] = total == 0 ? 0 : static_cast<int>((static_cast<__int128>(before) * ranks) / total);
    before += hist[2 * b] + hist[2 * b + 1];
  }
  return owner;
}

// Twice the Mann-Whitney U of sorted-by-key samples: for each positive, 2 x (negatives below it)
// + (negatives tied with it); `neg_below` counts the negatives of lower ranks' ranges. Integers,
// so the sum over ranks does not depend on how the samples were split.
int64_t twice_u(std::vector<Sample>& mine, int64_t neg_below) {
  std::sort(mine.begin(), mine.end(), [](const Sample& a, const Sample& b) {
    return order_key(a.score) < order_key(b.score);
  });
  int64_t u2 = 0;
  for (size_t i = 0; i < mine.size();) {
    int64_t pos = 0, neg = 0;
    size_t j = i;
    for (; j < mine.size() && order_key(mine[j].score) == order_key(mine[i].score); ++j)
      (mine[j].label > 0.5f ? pos : neg) += 1;
    u2 += pos * (2 * neg_below + neg);
    neg_below += neg;
    i = j;
  }
  return u2;
}

// Collective: exact AUC of all ranks' samples, which move to the owner of their score range
// (O(samples / ranks) per rank unless most scores share a few buckets).
double distributed_auc(dist::Comm& comm, std::span<const float> scores,
                       std::span<const float> labels) {
  std::vector<int64_t> hist(size_t{2} << kBucketBits, 0);  // [2 * bucket + positive]
  for (size_t i = 0; i < scores.size(); ++i) ++hist[2 * bucket_of(scores[i]) + (labels[i] > 0.5f)];
  dist::allreduce(comm, std::span<int64_t>(hist), dist::ReduceOp::kSum);
  const std::vector<int> owner = bucket_owners(hist, comm.size());
  int64_t pos = 0, neg = 0, neg_below = 0;
  for (size_t b = 0; b < owner.size(); ++b) {
    pos += hist[2 * b + 1], neg += hist[2 * b];
    if (owner[b] < comm.rank()) neg_below += hist[2 * b];
  }
  std::vector<std::vector<Sample>> out(comm.size());
  for (size_t i = 0; i < scores.size(); ++i)
    out[owner[bucket_of(scores[i])]].push_back({0, scores[i], labels[i]});
  std::vector<Sample> mine;
  for (auto& part : dist::alltoallv(comm, out)) mine.insert(mine.end(), part.begin(), part.end());
  const int64_t u2 = dist::allreduce_value(comm, twice_u(mine, neg_below), dist::ReduceOp::kSum);
  if (pos == 0 || neg == 0) return 0.5;
  return static_cast<double>(u2) / (2.0 * static_cast<double>(pos) * static_cast<double>(neg));
}

// Collective: GAUC with each user's samples moved to the user's owner rank.
double distributed_gauc(dist::Comm& comm, std::span<const float> scores,
                        std::span<const float> labels, std::span<const uint64_t> users,
                        int64_t& gauc_users) {
  std::vector<std::vector<Sample>> out(comm.size());
  for (size_t i = 0; i < scores.size(); ++i)
    out[mix64(users[i]) % static_cast<uint64_t>(comm.size())].push_back(
        {users[i], scores[i], labels[i]});
  std::vector<float> s, y;
  std::vector<uint64_t> u;
  for (const auto& part : dist::alltoallv(comm, out))
    for (const Sample& x : part) s.push_back(x.score), y.push_back(x.label), u.push_back(x.user);
  const GroupSums g = group_auc(s, y, u);
  double sums[3] = {g.weighted, g.weight, g.users};
  dist::allreduce(comm, std::span<double>(sums), dist::ReduceOp::kSum);
  gauc_users = static_cast<int64_t>(sums[2]);
  return sums[1] > 0 ? sums[0] / sums[1] : 0.5;
}

}  // namespace

EvalMetrics evaluate(dist::Comm& comm, std::span<const float> scores, std::span<const float> labels,
                     std::span<const uint64_t> users) {
  if (scores.size() != labels.size() || scores.size() != users.size())
    throw std::invalid_argument("evaluate: scores, labels and users differ in length");
  double sums[3] = {static_cast<double>(scores.size()), 0, 0};  // samples, positives, loss
  for (size_t i = 0; i < scores.size(); ++i) {
    const double p = std::clamp(static_cast<double>(scores[i]), 1e-7, 1 - 1e-7);
    const bool pos = labels[i] > 0.5f;
    sums[1] += pos;
    sums[2] -= pos ? std::log(p) : std::log(1 - p);
  }
  dist::allreduce(comm, std::span<double>(sums), dist::ReduceOp::kSum);
  EvalMetrics m;
  m.samples = static_cast<int64_t>(sums[0]);
  m.positives = static_cast<int64_t>(sums[1]);
  m.logloss = m.samples == 0 ? 0.0 : sums[2] / sums[0];
  m.auc = distributed_auc(comm, scores, labels);
  m.gauc = distributed_gauc(comm, scores, labels, users, m.gauc_users);
  return m;
}

}  // namespace kerec::train
