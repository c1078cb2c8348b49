// generate_pairs: matrix pairs from this rank's anchors → owner; co-occurrence pairs (already at
// their owner); merge, exclusions and the previous-pairs drop at the owner; stats summed.
#include "kerec/pairs/candidates.h"

#include <algorithm>
#include <map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

using dist::ReduceOp;

// Contiguous anchor ranges of about equal expected pair counts: anchor a goes to the rank whose
// share of the total contains the midpoint of a's own weight. Returns [begin, end) for `rank`.
dist::Block anchor_range(const std::vector<double>& weight, int ranks, int rank) {
  double total = 0;
  for (double w : weight) total += w;
  dist::Block block{weight.size(), weight.size()};
  double before = 0;
  bool started = false;
  for (size_t a = 0; a < weight.size(); ++a) {
    const double mid = before + weight[a] / 2;
    const int r = total > 0 ? std::min(ranks - 1, static_cast<int>(mid / total * ranks)) : 0;
    if (r == rank && !started) block.begin = a, started = true;
    if (r > rank && started) {
      block.end = a;
      break;
    }
    before += weight[a];
  }
  if (!started) block.begin = block.end = weight.size();
  return block;
}

// Expected matrix pairs of an anchor of each segment: Σ_t rate(s, t) · |segment t|.
std::vector<double> anchor_weights(const Segmentation& seg, const StrategyMatrix& m) {
  std::vector<double> per_segment(m.segments, 0.0);
  for (int s = 0; s < m.segments; ++s)
    for (int t = 0; t < m.segments; ++t)
      per_segment[s] += m.at(s, t) * static_cast<double>(seg.sizes[t]);
  std::vector<double> w(seg.segment_of.size());
  for (size_t a = 0; a < w.size(); ++a) w[a] = per_segment[seg.segment_of[a]];
  return w;
}

// Category id per entity: position of its category among the sorted distinct names.
std::vector<int> category_ids(const extract::EntityTable& entities,
                              std::vector<std::string>& names) {
  names = entities.categories;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<int> ids(entities.size());
  for (size_t e = 0; e < ids.size(); ++e)
    ids[e] = static_cast<int>(std::lower_bound(names.begin(), names.end(), entities.categories[e]) -
                              names.begin());
  return ids;
}

struct Local {
  std::vector<std::vector<uint64_t>> to_owner;
  std::vector<int64_t> matrix_pairs;
  int64_t same_entity = 0, anchors = 0, generated = 0;
};

// Local: the matrix pairs of anchors [range.begin, range.end), bucketed by owner rank.
Local matrix_pairs(const Segmentation& seg, const StrategyMatrix& m, uint64_t seed,
                   dist::Block range, int ranks) {
  std::vector<std::vector<int32_t>> members(m.segments);
  for (size_t e = 0; e < seg.segment_of.size(); ++e)
    members[seg.segment_of[e]].push_back(static_cast<int32_t>(e));
  Local out;
  out.to_owner.resize(ranks);
  out.matrix_pairs.assign(m.segments * m.segments, 0);
  for (uint64_t a = range.begin; a < range.end; ++a, ++out.anchors) {
    const int s = seg.segment_of[a];
    for (int t = 0; t < m.segments; ++t) {
      const double rate = m.at(s, t);
      if (rate <= 0.0) continue;
      for (int32_t b : members[t]) {
        const uint64_t key = pair_key(static_cast<int32_t>(a), b);
        if (b == static_cast<int32_t>(a)) {
          out.same_entity += rate >= 1.0 || sampled(key, seed, rate);
          continue;
        }
        if (rate < 1.0 && !sampled(key, seed, rate)) continue;
        ++out.matrix_pairs[s * m.segments + t];
        ++out.generated;
        out.to_owner[owner_of(key, ranks)].push_back(key);
      }
    }
  }
  return out;
}

