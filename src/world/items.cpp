#include "kerec/world/items.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kerec/world/sampling.h"

namespace kerec::world {

// Entity of each item: one per entity first, the rest by weight, then shuffled. anchor[i] marks
// the first item of its entity in the shuffled order.
static std::vector<int32_t> assign_entities(const Taxonomy& t, const WorldConfig& config,
                                            int64_t items, std::vector<bool>& anchor) {
  Cumulative weights;
  const double power =
      config.zipf_exponent > 0 ? config.item_zipf_exponent / config.zipf_exponent : 0.0;
  for (const Entity& e : t.entities) weights.add(std::pow(e.popularity, power));
  std::vector<int32_t> entity_of(static_cast<size_t>(items));
  Rng rng(config.seed, "item_entities");
  for (size_t i = 0; i < entity_of.size(); ++i) {
    entity_of[i] =
        i < t.entities.size() ? static_cast<int32_t>(i) : static_cast<int32_t>(weights.sample(rng));
  }
  shuffle_in_place(entity_of, rng);
  std::vector<bool> seen(t.entities.size(), false);
  anchor.assign(entity_of.size(), false);
  for (size_t i = 0; i < entity_of.size(); ++i) {
    if (!seen[entity_of[i]]) seen[entity_of[i]] = anchor[i] = true;
  }
  return entity_of;
}

static Item make_item(const Taxonomy& t, const WorldConfig& config, const WorldSizes& sizes,
                      int64_t id, int32_t entity, bool anchor) {
  Rng rng(config.seed, "item", static_cast<uint64_t>(id));
  const Entity& e = t.entities[entity];
  Item item;
  item.id = id;
  item.entity = entity;
  const int64_t history_s = config.item_history_days * 86400;
  item.cold_start = !anchor && rng.bernoulli(config.cold_start_item_share);
  if (anchor) {
    item.created_at =
        sizes.start_ts - rng.uniform_range(86400, std::max<int64_t>(86400, history_s));
  } else if (item.cold_start) {
    item.created_at = rng.uniform_range(sizes.train_end_ts, sizes.end_ts - 1);
  } else {
    item.created_at = rng.uniform_range(sizes.start_ts - history_s, sizes.train_end_ts - 1);
  }
  item.brand = static_cast<int32_t>(rng.uniform_int(t.brands[e.category].size()));
  item.price = std::max(
      0.01, std::round(e.price_median * rng.lognormal(0.0, config.price_sigma) * 100) / 100);
  item.quality = rng.normal();
  const MentionRates rates{config.title_alias_rate, config.title_misspelling_rate,
                           config.title_unseen_alias_rate, config.typo_mix()};
  Mention m = draw_mention(t, e, rates, rng);
  item.kind = m.kind;
  item.title = compose_title(t, e, t.brands[e.category][item.brand], m.text, rng);
  return item;
}

static void index_by_entity(Catalog& c, size_t entities, const WorldConfig& config) {
  c.offsets.assign(entities + 1, 0);
  for (const Item& it : c.items) ++c.offsets[it.entity + 1];
  for (size_t e = 1; e <= entities; ++e) c.offsets[e] += c.offsets[e - 1];
  c.by_entity.resize(c.items.size());
  std::vector<int64_t> fill(c.offsets.begin(), c.offsets.end() - 1);
  for (const Item& it : c.items) c.by_entity[fill[it.entity]++] = it.id;
  c.created_at.resize(c.items.size());
  c.cum_weight.resize(c.items.size());
  c.first_cold.resize(entities);
  for (size_t e = 0; e < entities; ++e) {
    const auto begin = c.by_entity.begin() + c.offsets[e],
               end = c.by_entity.begin() + c.offsets[e + 1];
    std::sort(begin, end, [&](int64_t a, int64_t b) {
      return std::make_pair(c.items[a].created_at, a) < std::make_pair(c.items[b].created_at, b);
    });
    double total = 0;
    c.first_cold[e] = c.offsets[e + 1];
    for (int64_t k = c.offsets[e]; k < c.offsets[e + 1]; ++k) {
      const Item& it = c.items[c.by_entity[k]];
      c.created_at[k] = it.created_at;
      c.cum_weight[k] = total += std::exp(config.item_quality_exposure_weight * it.quality);
      if (it.cold_start) c.first_cold[e] = std::min(c.first_cold[e], k);
    }
  }
}

Catalog build_catalog(const Taxonomy& t, const WorldConfig& config, const WorldSizes& sizes) {
  std::vector<bool> anchor;
  const std::vector<int32_t> entity_of = assign_entities(t, config, sizes.items, anchor);
  Catalog c;
  c.items.reserve(entity_of.size());
  for (size_t i = 0; i < entity_of.size(); ++i) {
    c.items.push_back(
        make_item(t, config, sizes, static_cast<int64_t>(i), entity_of[i], anchor[i]));
  }
  index_by_entity(c, t.entities.size(), config);
  return c;
}

size_t Catalog::available(int32_t entity, int64_t ts) const {
  const auto begin = created_at.begin() + offsets[entity],
             end = created_at.begin() + offsets[entity + 1];
  return static_cast<size_t>(std::upper_bound(begin, end, ts) - begin);
}

int64_t Catalog::sample_available(int32_t entity, size_t n, Rng& rng) const {
  const int64_t off = offsets[entity];
  const double u = rng.uniform() * cum_weight[off + n - 1];
  const auto begin = cum_weight.begin() + off;
  const size_t k =
      std::min(static_cast<size_t>(std::upper_bound(begin, begin + n, u) - begin), n - 1);
  return by_entity[off + k];
}

size_t Catalog::cold_available(int32_t entity, size_t n) const {
  const int64_t end = offsets[entity] + static_cast<int64_t>(n);
  return end > first_cold[entity] ? static_cast<size_t>(end - first_cold[entity]) : 0;
}

}  // namespace kerec::world
