// The pair budget (pairs.max_pairs): when the strategies give more candidate pairs than the budget,
// only the highest-priority ones go to the LLM. Priority of a → b, highest first:
//   1. seen together in users' bills (a co-occurrence pair): observed evidence beats a guess;
//   2. expected traffic of the pair, (w(a) + 1)·(w(b) + 1) with w the popularity measure
//      (pairs.measure, bills by default): how often the pair could be shown;
//   3. the smaller pair key (a, then b), so that the order is total.
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

namespace kerec::pairs {

struct BudgetStats {
  int64_t max_pairs = 0;  // the budget; 0: none
  int64_t offered = 0;    // pairs before the budget
  int64_t kept = 0;
  int64_t dropped = 0;
  int64_t cooccur_kept = 0;  // kept pairs with co-occurrence evidence

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
PairPriority pair_priority(uint64_t key, bool cooccur, std::span<const int64_t> traffic);

// Collective. Keeps in `owned` (this rank's pairs, sorted) the pairs among the global top
// `max_pairs`, in the same order; `cooccur` is this rank's co-occurrence pairs (sorted), `traffic`
// the measure per entity (the same on every rank). max_pairs <= 0 keeps everything. Returns the
// pairs it dropped (sorted).
std::vector<uint64_t> apply_pair_budget(dist::Comm& comm, int64_t max_pairs,
                                        std::span<const int64_t> traffic,
                                        const std::vector<uint64_t>& cooccur,
                                        std::vector<uint64_t>& owned, BudgetStats& stats);

}  // namespace kerec::pairs
