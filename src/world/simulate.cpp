#include "kerec/world/simulate.h"

#include <algorithm>
#include <cmath>

namespace kerec::world {

enum EventKind : uint8_t { kStep, kOutsideBill, kOrderBill };

// Heap order: the earliest (ts, seq) on top.
constexpr auto kLater = [](const auto& a, const auto& b) {
  return a.ts != b.ts ? a.ts > b.ts : a.seq > b.seq;
};

static double round_cents(double v) { return std::round(v * 100.0) / 100.0; }

const char* channel_name(Channel channel) {
  static constexpr const char* kNames[] = {"search",   "substitute", "complementary", "popular",
                                           "interest", "fallback",   "slate"};
  return kNames[static_cast<int>(channel)];
}

UserSimulator::UserSimulator(const WorldModel& world, PolicyHook hook) : w_(world), hook_(hook) {}

// A stream keyed by the user and up to three more values (slate sessions; see PolicyHook).
static Rng keyed_rng(uint64_t seed, const char* purpose, int64_t user, int64_t a, int64_t b) {
  return Rng(seed, purpose,
             mix64(mix64(static_cast<uint64_t>(user)) ^ mix64(static_cast<uint64_t>(a) + 0x9e37) ^
                   static_cast<uint64_t>(b)));
}

void UserSimulator::push(Event e) {
  e.seq = seq_++;
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), kLater);
}

void UserSimulator::simulate(int64_t id, SimulationOutput& out) {
  heap_.clear();
  seq_ = 0;
  memory_.clear();
  slates_.clear();
  user_id_ = id;
  const UserProfile user = make_user(w_, id);
  Rng rng(w_.config.seed, "user_events", static_cast<uint64_t>(id));
  start_sessions(user, rng);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), kLater);
    const Event e = heap_.back();
    heap_.pop_back();
    if (e.kind == kStep)
      session_step(e, user, rng, out);
    else if (e.kind == kOutsideBill)
      outside_bill(e, user, rng, out);
    else
      order_bill(e, rng, out);
  }
  ++out.counts.users;
}

