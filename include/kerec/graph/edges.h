// The three edge lists of graph.h5 in memory, column by column (the layout they are written in).
//
// A rank holds any subset of the edges of a list (the writer redistributes them by source); within
// one list a (source, target) pair appears at most once over all ranks. Entities and items are the
// int32 indices of docs/artifacts.md ("Entity index"; items in extract/items.h5 order).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::graph {

// Directed "after buying source, the user may need target" edges from "yes" verdicts.
struct ComplementEdges {
  std::vector<int32_t> source, target;
  std::vector<float> confidence;    // the LLM's confidence in [0, 1]
  std::vector<int32_t> version;     // graph version that added the edge (1, 2, ...)
  std::vector<int32_t> provenance;  // index into the provenance table (LLM model, prompt hash)
  std::vector<int64_t>
      reason_end;            // edge i's reason is reason_bytes[reason_end[i-1], reason_end[i])
  std::string reason_bytes;  // UTF-8 reasons, concatenated

  size_t size() const { return source.size(); }
  std::string_view reason(size_t i) const {
    const int64_t begin = i == 0 ? 0 : reason_end[i - 1];
    return std::string_view(reason_bytes).substr(begin, reason_end[i] - begin);
  }
  void add(int32_t s, int32_t t, float conf, int32_t ver, int32_t prov, std::string_view why) {
    source.push_back(s), target.push_back(t), confidence.push_back(conf);
    version.push_back(ver), provenance.push_back(prov);
    reason_bytes.append(why);
    reason_end.push_back(static_cast<int64_t>(reason_bytes.size()));
  }
};

// Substitutable edges: entities whose items one user clicked in one session. Undirected, stored
// in both directions (a→b and b→a with the same count and weight) so a source's row lists all its
// substitutes.
struct SubstituteEdges {
  std::vector<int32_t> source, target;
  std::vector<int32_t> count;  // sessions in which both were clicked
  std::vector<float> weight;   // count / sqrt(sessions(source) · sessions(target)), in (0, 1]

  size_t size() const { return source.size(); }
  void add(int32_t s, int32_t t, int32_t n, float w) {
    source.push_back(s), target.push_back(t), count.push_back(n), weight.push_back(w);
  }
};

// Membership entity → items, ranked: within a source the writer orders items by clicks
// (descending), then by item index.
struct MemberEdges {
  std::vector<int32_t> source, item;
  std::vector<int64_t> clicks;  // clicks of the item over all exposures

  size_t size() const { return source.size(); }
  void add(int32_t e, int32_t i, int64_t c) {
    source.push_back(e), item.push_back(i), clicks.push_back(c);
  }
};

}  // namespace kerec::graph
