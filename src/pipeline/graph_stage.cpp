// Stage `graph`: complementary edges from judge/verdicts.h5 (merged into graph.previous when set),
// substitutable edges from the sessions of exposures.tsv, membership from extract/items.h5, written
// as graph/graph.h5 (docs/artifacts.md, "graph").
#include "graph_stage.h"

#include "graph_truth.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "kerec/dist/agree.h"
#include "kerec/extract/output_files.h"
#include "kerec/graph/complements.h"
#include "kerec/graph/graph_file.h"
#include "kerec/graph/substitutes.h"
#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;

// The index of (model, prompt) in the provenance table, appended when new.
int32_t provenance_index(graph::GraphMeta& meta, const std::string& model,
                         const std::string& prompt) {
  for (size_t i = 0; i < meta.provenance_llm_model.size(); ++i)
    if (meta.provenance_llm_model[i] == model && meta.provenance_prompt_sha256[i] == prompt)
      return static_cast<int32_t>(i);
  meta.provenance_llm_model.push_back(model), meta.provenance_prompt_sha256.push_back(prompt);
  return static_cast<int32_t>(meta.provenance_llm_model.size() - 1);
}

struct Inputs {
  extract::EntityTable entities;
  std::vector<std::string> names;
  extract::ItemTable items;
  llm::VerdictBlock verdicts;
  graph::PreviousGraph previous;
};

Inputs read_inputs(StageContext& ctx) {
  Inputs in;
  dist::run_agreed(ctx.comm, [&] {
    in.entities = extract::read_entity_table(ctx.run.artifact(artifacts::kEntities));
    in.names = extract::read_entity_names(ctx.run.artifact(artifacts::kEntities));
    in.items = extract::read_item_table(ctx.run.artifact(artifacts::kItems), in.entities.size());
    const auto n = static_cast<int64_t>(in.entities.size());
    in.verdicts = llm::read_verdict_block(ctx.run.artifact(artifacts::kVerdicts), n,
                                          ctx.comm.rank(), ctx.comm.size());
    if (!ctx.config.graph().previous.empty())
      in.previous =
          graph::read_previous_graph(ctx.config.graph().previous, in.entities.ids, ctx.comm);
  });
  return in;
}

json substitute_report(const graph::SubstituteStats& s, const graph::ExposureScan& scan) {
  json report = dist::counters_json(s);
  report["exposure_rows"] = scan.rows;
  report["exposure_rows_skipped"] = scan.skipped_rows;
  report["exposures_unknown_item"] = scan.unknown_item;
  return report;
}

json write_report(const graph::GraphWriteStats& w) {
  const auto [lo, hi] = std::minmax_element(w.shard_edges.begin(), w.shard_edges.end());
  const double mb = static_cast<double>(w.file_bytes) / 1e6;
  return {{"shards", w.shards},
          {"shard_first_source", w.shard_first_source},
          {"shard_edges", w.shard_edges},
          {"shard_edges_min", *lo},
          {"shard_edges_max", *hi},
          {"file_bytes", w.file_bytes},
          {"exchange_seconds", w.exchange_seconds},
          {"write_seconds", w.write_seconds},
          {"write_mb_per_s", w.write_seconds > 0 ? mb / w.write_seconds : 0.0}};
}

std::string truth_summary(const json& r) {
  if (!r.contains("truth")) return "";
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "\n  against the truth: complementary precision %.3f, recall %.3f; substitutable "
                "precision %.3f",
                r["truth"]["complementary_precision"].get<double>(),
                r["truth"]["complementary_recall"].get<double>(),
                r["truth"]["substitutable_precision"].get<double>());
  return buf;
}

}  // namespace

std::vector<std::string> GraphStage::input_files(const JobConfig& config) const {
  std::vector<std::string> files = {config.input_path("exposures.tsv")};
  if (!config.graph.previous.empty()) files.push_back(config.graph.previous);
  return files;
}

