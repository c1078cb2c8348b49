// Stage `export`: serving.h5 and the offline recall metrics (docs/serving.md).
#include "export_stage.h"
#include "integrate_inputs.h"

#include <algorithm>
#include <numeric>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/extractor_file.h"
#include "kerec/graph/graph_reader.h"
#include "kerec/io/hdf5.h"
#include "kerec/recall/offline.h"
#include "kerec/recall/serving.h"
#include "kerec/train/eei_file.h"
#include "kerec/train/ranker_file.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Collective: training clicks per item over all ranks.
std::vector<int64_t> item_clicks(dist::Comm& comm, const train::RankerData& data) {
  std::vector<int64_t> clicks(data.items.ids.size(), 0);
  for (const auto* s : {&data.train, &data.valid})
    for (size_t i = 0; i < s->size(); ++i) clicks[s->item[i]] += s->label[i] > 0;
  dist::allreduce(comm, std::span<int64_t>(clicks), dist::ReduceOp::kSum);
  return clicks;
}

// Each entity's items by clicks (ties: item index), and the popular list.
void add_item_lists(recall::ServingModel& m, const std::vector<int64_t>& clicks, int64_t popular) {
  const auto by_clicks = [&](int32_t x, int32_t y) {
    return clicks[x] != clicks[y] ? clicks[x] > clicks[y] : x < y;
  };
  std::vector<std::vector<int32_t>> of(static_cast<size_t>(m.entities()));
  for (int32_t i = 0; i < static_cast<int32_t>(m.items.ids.size()); ++i)
    for (int64_t k = m.items.entities.offsets[i]; k < m.items.entities.offsets[i + 1]; ++k)
      of[m.items.entities.ids[k]].push_back(i);
  for (auto& items : of) {
    std::sort(items.begin(), items.end(), by_clicks);
    for (int32_t i : items)
      m.entity_item.push_back(i), m.entity_item_score.push_back(static_cast<float>(clicks[i]));
    m.entity_item_offsets.push_back(static_cast<int64_t>(m.entity_item.size()));
  }
  m.popular.resize(m.items.ids.size());
  std::iota(m.popular.begin(), m.popular.end(), 0);
  std::sort(m.popular.begin(), m.popular.end(), by_clicks);
  m.popular.resize(std::min<size_t>(m.popular.size(), static_cast<size_t>(popular)));
}

// The learned complements with each edge's LLM confidence and reason from graph.h5 (an edge the LLM
// did not draw, e.g. of the truth graph, gets confidence 1 and an empty reason).
void add_graphs(recall::ServingModel& m, const graph::GraphReader& reader, const fs::path& eei_h5) {
  const graph::GraphPart all = reader.read_all();
  m.complements = train::read_eei_weights(eei_h5);
  const auto& g = m.complements.graph;
  if (g.entities != m.entities())
    throw InputError(eei_h5.string() + ": learned weights for " + std::to_string(g.entities) +
                     " entities, graph.h5 has " + std::to_string(m.entities()));
  for (int32_t a = 0; a < g.entities; ++a) {
    const auto edges = all.complements(a);
    for (int64_t e = g.offsets[a]; e < g.offsets[a + 1]; ++e) {
      const auto it = std::find_if(edges.begin(), edges.end(),
                                   [&](const auto& c) { return c.target == g.targets[e]; });
      m.confidence.push_back(it == edges.end() ? 1.0f : it->confidence);
      if (it != edges.end()) m.reason_bytes += it->reason;
      m.reason_end.push_back(static_cast<int64_t>(m.reason_bytes.size()));
    }
  }
  m.substitutes = substitutable_graph(all, m.entities());
}

// One click or bill of a user: (user key, ts, entity), flattened for a gather.
struct UserEvent {
  uint64_t user;
  int64_t ts;
  int64_t entity;
};

// Collective: the entities of every user's clicks over all splits, from every rank's users, on rank
// 0 (the writer); empty elsewhere.
std::vector<UserEvent> gather_clicks(dist::Comm& comm, const train::RankerData& data) {
  std::vector<uint64_t> flat;  // user, ts, entity triples (the gather moves one type)
  for (const auto* s : {&data.train, &data.valid, &data.test})
    for (size_t i = 0; i < s->size(); ++i) {
      if (s->label[i] <= 0) continue;
      const auto& e = data.items.entities;
      for (int64_t k = e.offsets[s->item[i]]; k < e.offsets[s->item[i] + 1]; ++k)
        flat.insert(flat.end(),
                    {s->user[i], static_cast<uint64_t>(s->ts[i]), static_cast<uint64_t>(e.ids[k])});
    }
  const auto all = dist::gatherv(comm, std::span<const uint64_t>(flat), 0);
  std::vector<UserEvent> out;
  for (size_t i = 0; i + 2 < all.size(); i += 3)
    out.push_back({all[i], static_cast<int64_t>(all[i + 1]), static_cast<int64_t>(all[i + 2])});
  return out;
}

