// One arm of the simulated A/B test (docs/ab.md): a recommender policy over serving.h5 that the
// world's user simulation asks for slates (world/simulate.h, SlatePolicy), keeping each user's
// state as a deployed recommender would — the bills it extracts, the entities of the clicks it
// sees — and summing the outcomes of its slates per user.
//
// Not thread-safe: one simulation thread per ArmPolicy and BillEntities.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/dist/counters.h"
#include "kerec/extract/extractor_file.h"
#include "kerec/recall/recommender.h"
#include "kerec/world/model.h"
#include "kerec/world/simulate.h"

namespace kerec::ab {

// Request slices (and one item slice) the figures are reported for (plain ints: they index arrays).
inline constexpr int kAll = 0, kWithRecentBill = 1, kWithoutRecentBill = 2, kHome = 3,
                     kPostPayment = 4, kColdStartItems = 5, kSlices = 6;
// Per slice: outcomes as sampled, and as expected values (sums of the true probabilities).
inline constexpr int kClicks = 0, kConversions = 1, kGmv = 2, kExpectedClicks = 3,
                     kExpectedConversions = 4, kExpectedGmv = 5, kMetrics = 6;
inline constexpr int kCells = kSlices * kMetrics;
using UserSums = std::array<double, kCells>;  // [slice * kMetrics + metric]
const char* slice_name(int slice);
const char* metric_name(int metric);

// World ids <-> serving.h5 indices (the synthetic world names items and entities by their index).
struct WorldIndex {
  std::vector<int32_t> serving_item;  // by world item id; -1 when serving.h5 lacks it
  std::vector<int64_t> world_item;    // by serving item index
  // InputError naming the id when serving.h5 names an item the world does not have.
  WorldIndex(const recall::ServingModel& model, const world::WorldModel& world);
};

// The bill extractor with a cache by text (the arms share the bills before the test period).
class BillEntities {
 public:
  explicit BillEntities(const extract::ExtractorData& data) : extractor_(data) {}
  const std::vector<int32_t>& of(const std::string& text);
  int64_t extracted() const { return extracted_; }

 private:
  extract::ServingExtractor extractor_;
  std::unordered_map<std::string, std::vector<int32_t>> cache_;
  int64_t extracted_ = 0;
};

struct ArmSpec {
  std::string name;
  bool u2e2i = true;
  recall::RecommenderParts parts;  // ranker and U2E2I graph (null: serving.h5's)
  uint64_t crn_seed = 1;
};

struct ArmCounters {
  int64_t requests = 0, requests_with_recent_bill = 0, slates_with_u2e2i = 0;
  int64_t items_shown = 0, u2e2i_items_shown = 0, short_slates = 0;
  static constexpr auto counters() {  // dist/counters.h: the report's names, summed over ranks
    using C = dist::Counter<ArmCounters>;
    return std::array{C{"requests", &ArmCounters::requests},
                      C{"requests_with_recent_bill", &ArmCounters::requests_with_recent_bill},
                      C{"slates_with_u2e2i", &ArmCounters::slates_with_u2e2i},
                      C{"items_shown", &ArmCounters::items_shown},
                      C{"u2e2i_items_shown", &ArmCounters::u2e2i_items_shown},
                      C{"short_slates", &ArmCounters::short_slates}};
  }
};

class ArmPolicy final : public world::SlatePolicy {
 public:
  ArmPolicy(const recall::ServingModel& model, const world::WorldModel& world,
            const WorldIndex& index, BillEntities& bills, ArmSpec spec,
            const recall::Request& base);

  // Forgets the previous user's state and sums.
  void begin_user(int64_t user_id);
  const UserSums& user_sums() const { return sums_; }
  const ArmCounters& counters() const { return counters_; }
  const ArmSpec& spec() const { return spec_; }

  std::vector<int64_t> slate(const world::SlateRequest& r) override;
  void on_bill(int64_t user_id, int64_t ts, const std::string& text, int32_t entity,
               int64_t item_id) override;
  void on_exposure(const world::ExposureOutcome& e) override;

 private:
  struct Session {
    bool recent_bill = false;
    world::Scene scene = world::Scene::kHome;
  };
  void add(int slice, const world::ExposureOutcome& e, double price);
  recall::UserState state(int64_t ts) const;

  const recall::ServingModel& m_;
  const world::WorldModel& world_;
  const WorldIndex& index_;
  BillEntities& bills_;
  ArmSpec spec_;
  recall::Recommender rec_;
  recall::Request base_;
  int32_t scene_buckets_;
  // The user's state: bills (entity, ts) oldest first, clicked entities oldest first.
  uint64_t user_key_ = 0;
  std::vector<std::pair<int32_t, int64_t>> bill_entities_;
  std::vector<int32_t> clicked_;
  std::vector<Session> sessions_;  // by slate, in request order (ExposureOutcome::slate)
  UserSums sums_{};
  ArmCounters counters_;
};

}  // namespace kerec::ab