namespace {

// The new version's metadata: provenance carried over from the previous graph, plus this run's.
graph::GraphMeta new_meta(StageContext& ctx, const Inputs& in) {
  graph::GraphMeta meta;
  meta.root.config_sha256 = ctx.config.config_sha256();
  meta.root.llm_model = in.verdicts.llm_model, meta.root.prompt_sha256 = in.verdicts.prompt_sha256;
  meta.graph_version = in.previous.graph_version + 1;
  meta.provenance_llm_model = in.previous.provenance_llm_model;
  meta.provenance_prompt_sha256 = in.previous.provenance_prompt_sha256;
  return meta;
}

// Collective: verdicts that are all unjudged mean the endpoint's answers were never understood; a
// graph without their edges would hide that. The stats are summed over ranks: all decide alike.
void refuse_all_unjudged(StageContext& ctx, const graph::ComplementStats& st) {
  dist::run_agreed(ctx.comm, [&] {
    if (st.verdicts > 0 && st.unjudged == st.verdicts)
      throw InputError(ctx.run.artifact(artifacts::kVerdicts).string() + ": all " +
                       std::to_string(st.verdicts) +
                       " verdicts are unjudged, so the graph would have no complementary edge "
                       "from them; see judge/report.json's unjudged_by_cause and parse_problems, "
                       "fix the endpoint or its settings and rerun `kerec judge`");
  });
}

// The substitutable and membership edges, from the exposures' clicks.
struct ClickEdges {
  graph::ExposureScan scan;
  extract::MentionCsr item_entities;
  graph::SubstituteStats sub_stats;
  graph::SubstituteEdges substitutes;
  graph::MemberEdges members;
};

ClickEdges click_edges(StageContext& ctx, const Inputs& in) {
  const auto& cfg = ctx.config.graph();
  ClickEdges e;
  e.scan = graph::scan_exposures(ctx.comm, in.items, ctx.config.input_path("exposures.tsv"),
                                 ctx.config.input().bad_row_policy());
  e.item_entities = graph::distinct_item_entities(in.items.mentions);
  e.substitutes = graph::substitute_edges(
      ctx.comm, e.scan.clicks, e.item_entities, in.entities.size(),
      static_cast<int64_t>(cfg.session_gap_min * 60.0), cfg.substitute_min_support, e.sub_stats);
  e.members = graph::member_edges(e.item_entities, e.scan.item_clicks, ctx.comm);
  return e;
}

json stage_report(const graph::GraphMeta& meta, const graph::GraphConfig& cfg,
                  const graph::ComplementStats& comp, const ClickEdges& clicks,
                  const graph::GraphWriteStats& written) {
  json report = {
      {"graph_version", meta.graph_version},
      {"entities", meta.entities()},
      {"items", meta.item_ids.size()},
      {"previous", cfg.previous},
      {"complementary", dist::counters_json(comp)},
      {"substitutable", substitute_report(clicks.sub_stats, clicks.scan)},
      {"members", {{"edges", written.member_edges}, {"items_clicked", clicks.scan.clicked}}},
      {"write", write_report(written)},
      {"complementary_edges", written.complementary_edges},
      {"substitutable_edges", written.substitutable_edges},
      {"member_edges", written.member_edges}};
  if (!clicks.scan.skipped_examples.empty())
    report["skipped_examples_rank0"] = clicks.scan.skipped_examples;
  return report;
}

}  // namespace

json GraphStage::run(StageContext& ctx) {
  const auto start = std::chrono::steady_clock::now();
  const graph::GraphConfig& cfg = ctx.config.graph();
  Inputs in = read_inputs(ctx);
  graph::GraphMeta meta = new_meta(ctx, in);
  const int32_t provenance =
      provenance_index(meta, in.verdicts.llm_model, in.verdicts.prompt_sha256);
  graph::ComplementStats comp_stats;
  const auto comp =
      graph::merge_complements(ctx.comm, in.verdicts, in.previous.edges, cfg.min_confidence,
                               static_cast<int32_t>(meta.graph_version), provenance, comp_stats);
  refuse_all_unjudged(ctx, comp_stats);
  const ClickEdges clicks = click_edges(ctx, in);
  meta.entity_ids = std::move(in.entities.ids), meta.entity_names = std::move(in.names);
  meta.item_ids = std::move(in.items.ids);
  meta.item_entity_offsets = clicks.item_entities.offsets;
  meta.item_entities = clicks.item_entities.entity;
  const auto written = graph::write_graph(ctx.out_dir / artifacts::kGraph.file, meta, comp,
                                          clicks.substitutes, clicks.members, ctx.comm,
                                          {.shards = static_cast<int>(cfg.shards),
                                           .deflate_level = static_cast<int>(cfg.deflate_level)});
  json report = stage_report(meta, cfg, comp_stats, clicks, written);
  dist::run_agreed(ctx.comm,
                   [&] {  // evaluation only: a synthetic world's truth, never read to build
                     if (ctx.comm.rank() == 0 && ctx.config.input().dir.empty())
                       add_graph_truth(report, ctx.out_dir / artifacts::kGraph.file,
                                       std::filesystem::path(ctx.config.world().dir) / "truth");
                   });
  report["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::string GraphStage::summary(const json& r) const {
  const auto& c = r["complementary"];
  const auto& w = r["write"];
  auto n = [](const json& v) { return std::to_string(v.get<int64_t>()); };
  return "graph: version " + n(r["graph_version"]) + ", " + n(r["complementary_edges"]) +
         " complementary edges (" + n(c["added"]) + " added, " + n(c["kept"]) + " kept, " +
         n(c["updated"]) + " updated, " + n(c["removed_by_no"]) + " removed by \"no\"; " +
         n(c["yes_below_min_confidence"]) + " yes below min_confidence)\n" + "  " +
         n(r["substitutable_edges"]) + " substitutable edges from " +
         n(r["substitutable"]["sessions"]) + " sessions, " + n(r["member_edges"]) +
         " entity→item memberships\n" + "  " + n(w["shards"]) + " shard(s), " + n(w["file_bytes"]) +
         " bytes written in " + std::to_string(w["write_seconds"].get<double>()) + " s" +
         truth_summary(r);
}

}  // namespace kerec::pipeline