// Every bill entity of extract/bills.h5 as a user event.
std::vector<UserEvent> read_bill_events(const fs::path& bills_h5) {
  const train::BillRows r = train::read_bill_rows(bills_h5);
  std::vector<UserEvent> out;
  for (size_t b = 0; b < r.user.size(); ++b)
    for (int64_t k = r.offsets[b]; k < r.offsets[b + 1]; ++k)
      out.push_back({hash64(r.user[b]), r.ts[b], r.entity[k]});
  return out;
}

// Per user, the newest `keep` events (distinct entities when `distinct`), newest first, into a CSR
// over `users` (ascending keys).
void add_latest(std::vector<UserEvent> events, const std::vector<uint64_t>& users, int64_t keep,
                bool distinct, std::vector<int64_t>& offsets, std::vector<int32_t>& entity,
                std::vector<int64_t>* ts) {
  std::sort(events.begin(), events.end(), [](const UserEvent& a, const UserEvent& b) {
    return a.user != b.user ? a.user < b.user : a.ts != b.ts ? a.ts > b.ts : a.entity < b.entity;
  });
  size_t i = 0;
  for (uint64_t user : users) {
    while (i < events.size() && events[i].user < user) ++i;
    std::vector<int32_t> taken;
    for (; i < events.size() && events[i].user == user; ++i) {
      const auto e = static_cast<int32_t>(events[i].entity);
      if (static_cast<int64_t>(taken.size()) >= keep ||
          (distinct && std::count(taken.begin(), taken.end(), e)))
        continue;
      taken.push_back(e), entity.push_back(e);
      if (ts) ts->push_back(events[i].ts);
    }
    offsets.push_back(static_cast<int64_t>(entity.size()));
  }
}

// Collective (the table on rank 0 only): what serving knows of each user at the end of the logs.
recall::UserTable build_users(dist::Comm& comm, const train::RankerData& data,
                              const fs::path& bills_h5, const recall::ExportConfig& c) {
  auto clicks = gather_clicks(comm, data);
  int64_t last_exposure = 0;
  for (const auto* s : {&data.train, &data.valid, &data.test})
    for (int64_t ts : s->ts) last_exposure = std::max(last_exposure, ts);
  last_exposure = dist::allreduce_value(comm, last_exposure, dist::ReduceOp::kMax);
  recall::UserTable u;
  if (comm.rank() != 0) return u;
  u.logs_end_ts = last_exposure;
  auto bills = read_bill_events(bills_h5);
  for (const auto* events : {&clicks, &bills})
    for (const UserEvent& e : *events)
      u.keys.push_back(e.user), u.logs_end_ts = std::max(u.logs_end_ts, e.ts);
  std::sort(u.keys.begin(), u.keys.end());
  u.keys.erase(std::unique(u.keys.begin(), u.keys.end()), u.keys.end());
  add_latest(std::move(bills), u.keys, c.user_bills, false, u.bill_offsets, u.bill_entity,
             &u.bill_ts);
  add_latest(std::move(clicks), u.keys, c.user_clicked_entities, true, u.click_offsets,
             u.click_entity, nullptr);
  return u;
}

// Local: the model serving.h5 holds, from the run's artifacts.
recall::ServingModel build_model(StageContext& ctx, const train::RankerData& data,
                                 const std::vector<int64_t>& clicks) {
  const graph::GraphReader reader(ctx.run.artifact(artifacts::kGraph));
  recall::ServingModel m;
  m.root = reader.info().root;
  m.graph_version = reader.info().graph_version;
  m.entity_ids = reader.entity_ids();
  m.entity_names = reader.entity_names();
  if (data.items.num_entities > m.entities())
    throw InputError("graph.h5 names " + std::to_string(m.entities()) +
                     " entities, the extract tables " + std::to_string(data.items.num_entities));
  m.items = data.items;
  m.items.num_entities = m.entities();
  add_item_lists(m, clicks, ctx.config.serving().popular_items);
  add_graphs(m, reader, ctx.run.artifact(artifacts::kEei));
  auto shape = train::RankerShape::from(ctx.config.train(), m.items);
  shape.entities = std::max<int64_t>(data.items.num_entities, 1), shape.dense = train::kEeiFeatures;
  m.ranker = std::make_unique<train::RankerModel>(shape, 0);
  train::read_ranker_file(ctx.run.artifact(artifacts::kIntegratedRanker), *m.ranker);
  m.recent_bills = ctx.config.train().recent_bills,
  m.bill_window_days = ctx.config.train().bill_window_days;
  m.extractor = extract::read_extractor_file(ctx.run.artifact(artifacts::kExtractor));
  return m;
}

}  // namespace

