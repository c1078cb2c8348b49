// The hidden truth of complementarity: directed entity->entity edges with strengths in (0, 1].
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kerec/world/taxonomy.h"

namespace kerec::world {

// CSR by source entity; targets ascending within a source. Strengths are rounded to 4 decimals
// (what complements.tsv holds is exactly what the behaviour model uses).
struct ComplementGraph {
  std::vector<int64_t> offsets;  // size entities + 1
  std::vector<int32_t> targets;
  std::vector<double> strengths;

  size_t edges() const { return targets.size(); }
  std::span<const int32_t> targets_of(int32_t a) const {
    return {targets.data() + offsets[a], targets.data() + offsets[a + 1]};
  }
  std::span<const double> strengths_of(int32_t a) const {
    return {strengths.data() + offsets[a], strengths.data() + offsets[a + 1]};
  }
  // strength(a -> b), 0 when b is not a complement of a.
  double strength(int32_t a, int32_t b) const;
};

// Curated head-level complements (phone -> phone case) plus seeded long-tail ones drawn through
// the category affinity matrix, then weaker reverse edges for some pairs. No self edges and no
// edges inside a substitute group.
ComplementGraph build_complements(const Taxonomy& taxonomy, const WorldConfig& config);

}  // namespace kerec::world
