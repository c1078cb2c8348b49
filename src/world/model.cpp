// Building the world model, user profiles and the click/conversion model.
#include "kerec/world/model.h"

#include <cmath>

namespace kerec::world {

static void build_samplers(WorldModel& w) {
  const Taxonomy& t = w.taxonomy;
  const size_t categories = t.lex->categories.size();
  for (const Entity& e : t.entities) w.entity_by_popularity.add(e.popularity);
  w.entity_in_category.resize(categories);
  w.related_category.resize(categories);
  for (size_t c = 0; c < categories; ++c) {
    double total = 0;
    for (int32_t id : t.category_entities[c]) {
      w.entity_in_category[c].add(t.entities[id].popularity);
      total += t.entities[id].popularity;
    }
    w.category_by_popularity.add(total);
    for (size_t to = 0; to < categories; ++to) {
      const double a = c == to ? 1.0 : t.lex->affinity[c][to];
      w.related_category[c].add(t.category_entities[to].empty() ? 0.0 : a);
    }
  }
}

WorldModel build_world_model(const WorldConfig& config) {
  config.validate();
  WorldModel w;
  w.config = config;
  w.sizes = world_sizes(config);
  w.taxonomy = build_taxonomy(config, w.sizes);
  w.complements = build_complements(w.taxonomy, config);
  w.catalog = build_catalog(w.taxonomy, config, w.sizes);
  build_samplers(w);
  return w;
}

// ---- users ----

double UserProfile::interest_in(int category) const {
  double best = 0, mine = 0;
  for (int i = 0; i < interests; ++i) {
    best = std::max(best, weights[i]);
    if (categories[i] == category) mine = weights[i];
  }
  return best > 0 ? mine / best : 0.0;
}

int UserProfile::sample_category(Rng& rng) const {
  double u = rng.uniform();
  for (int i = 0; i < interests - 1; ++i) {
    if ((u -= weights[i]) < 0) return categories[i];
  }
  return categories[interests - 1];
}

// Sparse Dirichlet-like interests: 1 + Poisson(mean - 1) categories drawn by popularity without
// replacement, weights exponential(1) normalised.
UserProfile make_user(const WorldModel& w, int64_t id) {
  const WorldConfig& c = w.config;
  Rng rng(c.seed, "user", static_cast<uint64_t>(id));
  UserProfile u;
  u.id = id;
  const int want =
      static_cast<int>(std::min<uint64_t>(1 + rng.poisson(c.interest_categories_mean - 1.0), 8));
  double total = 0;
  for (int tries = 0; u.interests < want && tries < 64; ++tries) {
    const auto cat = static_cast<int16_t>(w.category_by_popularity.sample(rng));
    bool dup = false;
    for (int i = 0; i < u.interests; ++i) dup |= u.categories[i] == cat;
    if (dup) continue;
    u.categories[u.interests] = cat;
    total += u.weights[u.interests++] = rng.exponential(1.0);
  }
  for (int i = 0; i < u.interests; ++i) u.weights[i] /= total;
  const double s = c.activity_sigma;
  u.activity = rng.lognormal(-0.5 * s * s, s);
  u.click_bias = rng.normal(0.0, c.user_click_bias_sd);
  return u;
}

const char* scene_name(Scene scene) {
  switch (scene) {
    case Scene::kHome:
      return "home";
    case Scene::kSearch:
      return "search";
    case Scene::kPostPayment:
      return "post_payment";
  }
  return "home";
}

// ---- purchase memory and the click model ----

void PurchaseMemory::add(int32_t entity, int64_t ts, double window_h) {
  const int64_t oldest = ts - static_cast<int64_t>(window_h * 3600.0);
  int kept = 0;
  for (int i = 0; i < size_; ++i) {
    if (times_[i] >= oldest) {
      entities_[kept] = entities_[i];
      times_[kept++] = times_[i];
    }
  }
  size_ = kept;
  if (size_ == kCapacity) {
    for (int i = 1; i < size_; ++i) entities_[i - 1] = entities_[i], times_[i - 1] = times_[i];
    --size_;
  }
  entities_[size_] = entity;
  times_[size_++] = ts;
}

int32_t PurchaseMemory::recent_entity(int64_t ts, double window_h, Rng& rng) const {
  const int64_t oldest = ts - static_cast<int64_t>(window_h * 3600.0);
  int first = 0;  // times_ ascend: bills are added in time order
  while (first < size_ && times_[first] < oldest) ++first;
  if (first == size_) return -1;
  return entities_[first + static_cast<int>(rng.uniform_int(static_cast<uint64_t>(size_ - first)))];
}

double PurchaseMemory::complement_signal(const ComplementGraph& g, int32_t b, int64_t ts,
                                         double half_life_h, double window_h) const {
  double best = 0;
  for (int i = 0; i < size_; ++i) {
    const double age_h = static_cast<double>(ts - times_[i]) / 3600.0;
    if (age_h < 0 || age_h > window_h) continue;
    const double s = g.strength(entities_[i], b);
    if (s > 0) best = std::max(best, s * std::exp2(-age_h / half_life_h));
  }
  return best;
}

static double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

static double log_price_ratio(const WorldModel& w, const Item& item) {
  return std::log(item.price / w.taxonomy.entities[item.entity].price_median);
}

double click_probability(const WorldModel& w, const UserProfile& user, const Item& item,
                         Scene scene, double complement_signal) {
  const WorldConfig& c = w.config;
  const int category = w.taxonomy.entities[item.entity].category;
  const double logit = c.click_bias + c.click_interest_weight * user.interest_in(category) +
                       c.click_quality_weight * item.quality +
                       c.click_price_weight * log_price_ratio(w, item) + user.click_bias +
                       (scene == Scene::kSearch ? c.click_search_bonus : 0.0) +
                       c.complement_boost * complement_signal;
  return logistic(logit);
}

double conversion_probability(const WorldModel& w, const Item& item, double complement_signal) {
  const WorldConfig& c = w.config;
  return logistic(c.conversion_bias + c.conversion_price_weight * log_price_ratio(w, item) +
                  c.conversion_complement_boost * complement_signal);
}

}  // namespace kerec::world