std::vector<std::string> ExportStage::input_files(const JobConfig& config) const {
  return {config.input_path("items.tsv"), config.input_path("exposures.tsv")};
}

json ExportStage::run(StageContext& ctx) {
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.config.serving().recall_k.empty())
      throw ConfigError("key 'export.recall_k' is empty: give at least one K");
  });
  const train::RankerDataPaths paths{
      ctx.run.artifact(artifacts::kItems), ctx.run.artifact(artifacts::kBills),
      ctx.config.input_path("items.tsv"), ctx.config.input_path("exposures.tsv")};
  const auto data = train::load_ranker_data(ctx.comm, ctx.config.train(), paths,
                                            ctx.config.input().bad_row_policy());
  const auto clicks = item_clicks(ctx.comm, data);
  const fs::path out = ctx.out_dir / artifacts::kServing.file;
  recall::UserTable users;
  dist::run_agreed(ctx.comm, [&] {
    users = build_users(ctx.comm, data, ctx.run.artifact(artifacts::kBills), ctx.config.serving());
  });
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.comm.rank() != 0) return;
    auto model = build_model(ctx, data, clicks);
    model.users = std::move(users);
    recall::write_serving_file(out, model,
                               sha256_hex(ctx.config.to_toml({"train", "eei", "export"})));
  });
  recall::ServingModel model;
  dist::run_agreed(ctx.comm, [&] { model = recall::read_serving_file(out); });
  const auto& c = ctx.config.serving();
  recall::Request base;
  base.per_channel = c.per_channel, base.items_per_entity = c.items_per_entity;
  json report = {{"serving_h5_bytes", fs::file_size(out)},
                 {"entities", model.entities()},
                 {"items", model.items.ids.size()},
                 {"users", model.users.size()},
                 {"extractor_entities", model.extractor.entities.size()},
                 {"complementary_edges", model.complements.graph.edges()},
                 {"substitutable_edges", model.substitutes.edges()},
                 {"popular_items", model.popular.size()},
                 {"recall", recall::offline_recall(ctx.comm, model, data, c.recall_k, base)}};
  return report;
}

std::string ExportStage::summary(const json& r) const {
  const auto& rec = r["recall"];
  const std::string k = "@" + std::to_string(rec["k"].back().get<int64_t>());
  char line[800];
  std::snprintf(
      line, sizeof line,
      "export: serving.h5 (%lld bytes): %lld entities, %lld items, %lld complementary edges\n"
      "  offline recall of %.0f test clicks (%.0f with a recent bill):\n"
      "    Recall%s merged %.4f, without U2E2I %.4f; users with a recent bill %.4f vs %.4f\n"
      "    of the %.0f converted clicks: Recall%s merged %.4f vs %.4f; with a recent bill %.4f vs "
      "%.4f\n"
      "    channels alone, Recall%s: u2e2i %.4f, popular %.4f, interest %.4f, substitute %.4f",
      static_cast<long long>(r["serving_h5_bytes"].get<int64_t>()),
      static_cast<long long>(r["entities"].get<int64_t>()),
      static_cast<long long>(r["items"].get<int64_t>()),
      static_cast<long long>(r["complementary_edges"].get<int64_t>()),
      rec["requests"].get<double>(), rec["requests_with_recent_bill"].get<double>(), k.c_str(),
      rec["all"]["merged"]["recall" + k].get<double>(),
      rec["all"]["merged_without_u2e2i"]["recall" + k].get<double>(),
      rec["with_recent_bill"]["merged"]["recall" + k].get<double>(),
      rec["with_recent_bill"]["merged_without_u2e2i"]["recall" + k].get<double>(),
      rec["conversions"]["requests"].get<double>(), k.c_str(),
      rec["conversions"]["all"]["merged"]["recall" + k].get<double>(),
      rec["conversions"]["all"]["merged_without_u2e2i"]["recall" + k].get<double>(),
      rec["conversions"]["with_recent_bill"]["merged"]["recall" + k].get<double>(),
      rec["conversions"]["with_recent_bill"]["merged_without_u2e2i"]["recall" + k].get<double>(),
      k.c_str(), rec["all"]["u2e2i"]["recall" + k].get<double>(),
      rec["all"]["popular"]["recall" + k].get<double>(),
      rec["all"]["interest"]["recall" + k].get<double>(),
      rec["all"]["substitute"]["recall" + k].get<double>());
  return line;
}

}  // namespace kerec::pipeline
