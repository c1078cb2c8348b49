// The building blocks of pair selection: segments by cumulative traffic share, the strategy
// matrix, category exclusions, and the hashes that make every choice a function of (a, b) alone,
// so the pair set does not depend on the rank count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kerec/pairs/config.h"

namespace kerec::pairs {

// An ordered pair a→b as one key: a in the high 32 bits, b in the low. Sorting keys sorts by (a,
// b).
inline uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}
inline int32_t key_a(uint64_t key) { return static_cast<int32_t>(key >> 32); }
inline int32_t key_b(uint64_t key) { return static_cast<int32_t>(key & 0xffffffffu); }

// The rank that owns pair `key` among `ranks` ranks (a hash of (a, b)).
int owner_of(uint64_t key, int ranks);
// Deterministic Bernoulli(rate) of (a, b) and seed: the same answer on every rank and rank count.
bool sampled(uint64_t key, uint64_t seed, double rate);

// Entities cut into segments by cumulative traffic share.
struct Segmentation {
  std::vector<int32_t> segment_of;  // by entity index
  std::vector<int64_t> sizes;       // entities per segment
  std::vector<int64_t> traffic;     // traffic per segment
  int segments() const { return static_cast<int>(sizes.size()); }
};

// Entities sorted by traffic (descending, ties by index); an entity goes to segment s = the number
// of boundaries <= the traffic share of the entities before it. So the first entity is always in
// segment 0, and with zero total traffic every entity is. `boundaries` increase in (0, 1).
Segmentation segment_by_traffic(std::span<const int64_t> traffic,
                                std::span<const double> boundaries);

// The strategy matrix as sampling rates: 1 "all", 0 "none", else "sample:R".
struct StrategyMatrix {
  int segments = 0;
  std::vector<double> rate;  // segments × segments, row = anchor segment
  double at(int anchor_segment, int target_segment) const {
    return rate[anchor_segment * segments + target_segment];
  }
};

// Category pairs a→b to drop, over category ids.
struct CategoryExclusions {
  int categories = 0;
  std::vector<uint8_t> excluded;  // categories × categories, row = anchor category
  bool at(int a_category, int b_category) const {
    return excluded[a_category * categories + b_category] != 0;
  }
};

// Checks every [pairs] key and the rules across keys; ConfigError naming the key otherwise.
void validate(const PairsConfig& config);
StrategyMatrix parse_strategy(const PairsConfig& config);
// `category_names` are the distinct categories (ids are positions). ConfigError naming
// pairs.exclude_categories for a malformed rule or an unknown category.
CategoryExclusions parse_exclusions(const PairsConfig& config,
                                    const std::vector<std::string>& category_names);

}  // namespace kerec::pairs
