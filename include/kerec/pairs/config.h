// The [pairs] table of the job: how candidate entity pairs are chosen (docs/design.md §2.2 step 3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::pairs {

struct PairsConfig {
  // Popularity column that orders entities into segments and weights truth coverage.
  std::string measure = "bills";
  // Cumulative traffic shares where a segment ends, increasing in (0, 1): S-1 values, S segments.
  std::vector<double> segment_boundaries = {0.5, 0.8};
  std::vector<std::string> segment_names = {"head", "torso", "tail"};
  // S×S cells, row-major: cell (i, j) is the strategy for anchors of segment i and targets of
  // segment j: "all", "none" or "sample:R" with 0 < R < 1.
  std::vector<std::string> strategy = {"all",  "all",        "sample:0.2", "all", "sample:0.2",
                                       "none", "sample:0.2", "none",       "none"};
  int64_t sample_seed = 1;          // seed of the "sample:R" hash of (a, b)
  double cooccur_window_h = 168.0;  // b within this many hours after a in one user's bills
  int64_t cooccur_min_count = 1;    // times (a, b) must be seen; 0 turns co-occurrence off
  // "FROM>TO" category pairs whose a→b pairs are dropped; "*" matches any category.
  std::vector<std::string> exclude_categories = {};
  // A previous pairs.h5 or judge/verdicts.h5 whose pairs are dropped (incremental refresh); ""
  // none.
  std::string previous = "";
  // At most this many pairs go to the judge: the highest-priority ones (pairs/budget.h); 0: no
  // limit.
  int64_t max_pairs = 0;

  void bind(config::Binder& b);
};

}  // namespace kerec::pairs
