// The complementary edges of a graph version: "yes" verdicts at or above min_confidence, merged
// with the edges of a previous graph (refresh).
//
// Merge rules, for a pair (a, b) of the previous graph that the new verdicts also judge:
//   yes ≥ min_confidence   the edge stays with its old version; confidence, reason and provenance
//                          are the new verdict's ("updated");
//   yes < min_confidence   the edge is removed ("removed_below_min_confidence");
//   no                     the edge is removed ("removed_by_no");
//   uncertain, unjudged    the edge stays as it was (unjudged is never "no").
// A new "yes" ≥ min_confidence for a pair not in the previous graph is "added" with the new
// version. So a refresh whose verdicts add nothing yields the previous edge set unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/dist/counters.h"
#include "kerec/graph/edges.h"
#include "kerec/llm/verdicts_file.h"

namespace kerec::graph {

// This rank's even block (dist::block_of) of judge/verdicts.h5 (docs/artifacts.md, "Verdicts").
// The previous graph a refresh starts from: this rank's block of its shards.
struct PreviousGraph {
  int64_t graph_version = 0;  // 0: no previous graph
  ComplementEdges edges;      // this rank's block of shards
  std::vector<std::string> provenance_llm_model, provenance_prompt_sha256;
};

// Local: checks that the previous graph has the same entities (ids, in the same order) — an
// InputError naming both files otherwise, since edges refer to entities by index.
PreviousGraph read_previous_graph(const std::filesystem::path& graph_h5,
                                  const std::vector<std::string>& entity_ids,
                                  const dist::Comm& comm);

struct ComplementStats {
  int64_t verdicts = 0, yes = 0, yes_below_min_confidence = 0, no = 0, uncertain = 0, unjudged = 0;
  int64_t previous_edges = 0, added = 0, kept = 0, updated = 0, removed_by_no = 0,
          removed_below_min_confidence = 0;
  int64_t edges = 0;                  // in the new graph: added + kept + updated
  static constexpr auto counters() {  // dist/counters.h: the report's names, summed over ranks
    using C = dist::Counter<ComplementStats>;
    return std::array{
        C{"verdicts", &ComplementStats::verdicts},
        C{"yes", &ComplementStats::yes},
        C{"yes_below_min_confidence", &ComplementStats::yes_below_min_confidence},
        C{"no", &ComplementStats::no},
        C{"uncertain", &ComplementStats::uncertain},
        C{"unjudged", &ComplementStats::unjudged},
        C{"previous_edges", &ComplementStats::previous_edges},
        C{"added", &ComplementStats::added},
        C{"kept", &ComplementStats::kept},
        C{"updated", &ComplementStats::updated},
        C{"removed_by_no", &ComplementStats::removed_by_no},
        C{"removed_below_min_confidence", &ComplementStats::removed_below_min_confidence},
        C{"edges", &ComplementStats::edges}};
  }
};

// Collective. `version` is the new graph version; `provenance` the index of the verdicts' (model,
// prompt) in the new provenance table. Returns this rank's share of the new edges (any
// distribution; write_graph redistributes), with stats summed over ranks.
ComplementEdges merge_complements(dist::Comm& comm, const llm::VerdictBlock& verdicts,
                                  const ComplementEdges& previous, double min_confidence,
                                  int32_t version, int32_t provenance, ComplementStats& stats);

}  // namespace kerec::graph
