// Stage `popularity`: per-entity counts of bills, exposures, clicks, conversions and items from the
// extract stage's tables and exposures.tsv, summed across ranks; rank 0 writes
// popularity/popularity.h5 (docs/artifacts.md "Popularity").
#include "popularity_stage.h"

#include <algorithm>
#include <chrono>

#include "kerec/dist/agree.h"
#include "kerec/pairs/popularity.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;

json column_summary(const std::vector<int64_t>& column) {
  int64_t total = 0, zero = 0, max = 0;
  for (int64_t v : column) total += v, zero += v == 0, max = std::max(max, v);
  return {{"total", total}, {"entities_with_zero", zero}, {"max", max}};
}

}  // namespace

std::vector<std::string> PopularityStage::input_files(const JobConfig& config) const {
  return {config.input_path("exposures.tsv")};
}

json PopularityStage::run(StageContext& ctx) {
  const auto start = std::chrono::steady_clock::now();
  extract::EntityTable entities;
  extract::ItemTable items;
  extract::BillBlock bills;
  dist::run_agreed(ctx.comm, [&] {
    entities = extract::read_entity_table(ctx.run.artifact(artifacts::kEntities));
    items = extract::read_item_table(ctx.run.artifact(artifacts::kItems), entities.size());
    bills =
        extract::read_bill_block(ctx.run.artifact(artifacts::kBills), entities.size(), ctx.comm);
  });
  pairs::ExposureTally tally;
  const auto pop = pairs::count_popularity(ctx.comm, entities.size(), items, bills,
                                           ctx.config.input_path("exposures.tsv"),
                                           ctx.config.input().bad_row_policy(), tally);
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.comm.rank() == 0)
      pairs::write_popularity(ctx.out_dir / artifacts::kPopularity.file, pop,
                              ctx.config.config_sha256());
  });
  json report = {{"entities", entities.size()},
                 {"items", items.ids.size()},
                 {"exposure_rows", tally.rows},
                 {"exposure_rows_skipped", tally.skipped_rows},
                 {"exposures_unknown_item", tally.unknown_item},
                 {"exposures_item_without_entity", tally.item_without_entity},
                 {"columns", json::object()}};
  if (!tally.skipped_examples.empty()) report["skipped_examples_rank0"] = tally.skipped_examples;
  for (const auto& name : pairs::popularity_columns())
    report["columns"][name] = column_summary(pop.column(name));
  report["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string PopularityStage::summary(const json& r) const {
  std::string s = "popularity: " + std::to_string(r["entities"].get<int64_t>()) + " entities";
  for (const auto& [name, c] : r["columns"].items())
    s += "\n  " + name + ": " + std::to_string(c["total"].get<int64_t>()) + " total, " +
         std::to_string(c["entities_with_zero"].get<int64_t>()) + " entities with none";
  s += "\n  exposures not counted: " + std::to_string(r["exposures_unknown_item"].get<int64_t>()) +
       " unknown item, " + std::to_string(r["exposures_item_without_entity"].get<int64_t>()) +
       " item without entity, " + std::to_string(r["exposure_rows_skipped"].get<int64_t>()) +
       " bad rows skipped";
  return s;
}

}  // namespace kerec::pipeline
