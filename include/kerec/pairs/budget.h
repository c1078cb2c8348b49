// The pair budget (pairs.max_pairs): when the strategies give more candidate pairs than the budget,
// only the highest-priority ones go to the LLM. With w the popularity measure plus one
// (pairs.measure, bills by default) and n the times users paid for b within the co-occurrence
// window after a, the priority of a → b is, highest first:
//   1. the co-occurrence evidence weighted by the anchor's traffic, w(a)·n·lift with
//      lift = n / (w(a)·w(b)) (n against what chance gives popular entities), that is n² / w(b).
//      The truth coverage the budget is judged by weighs a relation by w(a) (pairs/candidates.h);
//   2. for pairs without evidence (n = 0, matrix pairs only): expected traffic w(a)·w(b);
//   3. the smaller pair key (a, then b), so that the order is total.
// Evidence and traffic are compared as float32 (ties go to the next criterion). On the demo world
// this order keeps 0.95 of the traffic-weighted truth coverage at 30% of the pairs, where
// "co-occurrence first, then traffic" keeps 0.80 (bench/README.md, "Pair budget").
// The kept set is exactly the top max_pairs of that order, whatever the rank count: an exact
// distributed selection (radix select over the 128-bit priority, one allreduce of 256 counts per
// byte), with no pair leaving its owner rank.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/dist/counters.h"
#include "kerec/pairs/cooccur.h"

namespace kerec::pairs {

struct BudgetStats {
  int64_t max_pairs = 0;  // the budget; 0: none
  int64_t offered = 0;    // pairs before the budget
  int64_t kept = 0;
  int64_t dropped = 0;
  int64_t cooccur_kept = 0;  // kept pairs with co-occurrence evidence (n > 0)

  static constexpr auto counters() {
    using C = dist::Counter<BudgetStats>;
    return std::array{C{"max_pairs", &BudgetStats::max_pairs, dist::ReduceOp::kMax},
                      C{"offered", &BudgetStats::offered}, C{"kept", &BudgetStats::kept},
                      C{"dropped", &BudgetStats::dropped},
                      C{"cooccur_kept", &BudgetStats::cooccur_kept}};
  }
};

// A pair's place in the order above, as two words compared lexicographically (larger first).
struct PairPriority {
  uint64_t high = 0, low = 0;
  auto operator<=>(const PairPriority&) const = default;
};
PairPriority pair_priority(uint64_t key, int64_t cooccur_count, std::span<const int64_t> traffic);

// Collective. Keeps in `owned` (this rank's pairs, sorted) the pairs among the global top
// `max_pairs`, in the same order; `cooccur` is this rank's co-occurrence pairs with their counts
// (sorted by key), `traffic` the measure per entity (the same on every rank). max_pairs <= 0 keeps
// everything. Returns the pairs it dropped (sorted).
std::vector<uint64_t> apply_pair_budget(dist::Comm& comm, int64_t max_pairs,
                                        std::span<const int64_t> traffic,
                                        const std::vector<PairCount>& cooccur,
                                        std::vector<uint64_t>& owned, BudgetStats& stats);

}  // namespace kerec::pairs
