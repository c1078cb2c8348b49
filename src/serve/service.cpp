// The recommendation service (serve/service.h).
#include "kerec/serve/service.h"

#include <algorithm>
#include <chrono>

#include "kerec/recall/recommender.h"
#include "kerec/train/ranker_data.h"
#include "kerec/util/log.h"
#include "kerec/util/rng.h"
#include "snapshot.h"

namespace kerec::serve {
namespace {

using nlohmann::json;

int64_t wall_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json entity_json(const recall::ServingModel& m, int32_t e) {
  return {{"entity_id", m.entity_ids[e]}, {"name", m.entity_names[e]}};
}

// The user's recent bills at `now`, newest first: the explicit ones of the request, or the
// logs' (from serving.h5) merged with those posted to this server. Bills after `now` are not yet
// paid.
std::vector<recall::RecentBill> recent_bills(const Snapshot& snap, const RecommendRequest& req,
                                             int64_t user, const std::vector<PostedBill>& posted,
                                             int64_t now) {
  std::vector<recall::RecentBill> out;
  const auto& m = snap.model();
  if (req.bills) {
    for (const ExplicitBill& b : *req.bills) {
      const int32_t e = snap.entity_index(b.entity_id);
      if (e < 0) throw BadRequest(422, "bills: unknown entity_id '" + b.entity_id + "'");
      out.push_back({e, b.age_h});
    }
  } else {
    const auto age_h = [&](int64_t ts) { return static_cast<double>(now - ts) / 3600.0; };
    if (user >= 0)
      for (int64_t k = m.users.bill_offsets[user]; k < m.users.bill_offsets[user + 1]; ++k)
        if (m.users.bill_ts[k] <= now)
          out.push_back({m.users.bill_entity[k], age_h(m.users.bill_ts[k])});
    for (const PostedBill& b : posted) {
      const int32_t e =
          snap.entity_index(b.entity_id);  // an entity the reloaded model lacks is skipped
      if (e >= 0 && b.ts <= now) out.push_back({e, age_h(b.ts)});
    }
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const recall::RecentBill& a, const recall::RecentBill& b) { return a.age_h < b.age_h; });
  return out;
}

json explanation_json(const recall::ServingModel& m, const recall::Explanation& x) {
  return {{"bill_entity", entity_json(m, x.bill_entity)},
          {"complement", entity_json(m, x.complement)},
          {"weight", x.weight},
          {"boost", x.boost},
          {"llm_confidence", m.confidence[x.edge]},
          {"reason", std::string(m.reason(x.edge))}};
}

}  // namespace

RecommendService::RecommendService(ServiceConfig config)
    : config_(std::move(config)),
      events_(config_.max_bills_per_user, config_.max_event_users),
      started_wall_s_(wall_seconds()) {
  if (config_.clock != "logs" && config_.clock != "wall")
    throw ConfigError("serve: clock '" + config_.clock + "' is not one of: logs, wall");
  file_identity_ = file_identity(config_.serving_h5);
  snapshot_ = std::make_shared<const Snapshot>(config_.serving_h5, file_identity_);
}

RecommendService::~RecommendService() = default;

std::shared_ptr<const Snapshot> RecommendService::current() const {
  std::lock_guard lock(snapshot_mu_);
  return snapshot_;
}

int64_t RecommendService::now() const {
  if (config_.clock == "wall") return wall_seconds();
  return current()->model().users.logs_end_ts + (wall_seconds() - started_wall_s_);
}

Reply RecommendService::fail(const BadRequest& e) {
  ++bad_requests_;
  return {e.status(), {{"error", e.what()}, {"status", e.status()}}};
}

Reply RecommendService::recommend(std::string_view body) try {
  const RecommendRequest req = parse_recommend(body, config_.limits);
  const auto snap = current();
  const auto& m = snap->model();
  const int64_t ts = req.ts.value_or(now());
  recall::UserState user;
  user.user_key = hash64(req.user_id);
  const int64_t u = m.users.find(user.user_key);
  const auto posted = events_.of(user.user_key);
  user.bills = recent_bills(*snap, req, u, posted, ts);
  if (u >= 0)
    user.clicked_entities.assign(m.users.click_entity.begin() + m.users.click_offsets[u],
                                 m.users.click_entity.begin() + m.users.click_offsets[u + 1]);
  else
    ++unknown_users_;
  recall::Request r;
  r.ts = ts, r.k = req.k, r.u2e2i = req.u2e2i;
  r.scene_bucket = train::scene_bucket(req.scene, m.ranker->shape().scene_buckets);
  r.per_channel = std::max(config_.per_channel, req.k),
  r.items_per_entity = config_.items_per_entity;
  const recall::Recommender rec(m);
  json items = json::array();
  for (const recall::Candidate& c : rec.recommend(user, r)) {
    json item = {{"item_id", m.items.ids[c.item]},
                 {"score", c.score},
                 {"channel", recall::channel_name(c.channel)}};
    if (req.explain && c.channel == recall::Channel::kU2E2I)
      item["explanation"] = explanation_json(m, c.why);
    items.push_back(std::move(item));
  }
  ++recommends_;
  return {200,
          {{"user_id", req.user_id},
           {"known_user", u >= 0 || !posted.empty()},
           {"ts", ts},
           {"scene", req.scene},
           {"recent_bills", user.bills.size()},
           {"graph_version", m.graph_version},
           {"items", std::move(items)}}};
} catch (const BadRequest& e) {
  return fail(e);
}

