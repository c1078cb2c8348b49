// The whole world in memory: what every rank builds identically from the config, and the user
// behaviour model (interests, click and conversion probabilities) that generates the logs. The
// simulated A/B test reuses it to draw clicks for slates the world never logged.
#pragma once

#include <array>
#include <cstdint>

#include "kerec/world/items.h"
#include "kerec/world/relations.h"
#include "kerec/world/sampling.h"
#include "kerec/world/taxonomy.h"
#include "kerec/world/world.h"

namespace kerec::world {

struct WorldModel {
  WorldConfig config;
  WorldSizes sizes{};
  Taxonomy taxonomy;
  ComplementGraph complements;
  Catalog catalog;
  Cumulative entity_by_popularity;
  Cumulative category_by_popularity;           // sum of its entities' popularity
  std::vector<Cumulative> entity_in_category;  // by popularity
  std::vector<Cumulative> related_category;    // affinity row incl. 1.0 on the diagonal
};

// Validates the config, then builds taxonomy, complements and catalogue. Deterministic.
WorldModel build_world_model(const WorldConfig& config);

// A user's latent profile, from the stream ("user", id).
struct UserProfile {
  int64_t id = 0;
  int interests = 0;                    // entries used in the arrays below
  std::array<int16_t, 8> categories{};  // interest categories, distinct
  std::array<double, 8> weights{};      // interest weights, sum 1
  double activity = 1;                  // lognormal, mean 1: scales exposures and outside bills
  double click_bias = 0;                // added to the click logit

  // Interest in a category relative to the user's strongest one, in [0, 1]; 0 when none.
  double interest_in(int category) const;
  int sample_category(Rng& rng) const;
};
UserProfile make_user(const WorldModel& world, int64_t id);

enum class Scene : uint8_t { kHome, kSearch, kPostPayment };
const char* scene_name(Scene scene);

// A user's recent bills (entity, unix seconds), newest last, at most 16, none older than the
// complement window.
class PurchaseMemory {
 public:
  void clear() { size_ = 0; }
  void add(int32_t entity, int64_t ts, double window_h);
  int size() const { return size_; }
  int32_t entity(int i) const { return entities_[i]; }
  // A remembered entity billed within `window_h` before `ts`, uniformly; -1 if none.
  int32_t recent_entity(int64_t ts, double window_h, Rng& rng) const;
  // max over remembered bills a of strength(a -> b) * 0.5^(hours since the bill / half-life);
  // 0 when b complements none of them. The complementary boost's input.
  double complement_signal(const ComplementGraph& g, int32_t b, int64_t ts, double half_life_h,
                           double window_h) const;

 private:
  static constexpr int kCapacity = 16;
  std::array<int32_t, kCapacity> entities_{};
  std::array<int64_t, kCapacity> times_{};
  int size_ = 0;
};

// P(click | exposure): logistic(click_bias + interest + quality + price + user bias + search
// bonus + complement_boost * signal).
double click_probability(const WorldModel& w, const UserProfile& user, const Item& item,
                         Scene scene, double complement_signal);
// P(conversion | click): logistic(conversion_bias + price + conversion_complement_boost * signal).
double conversion_probability(const WorldModel& w, const Item& item, double complement_signal);

}  // namespace kerec::world
