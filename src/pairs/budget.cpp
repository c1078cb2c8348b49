#include "kerec/pairs/budget.h"

#include <algorithm>
#include <bit>
#include <span>

#include "kerec/dist/collectives.h"
#include "kerec/pairs/strategy.h"

namespace kerec::pairs {
namespace {

// Byte `i` (0 = most significant) of the 128-bit priority.
unsigned byte_of(const PairPriority& p, int i) {
  const uint64_t word = i < 8 ? p.high : p.low;
  return static_cast<unsigned>(word >> (56 - 8 * (i % 8))) & 0xFF;
}

// Collective: the k-th largest priority over all ranks (1-based; k <= the total count). Radix
// select, most significant byte first: each round counts, among the priorities that share the
// prefix chosen so far, how many have each value of the next byte.
PairPriority kth_largest(dist::Comm& comm, const std::vector<PairPriority>& local, int64_t k) {
  PairPriority prefix;
  std::vector<const PairPriority*> live;
  for (const auto& p : local) live.push_back(&p);
  for (int i = 0; i < 16; ++i) {
    std::array<int64_t, 256> counts{};
    for (const PairPriority* p : live) ++counts[byte_of(*p, i)];
    dist::allreduce(comm, std::span<int64_t>(counts), dist::ReduceOp::kSum);
    unsigned chosen = 255;
    for (; chosen > 0 && k > counts[chosen]; --chosen) k -= counts[chosen];
    uint64_t& word = i < 8 ? prefix.high : prefix.low;
    word |= static_cast<uint64_t>(chosen) << (56 - 8 * (i % 8));
    std::erase_if(live, [&](const PairPriority* p) { return byte_of(*p, i) != chosen; });
  }
  return prefix;
}

// A non-negative float orders like its bits, which fit in 31 bits.
uint64_t order_bits(double x) { return std::bit_cast<uint32_t>(static_cast<float>(x)); }

}  // namespace

PairPriority pair_priority(uint64_t key, int64_t cooccur_count, std::span<const int64_t> traffic) {
  const double wa = static_cast<double>(traffic[static_cast<size_t>(key_a(key))]) + 1.0;
  const double wb = static_cast<double>(traffic[static_cast<size_t>(key_b(key))]) + 1.0;
  const double n = static_cast<double>(cooccur_count);
  const double evidence = n * n / wb;  // w(a) · n · lift, lift = n / (w(a)·w(b)): budget.h
  return {(order_bits(evidence) << 32) | order_bits(wa * wb), ~key};
}

std::vector<uint64_t> apply_pair_budget(dist::Comm& comm, int64_t max_pairs,
                                        std::span<const int64_t> traffic,
                                        const std::vector<PairCount>& cooccur,
                                        std::vector<uint64_t>& owned, BudgetStats& stats) {
  stats.max_pairs = std::max<int64_t>(max_pairs, 0);
  const int64_t offered = dist::allreduce_value<int64_t>(comm, static_cast<int64_t>(owned.size()),
                                                         dist::ReduceOp::kSum);
  std::vector<uint64_t> dropped;
  std::vector<PairPriority> priority(owned.size());
  auto next = cooccur.begin();  // both sorted by key
  for (size_t i = 0; i < owned.size(); ++i) {
    while (next != cooccur.end() && next->key < owned[i]) ++next;
    const int64_t count = next != cooccur.end() && next->key == owned[i] ? next->count : 0;
    priority[i] = pair_priority(owned[i], count, traffic);
  }
  if (max_pairs > 0 && offered > max_pairs) {
    const PairPriority cut = kth_largest(comm, priority, max_pairs);
    std::vector<uint64_t> kept;
    std::vector<PairPriority> kept_priority;
    for (size_t i = 0; i < owned.size(); ++i) {
      if (priority[i] >= cut) {
        kept.push_back(owned[i]), kept_priority.push_back(priority[i]);
      } else {
        dropped.push_back(owned[i]);
      }
    }
    owned.swap(kept), priority.swap(kept_priority);
  }
  stats.kept = static_cast<int64_t>(owned.size());
  stats.dropped = static_cast<int64_t>(dropped.size());
  stats.cooccur_kept = std::count_if(priority.begin(), priority.end(),
                                     [](const PairPriority& p) { return (p.high >> 32) != 0; });
  stats.offered = stats.kept + stats.dropped;
  dist::reduce_counters(comm, stats);
  return dropped;
}

}  // namespace kerec::pairs