Reply RecommendService::post_bill(std::string_view body) try {
  const BillEvent ev = parse_bill_event(body, config_.limits);
  const auto snap = current();
  int64_t unknown = 0;
  std::vector<int32_t> entities;
  try {
    entities = snap->extract(ev.text, unknown);
  } catch (const InputError& e) {
    throw BadRequest(400, std::string("field 'text': ") + e.what());
  }
  const int64_t ts = ev.ts.value_or(now());
  std::vector<std::string> ids;
  json found = json::array();
  for (int32_t e : entities)
    ids.push_back(snap->model().entity_ids[e]), found.push_back(entity_json(snap->model(), e));
  events_.add(hash64(ev.user_id), ts, ids);
  ++bill_events_;
  return {200,
          {{"user_id", ev.user_id},
           {"ts", ts},
           {"entities", std::move(found)},
           {"unknown_mentions", unknown}}};
} catch (const BadRequest& e) {
  return fail(e);
}

Reply RecommendService::model_metadata() const {
  const auto snap = current();
  const auto& m = snap->model();
  const auto tensor = [](const char* name, const char* type) {
    return json{{"name", name}, {"datatype", type}, {"shape", {-1}}};
  };
  return {200,
          {{"name", "kerec"},
           {"versions", {std::to_string(m.graph_version)}},
           {"platform", "kerec-llm-kerec"},
           {"inputs", {tensor("user_id", "BYTES"), tensor("k", "INT64"), tensor("scene", "BYTES")}},
           {"outputs",
            {tensor("item_id", "BYTES"), tensor("score", "FP32"), tensor("channel", "BYTES")}},
           {"parameters",
            {{"serving_h5", config_.serving_h5.string()},
             {"file_identity", snap->identity()},
             {"file_bytes", snap->file_bytes()},
             {"schema", m.root.schema},
             {"schema_version", m.root.schema_version},
             {"config_sha256", m.root.config_sha256},
             {"llm_model", m.root.llm_model},
             {"prompt_sha256", m.root.prompt_sha256},
             {"graph_version", m.graph_version},
             {"entities", m.entities()},
             {"items", m.items.ids.size()},
             {"users", m.users.size()},
             {"complementary_edges", m.complements.graph.edges()},
             {"logs_end_ts", m.users.logs_end_ts},
             {"clock", config_.clock}}}}};
}

Reply RecommendService::stats() const {
  std::lock_guard lock(snapshot_mu_);
  return {
      200,
      {{"recommends", recommends_.load()},
       {"bill_events", bill_events_.load()},
       {"bad_requests", bad_requests_.load()},
       {"unknown_users", unknown_users_.load()},
       {"users_with_posted_bills", events_.users()},
       {"forgotten_event_users", events_.forgotten_users()},
       {"reloads", reloads_},
       {"reload_failures", reload_failures_},
       {"last_reload_error", last_reload_error_.empty() ? json(nullptr) : json(last_reload_error_)},
       {"file_identity", snapshot_->identity()},
       {"ready", ready()}}};
}

json RecommendService::reload(bool force) {
  std::lock_guard one(reload_mu_);
  const std::string identity = file_identity(config_.serving_h5);
  {
    std::lock_guard lock(snapshot_mu_);
    if (!force && identity == file_identity_)
      return {{"reloaded", false}, {"error", nullptr}, {"file_identity", identity}};
    file_identity_ = identity;  // a refused file is not tried again until it changes
  }
  try {
    if (identity.empty()) throw IoError(config_.serving_h5.string() + ": does not exist");
    auto next = std::make_shared<const Snapshot>(config_.serving_h5,
                                                 identity);  // built aside: requests go on
    std::lock_guard lock(snapshot_mu_);
    snapshot_ = std::move(next);
    ++reloads_, last_reload_error_.clear();
    log::info("serve: loaded {} ({})", config_.serving_h5.string(), identity);
    return {{"reloaded", true}, {"error", nullptr}, {"file_identity", identity}};
  } catch (const std::exception& e) {
    std::lock_guard lock(snapshot_mu_);
    ++reload_failures_, last_reload_error_ = e.what();
    log::warn("serve: refused {}: {}; still serving {}", config_.serving_h5.string(), e.what(),
              snapshot_->identity());
    return {{"reloaded", false}, {"error", e.what()}, {"file_identity", identity}};
  }
}

}  // namespace kerec::serve
