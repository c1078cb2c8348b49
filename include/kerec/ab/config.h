// The [ab] section: the simulated online A/B test (`kerec ab`; docs/ab.md). Every key is
// documented in bind() (docs/config.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::ab {

struct AbConfig {
  // Arms besides the baseline: llm_kerec, no_u2e2i, raw_edges, truth_graph (see docs/ab.md).
  std::vector<std::string> arms = {"llm_kerec", "no_u2e2i", "raw_edges", "truth_graph"};
  bool aa = true;                      // also run the baseline with another seed (the A/A check)
  int64_t crn_seed = 1;                // seed of the common random numbers
  int64_t bootstrap_replicates = 400;  // paired Poisson bootstrap over users
  double confidence = 0.95;            // of the intervals
  int64_t per_channel = 50;            // candidates each recall channel contributes
  int64_t items_per_entity = 5;

  void bind(config::Binder& b);
};

}  // namespace kerec::ab
