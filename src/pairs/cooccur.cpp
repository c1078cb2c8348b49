// Co-occurrence counting in two exchanges: events → user owner, pair counts → pair owner.
#include "kerec/pairs/cooccur.h"

#include <algorithm>
#include <tuple>

#include "kerec/dist/collectives.h"
#include "kerec/pairs/strategy.h"
#include "kerec/util/rng.h"

namespace kerec::pairs {
namespace {

int user_owner(uint64_t user, int ranks) {
  return static_cast<int>(mix64(user) % static_cast<uint64_t>(ranks));
}

// Local: counts (a, b) occurrences in the complete sequences of this rank's users. Sorting and
// run-length counting is faster than a hash map here and needs no rehashing.
std::vector<PairCount> count_sequences(std::vector<BillEvent>& events, int64_t window_s,
                                       CooccurStats& stats) {
  std::sort(events.begin(), events.end(), [](const BillEvent& x, const BillEvent& y) {
    return std::tie(x.user, x.ts, x.line, x.entity) < std::tie(y.user, y.ts, y.line, y.entity);
  });
  std::vector<PairCount> seen;
  for (size_t i = 0; i < events.size(); ++i) {
    const BillEvent& a = events[i];
    for (size_t j = i + 1; j < events.size(); ++j) {
      const BillEvent& b = events[j];
      if (b.user != a.user || b.ts - a.ts > window_s) break;
      if (b.line == a.line) continue;  // the same bill: not "after"
      if (b.entity == a.entity) {
        ++stats.same_entity;
        continue;
      }
      seen.push_back({pair_key(a.entity, b.entity), 1});
      ++stats.observations;
    }
  }
  return sum_by_key(std::move(seen));
}

}  // namespace

std::vector<PairCount> sum_by_key(std::vector<PairCount> items) {
  std::sort(items.begin(), items.end(),
            [](const PairCount& x, const PairCount& y) { return x.key < y.key; });
  std::vector<PairCount> out;
  for (const auto& pc : items) {
    if (!out.empty() && out.back().key == pc.key)
      out.back().count += pc.count;
    else
      out.push_back(pc);
  }
  return out;
}

std::vector<BillEvent> bill_events(const extract::BillBlock& bills) {
  std::vector<BillEvent> events;
  for (size_t r = 0; r < bills.rows(); ++r) {
    const uint64_t user = hash64(bills.users[r]);
    const auto begin = bills.mentions.entity.begin() + bills.mentions.offsets[r];
    const auto end = bills.mentions.entity.begin() + bills.mentions.offsets[r + 1];
    for (auto it = begin; it != end; ++it)
      if (std::find(begin, it, *it) == it)
        events.push_back({user, bills.ts[r], bills.line[r], *it, 0});
  }
  return events;
}

std::vector<PairCount> cooccurring_pair_counts(dist::Comm& comm,
                                               const std::vector<BillEvent>& local_events,
                                               int64_t window_s, int64_t min_count,
                                               CooccurStats& stats) {
  stats = CooccurStats{};
  if (min_count <= 0) return {};
  const int ranks = comm.size();
  std::vector<std::vector<BillEvent>> to_user(ranks);
  for (const auto& e : local_events) to_user[user_owner(e.user, ranks)].push_back(e);
  std::vector<BillEvent> mine;
  for (auto& part : dist::alltoallv(comm, to_user))
    mine.insert(mine.end(), part.begin(), part.end());
  const auto counts = count_sequences(mine, window_s, stats);

  std::vector<std::vector<PairCount>> to_owner(ranks);
  for (const auto& pc : counts) to_owner[owner_of(pc.key, ranks)].push_back(pc);
  std::vector<PairCount> received;
  for (auto& part : dist::alltoallv(comm, to_owner))
    received.insert(received.end(), part.begin(), part.end());
  const auto totals = sum_by_key(std::move(received));
  std::vector<PairCount> kept;  // sorted: totals are
  for (const auto& pc : totals)
    if (pc.count >= min_count) kept.push_back(pc);
  int64_t sums[4] = {stats.observations, stats.same_entity, static_cast<int64_t>(totals.size()),
                     static_cast<int64_t>(kept.size())};
  dist::allreduce(comm, std::span<int64_t>(sums), dist::ReduceOp::kSum);
  stats = {sums[0], sums[1], sums[2], sums[3]};
  return kept;
}

}  // namespace kerec::pairs
