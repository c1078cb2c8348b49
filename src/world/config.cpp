// WorldConfig: the keys, their documentation and ranges, and validation.
#include <cmath>
#include <sstream>

#include "kerec/util/error.h"
#include "kerec/world/world.h"

namespace kerec::world {

using config::Choices;
using config::Range;
using R = Range<double>;
using I = Range<int64_t>;

static const R kShare{0.0, 1.0};
static const R kWeight{-20.0, 20.0};

void WorldConfig::bind(config::Binder& b) {
  b.key("dir", dir, "directory the world is written to (built in <dir>.staging, then renamed)");
  b.key("seed", seed, "seed of every random draw; same seed gives byte-identical files",
        I{0, INT64_MAX});
  b.key("scale", scale, "multiplies entities, items, users and exposures", R{1e-6, 1000.0});
  b.key("language", language, "language of names, titles and bills", Choices{"en", "zh"});
  b.key("entities", entities, "number of entities at scale 1 (capped by the lexicon's capacity)",
        I{1, 10000000});
  b.key("items", items, "number of items at scale 1 (at least one per entity)", I{1, 10000000000});
  b.key("users", users, "number of users at scale 1", I{1, 10000000000});
  b.key("exposures", exposures, "target number of exposures at scale 1 (all scenes)",
        I{0, 1000000000000});
  b.key("days", days, "length of the logged period in days", I{2, 3650});
  b.key("test_days", test_days, "the last test_days days are the test period (< days)", I{1, 3649});
  b.key("start_ts", start_ts, "unix time (s) at which the logged period starts", I{0, 4000000000});
  b.key("item_history_days", item_history_days,
        "items older than the log are created up to this many days before it", I{1, 36500});

  b.key("zipf_exponent", zipf_exponent, "entity popularity ~ 1/rank^zipf_exponent", R{0.0, 3.0});
  b.key("dict_aliases_max", dict_aliases_max, "most Entity Dict aliases per entity", I{0, 3});
  b.key("random_complements_mean", random_complements_mean,
        "mean number of non-curated complements per entity", R{0.0, 50.0});
  b.key("cross_category_complement_share", cross_category_complement_share,
        "share of non-curated complements drawn from any category", kShare);
  b.key("reverse_complement_rate", reverse_complement_rate,
        "probability that a->b also gets a (weaker) b->a", kShare);
  b.key("reverse_strength_ratio_max", reverse_strength_ratio_max,
        "b->a strength is a->b strength times U(0.05, this)", R{0.05, 1.0});

  b.key("item_zipf_exponent", item_zipf_exponent,
        "items per entity ~ 1/rank^item_zipf_exponent (beyond one each)", R{0.0, 3.0});
  b.key("brands_per_category", brands_per_category, "brands per category", I{1, 30});
  b.key("price_sigma", price_sigma, "item price = entity median price * lognormal(0, price_sigma)",
        R{0.0, 3.0});
  b.key("cold_start_item_share", cold_start_item_share, "share of items created in the test period",
        R{0.0, 0.9});
  b.key("title_alias_rate", title_alias_rate, "share of titles naming the entity by a dict alias",
        kShare);
  b.key("title_misspelling_rate", title_misspelling_rate,
        "share of titles with a misspelt entity name", kShare);
  b.key("title_unseen_alias_rate", title_unseen_alias_rate,
        "share of titles using an alias absent from the dict", kShare);
  b.key("bill_alias_rate", bill_alias_rate, "share of bills naming the entity by a dict alias",
        kShare);
  b.key("bill_misspelling_rate", bill_misspelling_rate,
        "share of bills with a misspelt entity name", kShare);
  b.key("bill_unseen_alias_rate", bill_unseen_alias_rate,
        "share of bills using an alias absent from the dict", kShare);
  b.key("typo_swap_weight", typo_swap_weight,
        "relative weight of misspellings that swap two adjacent letters or characters "
        "(葡萄杯酒 for 葡萄酒杯)",
        R{0.0, 1e6});
  b.key("typo_drop_weight", typo_drop_weight,
        "relative weight of misspellings that leave one letter or character out (瑜垫 for 瑜伽垫)",
        R{0.0, 1e6});
  b.key("typo_insert_weight", typo_insert_weight,
        "relative weight of misspellings that add one (a doubled letter; a doubled or look-alike "
        "character)",
        R{0.0, 1e6});
  b.key("typo_substitute_weight", typo_substitute_weight,
        "relative weight of misspellings that replace one (a keyboard neighbour; a look-alike or "
        "sound-alike character)",
        R{0.0, 1e6});

  b.key("interest_categories_mean", interest_categories_mean,
        "mean number of categories a user is interested in", R{1.0, 20.0});
  b.key("activity_sigma", activity_sigma, "user activity ~ lognormal with mean 1 and this sigma",
        R{0.0, 3.0});
  b.key("user_click_bias_sd", user_click_bias_sd, "sd of the per-user click logit offset",
        R{0.0, 3.0});

  b.key("session_size_mean", session_size_mean, "mean exposures per home/search session",
        R{1.0, 100.0});
  b.key("search_session_share", search_session_share, "share of planned sessions that are searches",
        kShare);
  b.key("popular_share", popular_share, "home exposures drawn by global popularity", kShare);
  b.key("home_complement_share", home_complement_share,
        "home exposures from the complementary channel", kShare);
  b.key("post_payment_complement_share", post_payment_complement_share,
        "post-payment exposures from the complementary channel", kShare);
  b.key("policy_complement_precision", policy_complement_precision,
        "probability the complementary channel picks a true complement", kShare);
  b.key("search_substitute_share", search_substitute_share,
        "search exposures showing a substitute of the query entity", kShare);
  b.key("new_item_exposure_share", new_item_exposure_share,
        "test-period exposures forced onto available cold-start items", kShare);
  b.key("item_quality_exposure_weight", item_quality_exposure_weight,
        "item exposure weight ~ exp(this * quality)", R{0.0, 5.0});
  b.key("post_payment_session_rate", post_payment_session_rate,
        "probability a bill opens a post-payment session", kShare);
  b.key("post_payment_session_size_mean", post_payment_session_size_mean,
        "mean exposures per post-payment session", R{1.0, 50.0});

  b.key("click_bias", click_bias, "click logit intercept", kWeight);
  b.key("click_interest_weight", click_interest_weight,
        "click logit weight of the user's interest in the category", kWeight);
  b.key("click_quality_weight", click_quality_weight,
        "click logit weight of item quality (standard normal)", kWeight);
  b.key("click_price_weight", click_price_weight,
        "click logit weight of log(price / entity median)", kWeight);
  b.key("click_search_bonus", click_search_bonus, "click logit bonus in the search scene", kWeight);
  b.key("complement_boost", complement_boost,
        "click logit boost per unit of strength(a->b) * decay", R{0.0, 20.0});
  b.key("complement_half_life_h", complement_half_life_h,
        "half-life (hours) of the boost after the bill of a", R{0.01, 100000.0});
  b.key("complement_window_h", complement_window_h, "bills older than this (hours) give no boost",
        R{0.0, 100000.0});
  b.key("conversion_bias", conversion_bias, "conversion logit intercept (given a click)", kWeight);
  b.key("conversion_price_weight", conversion_price_weight,
        "conversion logit weight of log(price / entity median)", kWeight);
  b.key("conversion_complement_boost", conversion_complement_boost,
        "conversion logit boost per unit of strength * decay", R{0.0, 20.0});
  b.key("outside_bills_per_user_day", outside_bills_per_user_day,
        "purchases outside the recommender per user-day (times activity)", R{0.0, 100.0});
  b.key("outside_complement_follow_rate", outside_complement_follow_rate,
        "outside purchase that is a complement of a recent bill", kShare);
}

// A Binder that checks every value against its declared range or choices.
class CheckBinder : public config::Binder {
 public:
  void key(std::string_view name, bool&, std::string_view) override {}
  void key(std::string_view name, int64_t& v, std::string_view, I range) override {
    if (v < range.min || v > range.max) bad(name, v, range.min, range.max);
  }
  void key(std::string_view name, double& v, std::string_view, R range) override {
    if (!(v >= range.min && v <= range.max)) bad(name, v, range.min, range.max);
  }
  void key(std::string_view name, std::string& v, std::string_view,
           const Choices& choices) override {
    for (const std::string& c : choices)
      if (c == v) return;
    if (!choices.empty())
      throw ConfigError("key 'world." + std::string(name) + "': '" + v + "' is not allowed");
  }
  void key(std::string_view, std::vector<double>&, std::string_view, R) override {}
  void key(std::string_view, std::vector<int64_t>&, std::string_view, I) override {}
  void key(std::string_view, std::vector<std::string>&, std::string_view, const Choices&) override {
  }

