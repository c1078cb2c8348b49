#include "shard_plan.h"

#include <numeric>

#include "kerec/dist/collectives.h"

namespace kerec::graph {

ShardPlan plan_shards(const std::vector<int64_t>& edges, int shards, int ranks, int rank) {
  ShardPlan plan;
  const auto n = static_cast<int64_t>(edges.size());
  const int64_t total = std::reduce(edges.begin(), edges.end(), int64_t{0}) + n;
  plan.first_source.assign(static_cast<size_t>(shards) + 1, n);
  plan.first_source[0] = 0;
  int64_t cumulative = 0;
  int next = 1;  // the boundary being looked for
  for (int64_t x = 0; x < n && next < shards; ++x) {
    while (next < shards &&
           static_cast<__int128>(cumulative) * shards >= static_cast<__int128>(next) * total)
      plan.first_source[next++] = x;
    cumulative += edges[x] + 1;
  }
  plan.rank_of_shard.resize(static_cast<size_t>(shards));
  for (int r = 0; r < ranks; ++r) {
    const dist::Block block = dist::block_of(static_cast<uint64_t>(shards), ranks, r);
    for (uint64_t s = block.begin; s < block.end; ++s) plan.rank_of_shard[s] = r;
    if (r == rank)
      plan.shard_begin = static_cast<int>(block.begin),
      plan.shard_end = static_cast<int>(block.end);
  }
  return plan;
}

}  // namespace kerec::graph
