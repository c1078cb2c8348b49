// Entities: product concepts composed from the lexicon, with dictionary aliases, unseen aliases,
// Zipf popularity, a typical price, substitute groups and per-category brands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/world/lexicon.h"
#include "kerec/world/text.h"
#include "kerec/world/world.h"

namespace kerec::world {

struct Entity {
  int32_t id = 0;
  int32_t category = 0;
  int32_t head = 0;   // Lexicon::heads index
  int32_t level = 0;  // number of modifiers in the name (0: the head itself)
  std::string name;
  std::vector<std::string> aliases;  // in the Entity Dict
  std::vector<std::string> unseen;   // never in the Entity Dict; used in titles and bills only
  double popularity = 0;             // share of traffic; sums to 1 over entities
  double price_median = 0;           // currency units
  int32_t substitute_group = -1;     // -1: none
};

struct Taxonomy {
  const Lexicon* lex = nullptr;
  std::vector<Entity> entities;
  DictIndex dict{false};                                // names and aliases of all entities
  std::vector<std::vector<int32_t>> head_entities;      // per lexicon head, ascending ids
  std::vector<std::vector<int32_t>> category_entities;  // per category, ascending ids
  std::vector<std::vector<int32_t>> substitute_groups;  // members, ascending ids
  std::vector<std::vector<std::string>> brands;         // per category
};

// Deterministic in (config.seed, config.language, sizes.entities). Throws ConfigError
// ("world.entities") when the lexicon cannot name that many distinct entities.
Taxonomy build_taxonomy(const WorldConfig& config, const WorldSizes& sizes);

// How many distinct entity names the lexicon can compose (heads with up to three modifiers).
int64_t entity_capacity(const Lexicon& lex);

}  // namespace kerec::world