static double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Expected post-payment exposures per user of average activity: bills (outside purchases plus a
// rough conversion estimate from the model's intercepts at half interest) times session size.
static double expected_post_payment(const WorldConfig& c, double exposures_per_user) {
  const double conversion_share =
      logistic(c.click_bias + 0.5 * c.click_interest_weight) * logistic(c.conversion_bias);
  const double bills = c.outside_bills_per_user_day * static_cast<double>(c.days) +
                       exposures_per_user * conversion_share;
  return c.post_payment_session_rate * c.post_payment_session_size_mean * bills;
}

// Planned home/search sessions and outside purchases. The planned exposures leave room for the
// expected post-payment exposures so that the total meets the configured target on average.
void UserSimulator::start_sessions(const UserProfile& user, Rng& rng) {
  const WorldConfig& c = w_.config;
  const WorldSizes& s = w_.sizes;
  const double per_user = static_cast<double>(s.exposures_target) / static_cast<double>(s.users);
  const double post_payment = expected_post_payment(c, per_user);
  uint64_t planned = rng.poisson(std::max(0.0, per_user - post_payment) * user.activity);
  while (planned > 0) {
    const uint64_t size = std::min<uint64_t>(planned, 1 + rng.poisson(c.session_size_mean - 1.0));
    planned -= size;
    const Scene scene = rng.bernoulli(c.search_session_share) ? Scene::kSearch : Scene::kHome;
    push({rng.uniform_range(s.start_ts, s.end_ts - 1), 0, kStep, scene,
          static_cast<int16_t>(std::min<uint64_t>(size, 30000)), -1, -1, 0});
  }
  const uint64_t outside =
      rng.poisson(c.outside_bills_per_user_day * static_cast<double>(c.days) * user.activity);
  for (uint64_t i = 0; i < outside; ++i) {
    push(
        {rng.uniform_range(s.start_ts, s.end_ts - 1), 0, kOutsideBill, Scene::kHome, 0, -1, -1, 0});
  }
}

int32_t UserSimulator::interest_entity(const UserProfile& user, Rng& rng) const {
  const int c = user.sample_category(rng);
  if (w_.entity_in_category[c].empty())
    return static_cast<int32_t>(w_.entity_by_popularity.sample(rng));
  return w_.taxonomy.category_entities[c][w_.entity_in_category[c].sample(rng)];
}

// The complementary channel's guess after a bill of `a`: a true complement (by strength) with
// probability policy_complement_precision, otherwise a popular entity of a related category.
int32_t UserSimulator::complementary_entity(int32_t a, Rng& rng) const {
  const auto targets = w_.complements.targets_of(a);
  if (!targets.empty() && rng.bernoulli(w_.config.policy_complement_precision)) {
    const auto strengths = w_.complements.strengths_of(a);
    double u = rng.uniform();
    double total = 0;
    for (double s : strengths) total += s;
    for (size_t i = 0; i < targets.size(); ++i) {
      if ((u -= strengths[i] / total) < 0) return targets[i];
    }
    return targets.back();
  }
  const int c = static_cast<int>(w_.related_category[w_.taxonomy.entities[a].category].sample(rng));
  return w_.taxonomy.category_entities[c][w_.entity_in_category[c].sample(rng)];
}

int32_t UserSimulator::policy_entity(const Event& e, const UserProfile& user, Rng& rng,
                                     Channel& channel) {
  const WorldConfig& c = w_.config;
  if (e.scene == Scene::kSearch) {
    const int32_t g = w_.taxonomy.entities[e.entity].substitute_group;
    channel = Channel::kSearch;
    if (g < 0 || !rng.bernoulli(c.search_substitute_share)) return e.entity;
    channel = Channel::kSubstitute;
    const auto& members = w_.taxonomy.substitute_groups[g];
    return members[rng.uniform_int(members.size())];
  }
  channel = Channel::kComplementary;
  if (e.scene == Scene::kPostPayment && rng.bernoulli(c.post_payment_complement_share))
    return complementary_entity(e.entity, rng);
  if (memory_.size() > 0 && rng.bernoulli(c.home_complement_share)) {
    const int32_t a = memory_.recent_entity(e.ts, c.complement_window_h, rng);
    if (a >= 0) return complementary_entity(a, rng);
  }
  channel = Channel::kPopular;
  if (rng.bernoulli(c.popular_share))
    return static_cast<int32_t>(w_.entity_by_popularity.sample(rng));
  channel = Channel::kInterest;
  return interest_entity(user, rng);
}

// An item of `entity` that exists at `ts`; in the test period, with new_item_exposure_share, one
// of its cold-start items. -1 if the entity has no item yet.
int64_t UserSimulator::policy_item(int32_t entity, int64_t ts, Rng& rng) const {
  const Catalog& cat = w_.catalog;
  const size_t n = cat.available(entity, ts);
  if (n == 0) return -1;
  if (ts >= w_.sizes.train_end_ts) {
    const size_t cold = cat.cold_available(entity, n);
    if (cold > 0 && rng.bernoulli(w_.config.new_item_exposure_share))
      return cat.by_entity[cat.first_cold[entity] + static_cast<int64_t>(rng.uniform_int(cold))];
  }
  return cat.sample_available(entity, n, rng);
}

bool UserSimulator::slate_session(const Event& e) const {
  return hook_.policy != nullptr && e.scene != Scene::kSearch &&
         (e.slate >= 0 || e.ts >= hook_.from_ts);
}

// One step of a slate session: the slate is asked for at the first step; step `pos` shows item
// `pos`.
void UserSimulator::slate_step(const Event& event, const UserProfile& user, SimulationOutput& out) {
  Event e = event;
  if (e.slate < 0) {
    e.slate = static_cast<int32_t>(slates_.size()), e.pos = 0;
    slates_.push_back(
        {e.ts, hook_.policy->slate({user_id_, e.ts, e.scene, e.entity, e.remaining})});
  }
  const Slate& s = slates_[e.slate];
  if (e.pos < static_cast<int64_t>(s.items.size())) expose_slate(e, user, s.items[e.pos], out);
  if (e.remaining > 1) {
    Event next = e;
    next.ts =
        e.ts + keyed_rng(hook_.crn_seed, "ab_step", user_id_, s.ts, e.pos).uniform_range(3, 40);
    next.remaining = static_cast<int16_t>(e.remaining - 1),
    next.pos = static_cast<int16_t>(e.pos + 1);
    if (next.ts < w_.sizes.end_ts) push(next);
  }
}

void UserSimulator::expose_slate(const Event& e, const UserProfile& user, int64_t item_id,
                                 SimulationOutput& out) {
  const WorldConfig& c = w_.config;
  const Item& item = w_.catalog.items[item_id];
  const int64_t session_ts = slates_[e.slate].ts;
  Rng crn = keyed_rng(hook_.crn_seed, "ab_exposure", user_id_, session_ts, item_id);
  const double signal = memory_.complement_signal(w_.complements, item.entity, e.ts,
                                                  c.complement_half_life_h, c.complement_window_h);
  ExposureOutcome o{user_id_,
                    e.ts,
                    item_id,
                    e.scene,
                    session_ts,
                    e.slate,
                    click_probability(w_, user, item, e.scene, signal),
                    conversion_probability(w_, item, signal)};
  o.by_slate = true;
  o.clicked = crn.uniform() < o.p_click;
  o.converted = o.clicked && crn.uniform() < o.p_convert;
  if (o.converted) {
    const int64_t quantity = 1 + static_cast<int64_t>(crn.poisson(0.2));
    o.amount = round_cents(item.price * static_cast<double>(quantity));
    const int64_t ts = std::min(e.ts + crn.uniform_range(60, 1800), w_.sizes.end_ts - 1);
    Event order{ts,          0,       kOrderBill, Scene::kHome, static_cast<int16_t>(quantity),
                item.entity, item_id, o.amount};
    order.keyed = 1;
    push(order);
  }
  if (out.exposures) {
    out.exposures->field(user_id_).field(e.ts).field(item_id).field(scene_name(e.scene));
    out.exposures->field(int64_t{o.clicked})
        .field(int64_t{o.converted})
        .fixed(o.amount, 2)
        .end_row();
  }
  hook_.policy->on_exposure(o);
  ++out.counts.exposures, out.counts.clicks += o.clicked, out.counts.conversions += o.converted;
}

void UserSimulator::session_step(const Event& event, const UserProfile& user, Rng& rng,
                                 SimulationOutput& out) {
  if (slate_session(event)) return slate_step(event, user, out);
  Event e = event;
  if (e.scene == Scene::kSearch && e.entity < 0) e.entity = interest_entity(user, rng);
  Channel channel = Channel::kInterest;
  int64_t item_id = policy_item(policy_entity(e, user, rng, channel), e.ts, rng);
  for (int tries = 0; item_id < 0 && tries < 3; ++tries) {
    channel = Channel::kFallback;
    item_id = policy_item(interest_entity(user, rng), e.ts, rng);
  }
  if (item_id >= 0) expose(e, user, item_id, channel, rng, out);
  if (e.remaining > 1) {
    Event next = e;
    next.ts = e.ts + rng.uniform_range(3, 40);
    next.remaining = static_cast<int16_t>(e.remaining - 1);
    if (next.ts < w_.sizes.end_ts) push(next);
  }
}

void UserSimulator::expose(const Event& e, const UserProfile& user, int64_t item_id,
                           Channel channel, Rng& rng, SimulationOutput& out) {
  const WorldConfig& c = w_.config;
  const Item& item = w_.catalog.items[item_id];
  const double signal = memory_.complement_signal(w_.complements, item.entity, e.ts,
                                                  c.complement_half_life_h, c.complement_window_h);
  const double p_click = click_probability(w_, user, item, e.scene, signal);
  const bool clicked = rng.bernoulli(p_click);
  const bool converted = clicked && rng.bernoulli(conversion_probability(w_, item, signal));
  double amount = 0;
  if (converted) {
    const int64_t quantity = 1 + static_cast<int64_t>(rng.poisson(0.2));
    amount = round_cents(item.price * static_cast<double>(quantity));
    const int64_t ts = std::min(e.ts + rng.uniform_range(60, 1800), w_.sizes.end_ts - 1);
    push({ts, 0, kOrderBill, Scene::kHome, static_cast<int16_t>(quantity), item.entity, item_id,
          amount});
  }
  if (out.exposures) {
    out.exposures->field(user_id_).field(e.ts).field(item_id).field(scene_name(e.scene));
    out.exposures->field(int64_t{clicked}).field(int64_t{converted}).fixed(amount, 2).end_row();
  }
  if (hook_.policy) {
    ExposureOutcome o{user_id_, e.ts, item_id, e.scene,   0,      -1,
                      p_click,  0.0,  clicked, converted, amount, false};
    hook_.policy->on_exposure(o);
  }
  if (out.exposure_truth) {
    const double p_plain = signal > 0 ? click_probability(w_, user, item, e.scene, 0.0) : p_click;
    out.exposure_truth->field(user_id_).field(e.ts).field(item_id).field(scene_name(e.scene));
    out.exposure_truth->fixed(p_click, 6)
        .fixed(p_plain, 6)
        .fixed(signal, 6)
        .field(channel_name(channel))
        .end_row();
  }
  WorldSummary& n = out.counts;
  ++n.exposures;
  n.test_exposures += e.ts >= w_.sizes.train_end_ts;
  n.cold_start_exposures += item.cold_start;
  n.complementary_exposures += channel == Channel::kComplementary;
  n.boosted_exposures += signal > 0;
  n.clicks += clicked;
  n.conversions += converted;
}

// A purchase elsewhere: of a true complement of a recent bill (outside_complement_follow_rate),
// otherwise of an interest-matched entity; priced like one of the entity's items.
void UserSimulator::outside_bill(const Event& e, const UserProfile& user, Rng& rng,
                                 SimulationOutput& out) {
  const WorldConfig& c = w_.config;
  int32_t entity = -1;
  if (memory_.size() > 0 && rng.bernoulli(c.outside_complement_follow_rate)) {
    const int32_t a = memory_.recent_entity(e.ts, c.complement_window_h, rng);
    const auto targets = a >= 0 ? w_.complements.targets_of(a) : std::span<const int32_t>();
    if (!targets.empty()) entity = targets[rng.uniform_int(targets.size())];
  }
  if (entity < 0) entity = interest_entity(user, rng);
  const size_t n = w_.catalog.available(entity, e.ts);
  const int64_t item_id = n > 0 ? w_.catalog.sample_available(entity, n, rng) : -1;
  const double price =
      item_id >= 0 ? w_.catalog.items[item_id].price : w_.taxonomy.entities[entity].price_median;
  const int64_t quantity = 1 + static_cast<int64_t>(rng.poisson(0.3));
  write_bill(e.ts, entity, item_id, round_cents(price * static_cast<double>(quantity)), quantity,
             false, rng, out);
  ++out.counts.outside_bills;
}

void UserSimulator::order_bill(const Event& e, Rng& rng, SimulationOutput& out) {
  if (e.keyed) {  // an order from a slate session: its own stream, so the user's stream stays
                  // shared
    Rng keyed = keyed_rng(hook_.crn_seed, "ab_order", user_id_, e.ts, e.item);
    return write_bill(e.ts, e.entity, e.item, e.amount, e.remaining, true, keyed, out);
  }
  write_bill(e.ts, e.entity, e.item, e.amount, e.remaining, true, rng, out);
}

void UserSimulator::write_bill(int64_t ts, int32_t entity, int64_t item_id, double amount,
                               int64_t quantity, bool in_app, Rng& rng, SimulationOutput& out) {
  const WorldConfig& c = w_.config;
  const Taxonomy& t = w_.taxonomy;
  const Entity& ent = t.entities[entity];
  const auto& brands = t.brands[ent.category];
  const std::string& brand = item_id >= 0 ? brands[w_.catalog.items[item_id].brand]
                                          : brands[rng.uniform_int(brands.size())];
  const Mention m = draw_mention(
      t, ent, {c.bill_alias_rate, c.bill_misspelling_rate, c.bill_unseen_alias_rate, c.typo_mix()},
      rng);
  const SpanText text = compose_bill(t, ent, brand, m.text, quantity, in_app, rng);
  if (out.bills) {
    out.bills->field(user_id_).field(ts).field(text.text).fixed(amount, 2).end_row();
    out.mentions.push_back({out.counts.bills, text.start_cp, text.end_cp, entity, m.kind});
  }
  if (hook_.policy) hook_.policy->on_bill(user_id_, ts, text.text, entity, item_id);
  ++out.counts.bills;
  memory_.add(entity, ts, c.complement_window_h);
  if (rng.bernoulli(c.post_payment_session_rate)) {
    const int64_t start = ts + rng.uniform_range(5, 60);
    const uint64_t size = 1 + rng.poisson(c.post_payment_session_size_mean - 1.0);
    if (start < w_.sizes.end_ts)
      push({start, 0, kStep, Scene::kPostPayment,
            static_cast<int16_t>(std::min<uint64_t>(size, 30000)), entity, -1, 0});
  }
}

}  // namespace kerec::world
