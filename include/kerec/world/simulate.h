// The user simulation: one user's bills and exposures over the logged period, in time order.
//
// Per user, from the stream ("user_events", id): planned home/search sessions and outside
// purchases at uniform times; every bill (outside or from a conversion) may open a post-payment
// session. Each exposure is chosen by the logging policy and clicked/converted by the behaviour
// model of model.h; a conversion becomes an in-app order bill minutes later.
#pragma once

#include <cstdint>
#include <vector>

#include "kerec/world/mention.h"
#include "kerec/world/model.h"
#include "kerec/io/tsv.h"

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
enum class Channel : uint8_t { kSearch, kSubstitute, kComplementary, kPopular, kInterest, kFallback };
const char* channel_name(Channel channel);

// Where one rank's users go: bills.tsv rows, exposures.tsv rows and their truth rows (no headers),
// bill mentions and the counts of the summary. `exposure_truth` may be null.
struct SimulationOutput {
  io::TsvWriter* bills = nullptr;
  io::TsvWriter* exposures = nullptr;
  io::TsvWriter* exposure_truth = nullptr;
  std::vector<BillMention> mentions;
  WorldSummary counts;
};

class UserSimulator {
 public:
  explicit UserSimulator(const WorldModel& world);
  // Appends user `id`'s rows to `out`. Users must be simulated in ascending id order per output.
  void simulate(int64_t id, SimulationOutput& out);

 private:
  struct Event {
    int64_t ts;
    uint32_t seq;
    uint8_t kind;  // EventKind
    Scene scene;
    int16_t remaining;  // session exposures still to come (this one included); order quantity
    int32_t entity;     // search query / post-payment trigger / bill entity; -1 none
    int64_t item;       // order bills
    double amount;      // order bills
  };
  void push(Event e);
  void start_sessions(const UserProfile& user, Rng& rng);
  void session_step(const Event& e, const UserProfile& user, Rng& rng, SimulationOutput& out);
  void expose(const Event& e, const UserProfile& user, int64_t item_id, Channel channel,
              Rng& rng, SimulationOutput& out);
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
  std::vector<Event> heap_;  // min-heap on (ts, seq), reused across users
  uint32_t seq_ = 0;
  PurchaseMemory memory_;
  int64_t user_id_ = 0;
};

}  // namespace kerec::world
