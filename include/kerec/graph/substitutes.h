// The substitutable graph and the membership tables, from the clicks of exposures.tsv.
//
// Substitutes: a user's clicks, in time order, are cut into sessions where two consecutive clicks
// are more than `gap_s` apart. Two entities are substitutable when the items clicked in one session
// mention both; the pair's count is the number of such sessions over all users and it becomes an
// edge when count ≥ min_support, with weight count / sqrt(sessions(a) · sessions(b)) (cosine; in
// (0, 1]), sessions(e) being the sessions with a click on an item of e. Distributed in two
// exchanges, like pairs/cooccur.h: clicks go to the rank owning their user, which cuts its users'
// sessions; pair counts go to the rank owning the pair, which sums them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/dist/counters.h"
#include "kerec/extract/output_files.h"
#include "kerec/graph/edges.h"
#include "kerec/io/tsv.h"

namespace kerec::graph {

struct ClickEvent {
  uint64_t user = 0;  // hash64 of the user id
  int64_t ts = 0;     // unix seconds
  int32_t item = 0;   // item index (extract/items.h5 order)
  int32_t pad = 0;
};

// What the exposures say, summed over ranks (except `clicks`, this rank's part).
struct ExposureScan {
  std::vector<ClickEvent> clicks;  // clicked exposures of known items, this rank's part of the file
  std::vector<int64_t> item_clicks;  // by item index, all ranks
  int64_t rows = 0, skipped_rows = 0, unknown_item = 0, clicked = 0;
  std::vector<std::string> skipped_examples;  // rank 0's first messages
};

// Collective: each rank reads its part of exposures.tsv (TsvReader part = rank). A bad row fails
// on every rank under policy kFail; under kSkip more than max_skipped in total fail.
ExposureScan scan_exposures(dist::Comm& comm, const extract::ItemTable& items,
                            const std::string& exposures_tsv, const io::BadRowPolicy& policy);

struct SubstituteStats {
  int64_t clicks = 0;               // click events used
  int64_t sessions = 0;             // sessions with at least one entity
  int64_t sessions_with_pairs = 0;  // sessions with two or more distinct entities
  int64_t observations = 0;         // (a, b) session co-clicks, a < b
  int64_t distinct_pairs = 0;
  int64_t kept_pairs = 0;             // undirected pairs with count ≥ min_support
  int64_t edges = 0;                  // stored edges = 2 · kept_pairs
  static constexpr auto counters() {  // dist/counters.h: the report's names, summed over ranks
    using C = dist::Counter<SubstituteStats>;
    return std::array{C{"clicks", &SubstituteStats::clicks},
                      C{"sessions", &SubstituteStats::sessions},
                      C{"sessions_with_pairs", &SubstituteStats::sessions_with_pairs},
                      C{"observations", &SubstituteStats::observations},
                      C{"distinct_pairs", &SubstituteStats::distinct_pairs},
                      C{"kept_pairs", &SubstituteStats::kept_pairs},
                      C{"edges", &SubstituteStats::edges}};
  }
};

// Collective. `clicks` is this rank's share (any distribution). Returns this rank's edges (both
// directions of its owned pairs).
SubstituteEdges substitute_edges(dist::Comm& comm, const std::vector<ClickEvent>& clicks,
                                 const extract::MentionCsr& item_entities, size_t entity_count,
                                 int64_t gap_s, int64_t min_support, SubstituteStats& stats);

// Local: entity → item edges for this rank's block (dist::block_of) of the items, one per distinct
// entity an item mentions, carrying the item's clicks.
MemberEdges member_edges(const extract::MentionCsr& item_entities,
                         const std::vector<int64_t>& item_clicks, const dist::Comm& comm);

// Distinct entities of each item, in first-mention order: the item → entities table of graph.h5.
extract::MentionCsr distinct_item_entities(const extract::MentionCsr& item_mentions);

}  // namespace kerec::graph
