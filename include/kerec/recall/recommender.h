// Recall and ranking over a ServingModel (recall/serving.h): the recommender's channels, their
// merge and the integrated ranker's order, with an explanation for every complementary result.
//
// Channels (each returns up to n items, best first, no repeats):
//  - u2e2i: the user's recent bill entities a (at most trigger_window_h old) → their complements b
//    by learned boost w(a, b) · r(age) → b's items by training clicks. The paper's complementary
//    recall channel; every result carries (a, b, w, the graph edge, hence the LLM's reason).
//  - popular: items by training clicks.
//  - interest: the entities of the user's past clicks, most recent first → their items.
//  - substitute: the substitutes (session co-clicks) of those entities → their items.
// The merge is the union (an item keeps the first channel in that order that proposed it, and its
// explanation), scored by the integrated ranker with the request's features; the top k are
// returned. Without U2E2I the other three channels share the same candidate budget (per_channel x 4
// / 3 each), so the two merges are compared at equal cost.
//
// Thread-safety: every method only reads the model (the ranker predicts without state), so any
// number of threads may call one Recommender at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kerec/recall/serving.h"

namespace kerec::recall {

enum class Channel : uint8_t { kU2E2I, kPopular, kInterest, kSubstitute };
inline constexpr int kChannels = 4;
const char* channel_name(Channel c);

// A bill before the request: its entity and how many hours before it was paid.
struct RecentBill {
  int32_t entity = 0;
  double age_h = 0;
};

// What the recommender knows of a user at request time.
struct UserState {
  uint64_t user_key = 0;                  // hash64(user_id): the ranker's user feature
  std::vector<RecentBill> bills;          // newest first
  std::vector<int32_t> clicked_entities;  // entities of past clicks, most recent first, distinct
};

struct Request {
  int64_t ts = 0;
  int32_t scene_bucket = 0;  // train::scene_bucket(scene, scene_hash_buckets)
  int64_t k = 50;
  int64_t per_channel = 50;      // candidates each channel contributes to the merge
  int64_t items_per_entity = 5;  // items taken from each entity a channel reaches
  bool u2e2i = true;             // false: the baseline's channels only
};

// Why a complementary item was recommended: the bill entity a, the complement b, the learned
// weight w(a, b), the boost w · r(age) and the graph edge (ServingModel::reason(edge)).
struct Explanation {
  int32_t bill_entity = -1, complement = -1;
  float weight = 0, boost = 0;
  int64_t edge = -1;
};

struct Candidate {
  int32_t item = 0;
  float score = 0;  // the channel's own score; after ranking, the ranker's click probability
  Channel channel = Channel::kPopular;
  Explanation why;  // channel u2e2i only
};

// Parts that replace the model's own (the A/B test's arms; docs/ab.md). Must outlive the
// Recommender.
struct RecommenderParts {
  const train::RankerModel* ranker = nullptr;              // null: model.ranker
  const train::ComplementWeights* recall_graph = nullptr;  // U2E2I's graph; null: model.complements
  // (the ranker's E-E-I features always come from model.complements, the weights it was trained
  // with; an Explanation's edge indexes the recall graph in use)
};

class Recommender {
 public:
  explicit Recommender(const ServingModel& model, RecommenderParts parts = {})
      : m_(model),
        ranker_(parts.ranker ? *parts.ranker : *model.ranker),
        recall_(parts.recall_graph ? *parts.recall_graph : model.complements) {}

  std::vector<Candidate> channel(Channel c, const UserState& user, const Request& req) const;
  // The merged, ranked top req.k. Entities outside the model in `user` are ignored.
  std::vector<Candidate> recommend(const UserState& user, const Request& req) const;

 private:
  std::vector<Candidate> u2e2i(const UserState& user, const Request& req) const;
  std::vector<Candidate> from_entities(const std::vector<int32_t>& entities, Channel c,
                                       const Request& req) const;
  void rank(std::vector<Candidate>& candidates, const UserState& user, const Request& req) const;

  const ServingModel& m_;
  const train::RankerModel& ranker_;
  const train::ComplementWeights& recall_;
};

}  // namespace kerec::recall
