// The catalogue: items of entities with brands, prices, latent quality, creation times and titles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/world/mention.h"
#include "kerec/world/taxonomy.h"

namespace kerec::world {

struct Item {
  int64_t id = 0;
  int32_t entity = 0;
  int32_t brand = 0;        // index into Taxonomy::brands[category]
  double price = 0;         // currency units, 2 decimals
  double quality = 0;       // latent, standard normal; never written to the data files
  int64_t created_at = 0;   // unix seconds
  bool cold_start = false;  // created in the test period
  SpanText title;
  MentionKind kind = MentionKind::kName;
};

// Items plus, per entity, its items ordered by created_at (cold-start items form a suffix) with
// cumulative exposure weights exp(item_quality_exposure_weight * quality) for the logging policy.
struct Catalog {
  std::vector<Item> items;
  std::vector<int64_t> offsets;     // size entities + 1, into by_entity
  std::vector<int64_t> by_entity;   // item ids
  std::vector<int64_t> created_at;  // parallel to by_entity
  std::vector<double> cum_weight;   // parallel to by_entity, restarting at each entity
  std::vector<int64_t> first_cold;  // per entity: position in by_entity of its first cold item

  // Number of the entity's items created at or before `ts`.
  size_t available(int32_t entity, int64_t ts) const;
  // An available item (available(entity, ts) >= 1) drawn by exposure weight.
  int64_t sample_available(int32_t entity, size_t available, Rng& rng) const;
  // Available cold-start items of the entity are by_entity[first_cold[e], offsets[e] + available).
  size_t cold_available(int32_t entity, size_t available) const;
};

// Every entity gets one item created before the log starts; the rest are spread by entity
// popularity^(item_zipf_exponent / zipf_exponent). A cold_start_item_share of the others are
// created in the test period.
Catalog build_catalog(const Taxonomy& t, const WorldConfig& config, const WorldSizes& sizes);

}  // namespace kerec::world