std::vector<uint64_t> sorted_unique(std::vector<std::vector<uint64_t>> parts, int64_t& duplicates) {
  std::vector<uint64_t> all;
  for (auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  std::sort(all.begin(), all.end());
  const size_t before = all.size();
  all.erase(std::unique(all.begin(), all.end()), all.end());
  duplicates += static_cast<int64_t>(before - all.size());
  return all;
}

// At the owner: the union of both strategies' pairs, minus excluded categories (counted), minus
// `prev_owned` (counted, but kept in result.candidates for coverage); counts per segment pair.
template <class Excluded>
void merge_at_owner(const std::vector<uint64_t>& from_matrix,
                    const std::vector<uint64_t>& from_bills,
                    const std::vector<uint64_t>& prev_owned, Excluded excluded,
                    PairsResult& result) {
  PairsStats& st = result.stats;
  std::vector<uint64_t> merged;
  std::set_union(from_matrix.begin(), from_matrix.end(), from_bills.begin(), from_bills.end(),
                 std::back_inserter(merged));
  st.duplicates_merged +=
      static_cast<int64_t>(from_matrix.size() + from_bills.size() - merged.size());
  for (uint64_t key : merged) {
    const int32_t a = key_a(key), b = key_b(key);
    if (excluded(a, b)) {
      ++st.category_dropped;
      continue;
    }
    result.candidates.push_back(key);
    if (std::binary_search(prev_owned.begin(), prev_owned.end(), key)) {
      ++st.previous_dropped;
      continue;
    }
    result.owned.push_back(key);
  }
}

// Local: the kept pairs by segment combination and those only co-occurrence gave.
void count_kept(const std::vector<uint64_t>& from_matrix, int segments, PairsResult& result) {
  PairsStats& st = result.stats;
  st.kept_pairs.assign(segments * segments, 0);
  for (uint64_t key : result.owned) {
    const int32_t a = key_a(key), b = key_b(key);
    ++st.kept_pairs[st.segmentation.segment_of[a] * segments + st.segmentation.segment_of[b]];
    if (!std::binary_search(from_matrix.begin(), from_matrix.end(), key)) ++st.cooccur_only;
  }
}

// Collective: pairs.max_pairs. The pairs it drops leave the candidates too: the judge never sees
// them.
void apply_budget(dist::Comm& comm, const PairsConfig& config, const Popularity& popularity,
                  const std::vector<PairCount>& from_bills, PairsResult& result) {
  const auto dropped = apply_pair_budget(comm, config.max_pairs, popularity.column(config.measure),
                                         from_bills, result.owned, result.stats.budget);
  std::vector<uint64_t> rest;
  std::set_difference(result.candidates.begin(), result.candidates.end(), dropped.begin(),
                      dropped.end(), std::back_inserter(rest));
  result.candidates.swap(rest);
}

// The keys of `previous` that `rank` owns, sorted.
std::vector<uint64_t> owned_previous(const std::vector<uint64_t>& previous, int ranks, int rank) {
  std::vector<uint64_t> owned;
  for (uint64_t key : previous)
    if (owner_of(key, ranks) == rank) owned.push_back(key);
  std::sort(owned.begin(), owned.end());
  return owned;
}

void sum_stats(dist::Comm& comm, PairsStats& st) {
  dist::allreduce(comm, std::span<int64_t>(st.matrix_pairs), ReduceOp::kSum);
  dist::allreduce(comm, std::span<int64_t>(st.kept_pairs), ReduceOp::kSum);
  int64_t sums[6] = {st.cooccur_only,      st.same_entity_dropped, st.category_dropped,
                     st.duplicates_merged, st.previous_dropped,    st.kept};
  dist::allreduce(comm, std::span<int64_t>(sums), ReduceOp::kSum);
  st.cooccur_only = sums[0], st.same_entity_dropped = sums[1], st.category_dropped = sums[2];
  st.duplicates_merged = sums[3], st.previous_dropped = sums[4], st.kept = sums[5];
  int64_t mins[2] = {st.anchors_min_rank, st.generated_min_rank};
  int64_t maxs[2] = {st.anchors_max_rank, st.generated_max_rank};
  dist::allreduce(comm, std::span<int64_t>(mins), ReduceOp::kMin);
  dist::allreduce(comm, std::span<int64_t>(maxs), ReduceOp::kMax);
  st.anchors_min_rank = mins[0], st.generated_min_rank = mins[1];
  st.anchors_max_rank = maxs[0], st.generated_max_rank = maxs[1];
}

}  // namespace

