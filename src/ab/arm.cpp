// One arm of the simulated A/B test (ab/arm.h).
#include "kerec/ab/arm.h"

#include <algorithm>
#include <charconv>

#include "kerec/train/ranker_data.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::ab {

namespace {
constexpr size_t kBillsKept = 64;      // more than any ranker or recall window uses
constexpr size_t kClickedKept = 20;    // as export.user_clicked_entities
constexpr double kMeanQuantity = 1.2;  // world: quantity = 1 + Poisson(0.2)
}  // namespace

const char* slice_name(int slice) {
  static constexpr const char* kNames[] = {"all",  "with_recent_bill", "without_recent_bill",
                                           "home", "post_payment",     "cold_start_items"};
  return kNames[slice];
}

const char* metric_name(int metric) {
  static constexpr const char* kNames[] = {
      "clicks", "conversions", "gmv", "expected_clicks", "expected_conversions", "expected_gmv"};
  return kNames[metric];
}

WorldIndex::WorldIndex(const recall::ServingModel& model, const world::WorldModel& world)
    : serving_item(world.catalog.items.size(), -1), world_item(model.items.ids.size(), -1) {
  for (size_t i = 0; i < model.items.ids.size(); ++i) {
    const std::string& id = model.items.ids[i];
    int64_t w = -1;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), w);
    if (ec != std::errc() || end != id.data() + id.size() || w < 0 ||
        w >= static_cast<int64_t>(serving_item.size()))
      throw InputError("ab: serving.h5 names item '" + id +
                       "', which is not an item of the synthetic world (world.dir)");
    serving_item[w] = static_cast<int32_t>(i), world_item[i] = w;
  }
}

const std::vector<int32_t>& BillEntities::of(const std::string& text) {
  auto [it, fresh] = cache_.try_emplace(text);
  if (fresh) {
    extract::UnknownMentions unknown;
    for (const auto& m : extractor_.extract(text, unknown))
      if (std::find(it->second.begin(), it->second.end(), m.entity) == it->second.end())
        it->second.push_back(m.entity);
    ++extracted_;
  }
  return it->second;
}

ArmPolicy::ArmPolicy(const recall::ServingModel& model, const world::WorldModel& world,
                     const WorldIndex& index, BillEntities& bills, ArmSpec spec,
                     const recall::Request& base)
    : m_(model),
      world_(world),
      index_(index),
      bills_(bills),
      spec_(std::move(spec)),
      rec_(model, spec_.parts),
      base_(base),
      scene_buckets_(static_cast<int32_t>(model.ranker->shape().scene_buckets)) {}

void ArmPolicy::begin_user(int64_t user_id) {
  user_key_ = hash64(std::to_string(user_id));
  bill_entities_.clear(), clicked_.clear(), sessions_.clear();
  sums_.fill(0.0);
}

recall::UserState ArmPolicy::state(int64_t ts) const {
  recall::UserState u;
  u.user_key = user_key_;
  for (auto it = bill_entities_.rbegin(); it != bill_entities_.rend(); ++it)
    if (it->second <= ts)
      u.bills.push_back({it->first, static_cast<double>(ts - it->second) / 3600.0});
  for (auto it = clicked_.rbegin();
       it != clicked_.rend() && u.clicked_entities.size() < kClickedKept; ++it)
    if (std::find(u.clicked_entities.begin(), u.clicked_entities.end(), *it) ==
        u.clicked_entities.end())
      u.clicked_entities.push_back(*it);
  return u;
}

std::vector<int64_t> ArmPolicy::slate(const world::SlateRequest& r) {
  const recall::UserState user = state(r.ts);
  recall::Request req = base_;
  req.ts = r.ts, req.k = std::max(1, r.size), req.u2e2i = spec_.u2e2i;
  req.scene_bucket = train::scene_bucket(world::scene_name(r.scene), scene_buckets_);
  const bool recent =
      std::any_of(user.bills.begin(), user.bills.end(),
                  [&](const recall::RecentBill& b) { return b.age_h <= m_.complements.window_h; });
  sessions_.push_back({recent, r.scene});
  std::vector<int64_t> out;
  bool any_u2e2i = false;
  for (const recall::Candidate& c : rec_.recommend(user, req)) {
    out.push_back(index_.world_item[c.item]);
    any_u2e2i |= c.channel == recall::Channel::kU2E2I;
    counters_.u2e2i_items_shown += c.channel == recall::Channel::kU2E2I;
  }
  ++counters_.requests;
  counters_.requests_with_recent_bill += recent;
  counters_.slates_with_u2e2i += any_u2e2i;
  counters_.items_shown += static_cast<int64_t>(out.size());
  counters_.short_slates += static_cast<int32_t>(out.size()) < r.size;
  return out;
}

void ArmPolicy::on_bill(int64_t, int64_t ts, const std::string& text, int32_t, int64_t) {
  for (int32_t e : bills_.of(text)) bill_entities_.emplace_back(e, ts);
  if (bill_entities_.size() > kBillsKept)
    bill_entities_.erase(bill_entities_.begin(), bill_entities_.end() - kBillsKept);
}

void ArmPolicy::add(int slice, const world::ExposureOutcome& e, double price) {
  double* s = sums_.data() + slice * kMetrics;
  s[kClicks] += e.clicked, s[kConversions] += e.converted, s[kGmv] += e.amount;
  s[kExpectedClicks] += e.p_click, s[kExpectedConversions] += e.p_click * e.p_convert;
  s[kExpectedGmv] += e.p_click * e.p_convert * price * kMeanQuantity;
}

void ArmPolicy::on_exposure(const world::ExposureOutcome& e) {
  const int32_t item = index_.serving_item[e.item_id];
  if (e.clicked && item >= 0) {
    const auto& ents = m_.items.entities;
    for (int64_t k = ents.offsets[item]; k < ents.offsets[item + 1]; ++k)
      clicked_.push_back(static_cast<int32_t>(ents.ids[k]));
    if (clicked_.size() > 4 * kClickedKept)
      clicked_.erase(clicked_.begin(), clicked_.end() - 2 * kClickedKept);
  }
  if (!e.by_slate) return;
  const Session s = sessions_.at(static_cast<size_t>(e.slate));
  const world::Item& it = world_.catalog.items[e.item_id];
  add(kAll, e, it.price);
  add(s.recent_bill ? kWithRecentBill : kWithoutRecentBill, e, it.price);
  add(s.scene == world::Scene::kPostPayment ? kPostPayment : kHome, e, it.price);
  if (it.cold_start) add(kColdStartItems, e, it.price);
}

}  // namespace kerec::ab
