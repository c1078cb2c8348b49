// The [graph] table of the job: how graph.h5 is built (docs/design.md §2.2 step 5,
// docs/artifacts.md).
#pragma once

#include <cstdint>
#include <string>

#include "kerec/config/binder.h"

namespace kerec::graph {

struct GraphConfig {
  // A "yes" verdict becomes a complementary edge when its confidence is at least this.
  double min_confidence = 0.5;
  // Shards of graph.h5 (contiguous source ranges balanced by edge count); 0 = the number of ranks.
  int64_t shards = 0;
  // Substitutable graph: a user's clicks more than this many minutes apart start a new session.
  double session_gap_min = 30.0;
  // Substitutable graph: an entity pair needs this many sessions with clicks on items of both.
  int64_t substitute_min_support = 2;
  // A previous graph.h5 to refresh: its edges are kept with their versions, new verdicts are
  // merged, and the version goes up by one. "" builds version 1 from the verdicts alone.
  std::string previous = "";
  // zlib level of the integer arrays (1 fastest ... 9 smallest); 0 stores them uncompressed.
  int64_t deflate_level = 1;

  void bind(config::Binder& b);
};

}  // namespace kerec::graph