PairsResult generate_pairs(dist::Comm& comm, const PairsConfig& config,
                           const extract::EntityTable& entities, const Popularity& popularity,
                           const extract::BillBlock& bills, const std::vector<uint64_t>& previous) {
  const int ranks = comm.size(), rank = comm.rank();
  const int64_t n = static_cast<int64_t>(entities.size());
  StrategyMatrix m;
  std::vector<std::string> category_names;
  std::vector<int> category;
  CategoryExclusions excluded;
  // The checks below depend on the data (category names, table sizes), not only on the config, so
  // they fail here rather than at load time: agreed, so every rank stops cleanly with the message.
  dist::run_agreed(comm, [&] {
    validate(config);
    if (popularity.size() != entities.size())
      throw InputError("popularity has " + std::to_string(popularity.size()) +
                       " entities but the entity table " + std::to_string(n));
    m = parse_strategy(config);
    category = category_ids(entities, category_names);
    excluded = parse_exclusions(config, category_names);
  });

  PairsResult result;
  PairsStats& st = result.stats;
  st.segmentation =
      segment_by_traffic(popularity.column(config.measure), config.segment_boundaries);
  const Segmentation& seg = st.segmentation;
  const auto range = anchor_range(anchor_weights(seg, m), ranks, rank);
  Local local = matrix_pairs(seg, m, static_cast<uint64_t>(config.sample_seed), range, ranks);
  st.matrix_pairs = local.matrix_pairs;
  st.same_entity_dropped = local.same_entity;
  st.anchors_min_rank = st.anchors_max_rank = local.anchors;
  st.generated_min_rank = st.generated_max_rank = local.generated;
  const auto from_matrix =
      sorted_unique(dist::alltoallv(comm, local.to_owner), st.duplicates_merged);

  const int64_t window_s = static_cast<int64_t>(config.cooccur_window_h * 3600.0);
  const auto bill_counts = cooccurring_pair_counts(comm, bill_events(bills), window_s,
                                                   config.cooccur_min_count, st.cooccur);
  std::vector<uint64_t> from_bills;
  for (const auto& pc : bill_counts) from_bills.push_back(pc.key);

  const auto prev_owned = owned_previous(previous, ranks, rank);
  merge_at_owner(
      from_matrix, from_bills, prev_owned,
      [&](int32_t a, int32_t b) { return excluded.at(category[a], category[b]); }, result);
  apply_budget(comm, config, popularity, bill_counts, result);
  count_kept(from_matrix, m.segments, result);
  st.kept = static_cast<int64_t>(result.owned.size());
  sum_stats(comm, st);
  st.complete = n * (n - 1);
  return result;
}

TruthCoverage truth_coverage(dist::Comm& comm, const std::vector<uint64_t>& truth,
                             const std::vector<uint64_t>& candidates,
                             const std::vector<int64_t>& traffic) {
  const int ranks = comm.size(), rank = comm.rank();
  int64_t sums[4] = {0, 0, 0,
                     0};  // relations, covered, Σ traffic, Σ covered traffic (integers: exact)
  for (uint64_t key : truth) {
    if (owner_of(key, ranks) != rank) continue;
    const int64_t w = traffic.at(key_a(key));
    const bool covered = std::binary_search(candidates.begin(), candidates.end(), key);
    sums[0] += 1, sums[1] += covered, sums[2] += w, sums[3] += covered ? w : 0;
  }
  dist::allreduce(comm, std::span<int64_t>(sums), ReduceOp::kSum);
  TruthCoverage c;
  c.relations = sums[0], c.covered = sums[1];
  c.weighted = sums[2] > 0 ? static_cast<double>(sums[3]) / static_cast<double>(sums[2]) : 0.0;
  c.unweighted = sums[0] > 0 ? static_cast<double>(sums[1]) / static_cast<double>(sums[0]) : 0.0;
  return c;
}

}  // namespace kerec::pairs
