// A deterministic synthetic graph for the graph tests: the same on every rank, so each rank can
// take a share, write collectively, and compare what is read back with the whole.
#pragma once

#include <string>
#include <vector>

#include "kerec/graph/edges.h"
#include "kerec/graph/graph_file.h"
#include "kerec/util/rng.h"

namespace kerec::test {

struct SyntheticGraph {
  graph::GraphMeta meta;
  graph::ComplementEdges comp;
  graph::SubstituteEdges sub;
  graph::MemberEdges mem;
};

// N entities, I items; entity e has a skewed number of complements (heavy head) so shard balance
// matters. Reasons have varied lengths, some empty, some non-ASCII.
inline SyntheticGraph synthetic_graph(int32_t n = 300, int32_t items = 900, uint64_t seed = 7) {
  SyntheticGraph g;
  g.meta.root.config_sha256 = "test";
  g.meta.root.llm_model = "model-b", g.meta.root.prompt_sha256 = "bbbb";
  g.meta.graph_version = 2;
  for (int32_t e = 0; e < n; ++e)
    g.meta.entity_ids.push_back("E" + std::to_string(e)),
        g.meta.entity_names.push_back("entity " + std::to_string(e));
  for (int32_t i = 0; i < items; ++i) {
    g.meta.item_ids.push_back("item-" + std::to_string(i));
    g.meta.item_entities.push_back(i % n);
    if (i % 3 == 0) g.meta.item_entities.push_back((i * 7 + 1) % n);
    g.meta.item_entity_offsets.push_back(static_cast<int64_t>(g.meta.item_entities.size()));
  }
  g.meta.provenance_llm_model = {"model-a", "model-b"},
  g.meta.provenance_prompt_sha256 = {"aaaa", "bbbb"};
  Rng rng(seed);
  for (int32_t a = 0; a < n; ++a) {
    const int32_t degree = a < 10 ? 60 : static_cast<int32_t>(rng.uniform_int(8));
    for (int32_t k = 0; k < degree; ++k) {
      const auto b = static_cast<int32_t>((a + 1 + k * 13) % n);
      if (b == a) continue;
      std::string reason = k % 5 == 0 ? ""
                                      : "after " + std::to_string(a) + " comes " +
                                            std::to_string(b) + (k % 3 ? " ✓" : "");
      g.comp.add(a, b, static_cast<float>(rng.uniform()), 1 + static_cast<int32_t>(k % 2),
                 static_cast<int32_t>(k % 2), reason);
    }
  }
  for (int32_t a = 0; a + 1 < n; a += 2) {
    const auto w = static_cast<float>(rng.uniform());
    g.sub.add(a, a + 1, 3, w), g.sub.add(a + 1, a, 3, w);
  }
  for (int32_t i = 0; i < items; ++i)
    for (int64_t m = g.meta.item_entity_offsets[i]; m < g.meta.item_entity_offsets[i + 1]; ++m)
      g.mem.add(g.meta.item_entities[m], i, static_cast<int64_t>(rng.uniform_int(50)));
  return g;
}

// Edges i with (i * 7919) % parts == part: a share that is neither contiguous nor sorted.
template <class Edges, class Add>
Edges share_of(const Edges& all, int part, int parts, Add add) {
  Edges out;
  for (size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>((i * 7919) % static_cast<size_t>(parts)) == part) add(out, all, i);
  return out;
}

inline SyntheticGraph share(const SyntheticGraph& g, int part, int parts) {
  SyntheticGraph s;
  s.meta = g.meta;
  s.comp = share_of(g.comp, part, parts,
                    [](graph::ComplementEdges& o, const graph::ComplementEdges& a, size_t i) {
                      o.add(a.source[i], a.target[i], a.confidence[i], a.version[i],
                            a.provenance[i], a.reason(i));
                    });
  s.sub = share_of(g.sub, part, parts,
                   [](graph::SubstituteEdges& o, const graph::SubstituteEdges& a, size_t i) {
                     o.add(a.source[i], a.target[i], a.count[i], a.weight[i]);
                   });
  s.mem = share_of(g.mem, part, parts,
                   [](graph::MemberEdges& o, const graph::MemberEdges& a, size_t i) {
                     o.add(a.source[i], a.item[i], a.clicks[i]);
                   });
  return s;
}

}  // namespace kerec::test
