// Recall channels, merge and ranking (recall/recommender.h).
#include "kerec/recall/recommender.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "kerec/train/eei.h"
#include "kerec/train/integrate.h"

namespace kerec::recall {

const char* channel_name(Channel c) {
  static constexpr const char* kNames[] = {"u2e2i", "popular", "interest", "substitute"};
  return kNames[static_cast<int>(c)];
}

std::vector<Candidate> Recommender::channel(Channel c, const UserState& user,
                                            const Request& req) const {
  switch (c) {
    case Channel::kU2E2I:
      return u2e2i(user, req);
    case Channel::kPopular: {
      std::vector<Candidate> out;
      for (size_t i = 0;
           i < m_.popular.size() && static_cast<int64_t>(out.size()) < req.per_channel; ++i)
        out.push_back({m_.popular[i], static_cast<float>(m_.popular.size() - i), c, {}});
      return out;
    }
    case Channel::kInterest:
      return from_entities(user.clicked_entities, c, req);
    case Channel::kSubstitute: {
      std::vector<int32_t> subs;  // by the clicked entity's recency, then co-click weight
      for (int32_t e : user.clicked_entities) {
        if (e < 0 || e >= m_.entities()) continue;
        std::vector<std::pair<float, int32_t>> row;
        for (int64_t k = m_.substitutes.offsets[e]; k < m_.substitutes.offsets[e + 1]; ++k)
          row.emplace_back(-m_.substitutes.weights[k], m_.substitutes.targets[k]);
        std::sort(row.begin(), row.end());
        for (const auto& [w, t] : row) subs.push_back(t);
      }
      return from_entities(subs, c, req);
    }
  }
  return {};
}

// Complement entities b by their best boost over the recent bills, then b's items.
std::vector<Candidate> Recommender::u2e2i(const UserState& user, const Request& req) const {
  const auto& g = recall_.graph;
  std::unordered_map<int32_t, Explanation> best;  // by complement entity b
  for (const RecentBill& bill : user.bills) {
    if (bill.age_h > recall_.window_h || bill.entity < 0 || bill.entity >= g.entities) continue;
    for (int64_t e = g.offsets[bill.entity]; e < g.offsets[bill.entity + 1]; ++e) {
      const auto boost = static_cast<float>(recall_.boost(g.weights[e], bill.age_h));
      Explanation& x = best[g.targets[e]];
      if (x.edge < 0 || boost > x.boost) x = {bill.entity, g.targets[e], g.weights[e], boost, e};
    }
  }
  std::vector<Explanation> order;
  for (const auto& [b, x] : best) order.push_back(x);
  std::sort(order.begin(), order.end(), [](const Explanation& x, const Explanation& y) {
    return x.boost != y.boost ? x.boost > y.boost : x.complement < y.complement;
  });
  std::vector<Candidate> out;
  std::unordered_set<int32_t> seen;
  for (const Explanation& x : order) {
    const auto items = m_.items_of(x.complement);
    for (size_t i = 0; i < items.size() && static_cast<int64_t>(i) < req.items_per_entity; ++i) {
      if (static_cast<int64_t>(out.size()) >= req.per_channel) return out;
      if (seen.insert(items[i]).second) out.push_back({items[i], x.boost, Channel::kU2E2I, x});
    }
  }
  return out;
}

// The items of `entities` in that order, items_per_entity each, no repeats.
std::vector<Candidate> Recommender::from_entities(const std::vector<int32_t>& entities, Channel c,
                                                  const Request& req) const {
  std::vector<Candidate> out;
  std::unordered_set<int32_t> seen_entity, seen_item;
  for (int32_t e : entities) {
    if (e < 0 || e >= m_.entities() || !seen_entity.insert(e).second) continue;
    const auto items = m_.items_of(e);
    for (size_t i = 0; i < items.size() && static_cast<int64_t>(i) < req.items_per_entity; ++i) {
      if (static_cast<int64_t>(out.size()) >= req.per_channel) return out;
      if (seen_item.insert(items[i]).second)
        out.push_back({items[i], static_cast<float>(-static_cast<double>(out.size())), c, {}});
    }
  }
  return out;
}

// Scores every candidate with the integrated ranker (the request's user, time, scene and bills,
// the E-E-I features from the learned weights) and sorts by click probability.
void Recommender::rank(std::vector<Candidate>& candidates, const UserState& user,
                       const Request& req) const {
  train::RankerSamples s;
  std::vector<int64_t> bill_entities;
  std::vector<float> ages;
  const double window_h = static_cast<double>(m_.bill_window_days) * 24.0;
  for (const RecentBill& b : user.bills) {
    if (static_cast<int64_t>(bill_entities.size()) >= m_.recent_bills || b.age_h > window_h) break;
    bill_entities.push_back(b.entity), ages.push_back(static_cast<float>(b.age_h));
  }
  for (const Candidate& c : candidates) {
    s.user.push_back(user.user_key), s.ts.push_back(req.ts), s.item.push_back(c.item);
    s.scene.push_back(req.scene_bucket), s.label.push_back(0);
    s.bills.push(bill_entities.begin(), bill_entities.end());
    s.bill_age_h.insert(s.bill_age_h.end(), ages.begin(), ages.end());
  }
  train::set_eei_features(s, m_.items, m_.complements);
  std::vector<uint32_t> all(candidates.size());
  std::iota(all.begin(), all.end(), 0u);
  const auto p = ranker_.predict(s, m_.items, all);
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].score = p[i];
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
}

std::vector<Candidate> Recommender::recommend(const UserState& user, const Request& req) const {
  std::vector<Candidate> merged;
  std::unordered_set<int32_t> seen;
  Request each = req;  // without U2E2I the other channels share the same candidate budget
  if (!req.u2e2i) each.per_channel = req.per_channel * kChannels / (kChannels - 1);
  for (int c = 0; c < kChannels; ++c) {
    if (!req.u2e2i && static_cast<Channel>(c) == Channel::kU2E2I) continue;
    for (const Candidate& x : channel(static_cast<Channel>(c), user, each))
      if (seen.insert(x.item).second) merged.push_back(x);
  }
  rank(merged, user, req);
  if (static_cast<int64_t>(merged.size()) > req.k) merged.resize(static_cast<size_t>(req.k));
  return merged;
}

}  // namespace kerec::recall
