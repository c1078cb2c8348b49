// The co-occurrence strategy: (a, b) where one user's bills show b within a window after a, at
// least m times over all users. Distributed in two exchanges: bill events go to the rank that owns
// their user (a hash of the user id), which counts the pairs of its users' sequences; the counts go
// to the rank that owns the pair (owner_of), which sums them and keeps those seen m times or more.
#pragma once

#include <cstdint>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/output_files.h"

namespace kerec::pairs {

// One entity of one bill. A user is identified by a 64-bit hash of the user id string (two of
// 20,000 users collide with probability ~1e-11).
struct BillEvent {
  uint64_t user = 0;
  int64_t ts = 0;    // unix seconds
  int64_t line = 0;  // tie-breaker for bills at the same second: file order
  int32_t entity = 0;
  int32_t pad = 0;
};

// Local: one event per distinct entity of each bill of the block.
std::vector<BillEvent> bill_events(const extract::BillBlock& bills);

// A count per pair key (pair_key(a, b)); the unit both co-occurrence counters exchange.
struct PairCount {
  uint64_t key = 0;
  int64_t count = 0;
};

// Local: sorted by key, with the counts of equal keys added up. Sorting is faster than a hash map
// here and needs no rehashing.
std::vector<PairCount> sum_by_key(std::vector<PairCount> items);

struct CooccurStats {
  int64_t observations = 0;    // (a, b) occurrences counted, a != b, summed over ranks
  int64_t same_entity = 0;     // a == b occurrences, not counted as pairs
  int64_t distinct_pairs = 0;  // distinct (a, b) observed
  int64_t kept = 0;            // distinct (a, b) seen at least min_count times
};

// Collective. Occurrence: a bill of b strictly after a bill of a in the user's (ts, line) order
// with ts_b - ts_a <= window_s; events of one bill are not paired with each other. Returns the kept
// pairs that this rank owns (owner_of) with their occurrence counts over all users, sorted by key.
// min_count <= 0 returns nothing and sends nothing.
std::vector<PairCount> cooccurring_pair_counts(dist::Comm& comm,
                                               const std::vector<BillEvent>& local_events,
                                               int64_t window_s, int64_t min_count,
                                               CooccurStats& stats);

}  // namespace kerec::pairs