 protected:
  void enter(std::string_view, std::string_view) override {}
  void leave() override {}

 private:
  template <class T>
  [[noreturn]] static void bad(std::string_view name, T v, T lo, T hi) {
    std::ostringstream m;
    m << "key 'world." << name << "': " << v << " is outside [" << lo << ", " << hi << "]";
    throw ConfigError(m.str());
  }
};

static void check_rates(const char* prefix, double alias, double misspelling, double unseen) {
  if (alias + misspelling + unseen > 1.0 + 1e-12)
    throw ConfigError(std::string("keys 'world.") + prefix +
                      "_*_rate': alias + misspelling + unseen alias rates exceed 1");
}

void WorldConfig::validate() const {
  WorldConfig copy = *this;
  CheckBinder checker;
  copy.bind(checker);
  if (test_days >= days) throw ConfigError("key 'world.test_days': must be less than world.days");
  check_rates("title", title_alias_rate, title_misspelling_rate, title_unseen_alias_rate);
  check_rates("bill", bill_alias_rate, bill_misspelling_rate, bill_unseen_alias_rate);
  if (typo_swap_weight + typo_drop_weight + typo_insert_weight + typo_substitute_weight <= 0)
    throw ConfigError("keys 'world.typo_*_weight': at least one must be positive");
}

static int64_t scaled(int64_t n, double scale) {
  return std::max<int64_t>(1, std::llround(static_cast<double>(n) * scale));
}

WorldSizes world_sizes(const WorldConfig& c) {
  WorldSizes s;
  s.entities = scaled(c.entities, c.scale);
  s.items = std::max(scaled(c.items, c.scale), s.entities);
  s.users = scaled(c.users, c.scale);
  s.exposures_target = std::llround(static_cast<double>(c.exposures) * c.scale);
  s.start_ts = c.start_ts;
  s.end_ts = c.start_ts + c.days * 86400;
  s.train_end_ts = s.end_ts - c.test_days * 86400;
  return s;
}

}  // namespace kerec::world
