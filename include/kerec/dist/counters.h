// Counters declared once. A stats struct of int64_t members lists them, each with its report name
// and how ranks combine it, in a static `counters()`; from that one declaration come the reduction
// over ranks (one allreduce per reduce op used) and the report's JSON object — instead of packing
// members into positional arrays for an allreduce and naming them again for the report.
//
//   struct ComplementStats {
//     int64_t verdicts = 0, yes = 0, min_rank = 0;
//     static constexpr auto counters() {
//       return std::array{dist::Counter<ComplementStats>{"verdicts", &ComplementStats::verdicts},
//                         dist::Counter<ComplementStats>{"yes", &ComplementStats::yes},
//                         dist::Counter<ComplementStats>{"min_rank", &ComplementStats::min_rank,
//                                                        dist::ReduceOp::kMin}};
//     }
//   };
//   dist::reduce_counters(comm, stats);        // collective
//   report["complementary"] = dist::counters_json(stats);
//
// reduce_counters follows the collective contract of comm.h: every rank calls it with the same S.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "kerec/dist/collectives.h"

namespace kerec::dist {

template <class S>
struct Counter {
  const char* name;  // the key in report.json
  int64_t S::*member;
  ReduceOp op = ReduceOp::kSum;
};

// Collective: every counter of `stats` combined over all ranks by its op, in place.
template <class S>
void reduce_counters(Comm& comm, S& stats) {
  constexpr auto counters = S::counters();
  for (ReduceOp op : {ReduceOp::kSum, ReduceOp::kMax, ReduceOp::kMin}) {
    std::vector<int64_t> values;
    for (const auto& c : counters)
      if (c.op == op) values.push_back(stats.*c.member);
    if (values.empty()) continue;  // decided by the declaration: the same on every rank
    allreduce(comm, std::span<int64_t>(values), op);
    size_t at = 0;
    for (const auto& c : counters)
      if (c.op == op) stats.*c.member = values[at++];
  }
}

// Local: {name: value} for every declared counter.
template <class S>
nlohmann::json counters_json(const S& stats) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& c : S::counters()) out[c.name] = stats.*c.member;
  return out;
}

}  // namespace kerec::dist
