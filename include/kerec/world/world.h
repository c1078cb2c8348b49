// The synthetic world: a catalogue, users and their logs with a known truth (docs/design.md §5).
//
// `generate_world` writes, into `config.dir`, the same input files a real user brings
// (items.tsv, bills.tsv, exposures.tsv, entities.tsv; docs/design.md §2.1) plus the truth under
// truth/ that only evaluation and the LLM simulator read. docs/world.md describes the model and
// every key.
#pragma once

#include <cstdint>
#include <string>

#include "kerec/config/binder.h"
#include "kerec/dist/comm.h"
#include "kerec/world/text.h"

namespace kerec::world {

// Every parameter of the world. Defaults are the demo scale. Counts are multiplied by `scale`.
struct WorldConfig {
  // Layout and size.
  std::string dir = "world";
  int64_t seed = 42;
  double scale = 1.0;
  std::string language = "en";
  int64_t entities = 2000;
  int64_t items = 50000;
  int64_t users = 20000;
  int64_t exposures = 1000000;
  int64_t days = 60;
  int64_t test_days = 14;
  int64_t start_ts = 1704067200;  // 2024-01-01T00:00:00Z
  int64_t item_history_days = 365;

  // Entities and relations.
  double zipf_exponent = 1.0;
  int64_t dict_aliases_max = 3;
  double random_complements_mean = 2.5;
  double cross_category_complement_share = 0.1;
  double reverse_complement_rate = 0.3;
  double reverse_strength_ratio_max = 0.4;

  // Items and texts.
  double item_zipf_exponent = 0.5;
  int64_t brands_per_category = 12;
  double price_sigma = 0.35;
  double cold_start_item_share = 0.05;
  double title_alias_rate = 0.2;
  double title_misspelling_rate = 0.05;
  double title_unseen_alias_rate = 0.08;
  double bill_alias_rate = 0.25;
  double bill_misspelling_rate = 0.08;
  double bill_unseen_alias_rate = 0.1;
  // The kinds of misspelling, as relative weights (text.h TypoMix), in both scripts.
  double typo_swap_weight = 1.0;
  double typo_drop_weight = 1.0;
  double typo_insert_weight = 1.0;
  double typo_substitute_weight = 1.0;

  // Users.
  double interest_categories_mean = 2.5;
  double activity_sigma = 1.0;
  double user_click_bias_sd = 0.3;

  // Logging policy (which items are exposed).
  double session_size_mean = 6.0;
  double search_session_share = 0.3;
  double popular_share = 0.2;
  double home_complement_share = 0.1;
  double post_payment_complement_share = 0.5;
  double policy_complement_precision = 0.5;
  double search_substitute_share = 0.3;
  double new_item_exposure_share = 0.15;
  double item_quality_exposure_weight = 0.5;
  double post_payment_session_rate = 0.3;
  double post_payment_session_size_mean = 3.0;

  // Click, conversion and purchase model.
  double click_bias = -4.2;
  double click_interest_weight = 1.5;
  double click_quality_weight = 0.5;
  double click_price_weight = -0.8;
  double click_search_bonus = 0.7;
  double complement_boost = 2.5;
  double complement_half_life_h = 48.0;
  double complement_window_h = 168.0;
  double conversion_bias = -2.0;
  double conversion_price_weight = -0.5;
  double conversion_complement_boost = 1.5;
  double outside_bills_per_user_day = 0.15;
  double outside_complement_follow_rate = 0.3;

  void bind(config::Binder& b);
  // Checks every key against its documented range and the cross-key rules (test_days < days,
  // mention rates sum to at most 1). Throws ConfigError naming the key as "world.<key>".
  void validate() const;
  TypoMix typo_mix() const {
    return {typo_swap_weight, typo_drop_weight, typo_insert_weight, typo_substitute_weight};
  }
};

// Counts after scaling. Every count is at least 1; items >= entities (each entity has an item).
struct WorldSizes {
  int64_t entities, items, users, exposures_target;
  int64_t start_ts, train_end_ts, end_ts;  // unix seconds; test period is [train_end_ts, end_ts)
};
WorldSizes world_sizes(const WorldConfig& config);

struct WorldSummary {
  int64_t entities = 0;
  int64_t items = 0;
  int64_t cold_start_items = 0;
  int64_t users = 0;
  int64_t bills = 0;
  int64_t outside_bills = 0;  // bills of purchases made outside the recommender
  int64_t exposures = 0;
  int64_t test_exposures = 0;           // ts >= train_end_ts
  int64_t cold_start_exposures = 0;     // exposures of cold-start items
  int64_t complementary_exposures = 0;  // chosen by the logging policy's complementary channel
  int64_t boosted_exposures = 0;        // item entity truly complements a recent bill entity
  int64_t clicks = 0;
  int64_t conversions = 0;
  int64_t complement_relations = 0;
  int64_t substitute_groups = 0;
  int64_t train_end_ts = 0;
};

// Collective: every rank calls it with the same config. Users are split over ranks in contiguous
// blocks; the files are byte-identical for any rank count. The world is built in `dir.staging`
// and renamed to `dir` (replacing an old one) only when complete. `dir` must be on a file system
// all ranks share. Throws ConfigError for a bad config (on every rank), the local error on a
// failing rank and RemoteError on the others.
WorldSummary generate_world(dist::Comm& comm, const WorldConfig& config);

}  // namespace kerec::world
