// The user simulation: one user's bills and exposures over the logged period, in time order.
//
// Per user, from the stream ("user_events", id): planned home/search sessions and outside
// purchases at uniform times; every bill (outside or from a conversion) may open a post-payment
// session. Each exposure is chosen by the logging policy and clicked/converted by the behaviour
// model of model.h; a conversion becomes an in-app order bill minutes later.
#pragma once

#include <cstdint>
#include <vector>

#include "kerec/io/tsv.h"
#include "kerec/world/mention.h"
#include "kerec/world/model.h"

namespace kerec::world {

// A gold bill mention; `row` counts this writer's bill rows from 0.
struct BillMention {
  int64_t row = 0;
  int32_t start_cp = 0, end_cp = 0;
  int32_t entity = 0;
  MentionKind kind = MentionKind::kName;
};

// The logging policy's source of an exposure (truth/exposures.tsv `channel`): the search query's
// entity or one of its substitutes, the complementary channel (right or wrong), global popularity,
// the user's interests, or an interest-matched retry after the chosen entity had no item.
enum class Channel : uint8_t {
  kSearch,
  kSubstitute,
  kComplementary,
  kPopular,
  kInterest,
  kFallback,
  kSlate
};
const char* channel_name(Channel channel);

// The simulated A/B test's hook (docs/ab.md). From `from_ts` on, every home and post-payment
// session shows the slate a SlatePolicy returns when the session starts, instead of the logging
// policy's items; everything else (planned sessions, searches, outside purchases, the behaviour
// model) stays the world's. The policy hears of every bill and exposure of the user, before
// from_ts too, so it can keep the user's state as a recommender would.
//
// Common random numbers: inside slate sessions, the click and conversion draws of an item, the
// order's quantity and delay, and the session's step times come from streams keyed by (crn_seed,
// user, session start, item or step), not from the user's sequential stream; two policies that
// show the same item in the same session draw the same numbers for it.
struct SlateRequest {
  int64_t user_id = 0, ts = 0;
  Scene scene = Scene::kHome;
  int32_t trigger_entity = -1;  // post-payment: the bill's true entity
  int32_t size = 0;             // the session's exposures: the slate's length
};

struct ExposureOutcome {
  int64_t user_id = 0, ts = 0, item_id = 0;
  Scene scene = Scene::kHome;
  int64_t session_ts = 0;  // the slate's request time (slate sessions)
  int32_t slate = -1;      // slate sessions: this user's slate, counted from 0 in request order
  double p_click = 0, p_convert = 0;  // p_convert: given a click
  bool clicked = false, converted = false;
  double amount = 0;      // price x quantity when converted
  bool by_slate = false;  // shown by the policy's slate (else by the logging policy)
};

class SlatePolicy {
 public:
  virtual ~SlatePolicy() = default;
  // World item ids, at most r.size, shown in this order.
  virtual std::vector<int64_t> slate(const SlateRequest& r) = 0;
  // Every bill of the user in time order: its text as bills.tsv would hold it, the true entity and
  // the item bought (-1: an outside purchase without one).
  virtual void on_bill(int64_t user_id, int64_t ts, const std::string& text, int32_t entity,
                       int64_t item_id) = 0;
  virtual void on_exposure(const ExposureOutcome& e) = 0;
};

struct PolicyHook {
  SlatePolicy* policy = nullptr;  // null: the logging policy throughout (world generation)
  int64_t from_ts = 0;
  uint64_t crn_seed = 0;
};

// Where one rank's users go: bills.tsv rows, exposures.tsv rows and their truth rows (no headers),
// bill mentions and the counts of the summary. Any writer may be null (nothing written; with bills
// null, no mentions either).
struct SimulationOutput {
  io::TsvWriter* bills = nullptr;
  io::TsvWriter* exposures = nullptr;
  io::TsvWriter* exposure_truth = nullptr;
  std::vector<BillMention> mentions;
  WorldSummary counts;
};

class UserSimulator {
 public:
  explicit UserSimulator(const WorldModel& world, PolicyHook hook = {});
  // Appends user `id`'s rows to `out`. Users must be simulated in ascending id order per output.
  void simulate(int64_t id, SimulationOutput& out);

 private:
  struct Event {
    int64_t ts;
    uint32_t seq;
    uint8_t kind;  // EventKind
    Scene scene;
    int16_t remaining;   // session exposures still to come (this one included); order quantity
    int32_t entity;      // search query / post-payment trigger / bill entity; -1 none
    int64_t item;        // order bills
    double amount;       // order bills
    int32_t slate = -1;  // slate sessions: index into slates_
    int16_t pos = 0;     // slate sessions: position of this step's item
    uint8_t keyed = 0;   // an order from a slate session: its draws come from a keyed stream
  };
  struct Slate {
    int64_t ts;
    std::vector<int64_t> items;
  };
  void push(Event e);
  void start_sessions(const UserProfile& user, Rng& rng);
  void session_step(const Event& e, const UserProfile& user, Rng& rng, SimulationOutput& out);
  void slate_step(const Event& e, const UserProfile& user, SimulationOutput& out);
  bool slate_session(const Event& e) const;
  // The click and conversion draws: from `rng` (logging policy) or keyed (slate sessions).
  void expose_slate(const Event& e, const UserProfile& user, int64_t item_id,
                    SimulationOutput& out);
  void expose(const Event& e, const UserProfile& user, int64_t item_id, Channel channel, Rng& rng,
              SimulationOutput& out);
  void outside_bill(const Event& e, const UserProfile& user, Rng& rng, SimulationOutput& out);
  void order_bill(const Event& e, Rng& rng, SimulationOutput& out);
  // Writes a bill row and its gold mention, remembers the purchase and may open a post-payment
  // session. `item_id` (or -1) gives the brand.
  void write_bill(int64_t ts, int32_t entity, int64_t item_id, double amount, int64_t quantity,
                  bool in_app, Rng& rng, SimulationOutput& out);

  int32_t interest_entity(const UserProfile& user, Rng& rng) const;
  int32_t complementary_entity(int32_t a, Rng& rng) const;
  int32_t policy_entity(const Event& e, const UserProfile& user, Rng& rng, Channel& channel);
  int64_t policy_item(int32_t entity, int64_t ts, Rng& rng) const;

  const WorldModel& w_;
  PolicyHook hook_;
  std::vector<Slate> slates_;  // this user's slates
  std::vector<Event> heap_;    // min-heap on (ts, seq), reused across users
  uint32_t seq_ = 0;
  PurchaseMemory memory_;
  int64_t user_id_ = 0;
};

}  // namespace kerec::world
