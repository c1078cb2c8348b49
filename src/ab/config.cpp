#include "kerec/ab/config.h"

namespace kerec::ab {

void AbConfig::bind(config::Binder& b) {
  using I = config::Range<int64_t>;
  b.key("arms", arms,
        "arms beside the baseline: llm_kerec (U2E2I recall + integrated ranker), no_u2e2i "
        "(integrated ranker, baseline channels), raw_edges (U2E2I over the LLM's edges by "
        "confidence, no learned "
        "weights), truth_graph (U2E2I over the world's true complements: the upper bound)",
        config::Choices{"llm_kerec", "no_u2e2i", "raw_edges", "truth_graph"});
  b.key("aa", aa,
        "also run the baseline against itself with another random-number seed (its interval must "
        "cover 0)");
  b.key("crn_seed", crn_seed, "seed of the common random numbers every arm shares",
        I{0, INT64_MAX});
  b.key("bootstrap_replicates", bootstrap_replicates,
        "replicates of the paired Poisson bootstrap over users", I{20, 100000});
  b.key("confidence", confidence, "level of the uplift intervals",
        config::Range<double>{0.5, 0.999});
  b.key("per_channel", per_channel, "candidates each recall channel contributes to a slate's merge",
        I{1, 1 << 20});
  b.key("items_per_entity", items_per_entity, "items a channel takes from each entity it reaches",
        I{1, 1 << 20});
}

}  // namespace kerec::ab
