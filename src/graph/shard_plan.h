// Which source entities form each shard and which rank writes it.
#pragma once

#include <cstdint>
#include <vector>

namespace kerec::graph {

struct ShardPlan {
  std::vector<int64_t>
      first_source;  // S+1: shard s holds sources [first_source[s], first_source[s+1])
  std::vector<int> rank_of_shard;      // S: the rank that writes shard s (dist::block_of(S, R, r))
  int shard_begin = 0, shard_end = 0;  // this rank's shards [shard_begin, shard_end)
  int shards() const { return static_cast<int>(rank_of_shard.size()); }
  int64_t source_begin() const { return first_source[shard_begin]; }
  int64_t source_end() const { return first_source[shard_end]; }
};

// Cuts sources 0..N-1 (N = edges.size(), edges[e] = all edges of source e over every list) into
// `shards` contiguous ranges of near-equal weight, weight(e) = edges[e] + 1 (the +1 spreads
// entities without edges too). Boundary k is the first source x whose preceding sources weigh at
// least k/S of the total, so the plan depends only on the degrees and S, never on the rank count.
ShardPlan plan_shards(const std::vector<int64_t>& edges, int shards, int ranks, int rank);

}  // namespace kerec::graph
