// Stage `pairs`: candidate ordered entity pairs for the judge (docs/artifacts.md "Pairs"). Reads
// extract/entities.h5, extract/bills.h5 (this rank's block) and popularity/popularity.h5, writes
// pairs/pairs.h5 collectively, grouped by owner rank. When the input folder holds the synthetic
// world's truth/complements.tsv, the report also gives the traffic-weighted share of true
// complementary relations that the candidates cover (evaluation only: the pair choice never reads
// it).
#include "pairs_stage.h"

#include <chrono>
#include <filesystem>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/pairs/candidates.h"
#include "kerec/pairs/pairs_io.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;

// The world's true complements (evaluation only), under the input folder.
constexpr char kTruthFile[] = "truth/complements.tsv";

json segment_report(const pairs::PairsConfig& config, const pairs::PairsStats& st) {
  json segments = json::array(), combos = json::object();
  const auto& seg = st.segmentation;
  for (int s = 0; s < seg.segments(); ++s)
    segments.push_back({{"name", config.segment_names[s]},
                        {"entities", seg.sizes[s]},
                        {"traffic", seg.traffic[s]}});
  for (int s = 0; s < seg.segments(); ++s)
    for (int t = 0; t < seg.segments(); ++t) {
      const size_t i = s * seg.segments() + t;
      combos[config.segment_names[s] + ">" + config.segment_names[t]] = {
          {"strategy", config.strategy[i]},
          {"matrix_pairs", st.matrix_pairs[i]},
          {"kept", st.kept_pairs[i]}};
    }
  return {{"segments", segments}, {"pairs_per_segment_combination", combos}};
}

json stats_report(const pairs::PairsStats& st) {
  return {{"pairs_kept", st.kept},
          {"pairs_complete", st.complete},
          {"pairs_kept_share",
           st.complete > 0 ? static_cast<double>(st.kept) / static_cast<double>(st.complete) : 0.0},
          {"pairs_cooccur_only", st.cooccur_only},
          {"dropped",
           {{"same_entity", st.same_entity_dropped},
            {"excluded_category", st.category_dropped},
            {"previous", st.previous_dropped},
            {"duplicates_merged", st.duplicates_merged}}},
          {"previous_pairs", st.previous_pairs},
          {"budget", dist::counters_json(st.budget)},
          {"cooccurrence",
           {{"observations", st.cooccur.observations},
            {"same_entity", st.cooccur.same_entity},
            {"distinct_pairs", st.cooccur.distinct_pairs},
            {"kept", st.cooccur.kept}}},
          {"balance",
           {{"anchors_per_rank_min", st.anchors_min_rank},
            {"anchors_per_rank_max", st.anchors_max_rank},
            {"matrix_pairs_per_rank_min", st.generated_min_rank},
            {"matrix_pairs_per_rank_max", st.generated_max_rank}}}};
}

}  // namespace

std::vector<std::string> PairsStage::input_files(const JobConfig& config) const {
  std::vector<std::string> files;
  if (!config.pairs.previous.empty()) files.push_back(config.pairs.previous);
  if (std::filesystem::exists(config.input_path(kTruthFile)))
    files.push_back(config.input_path(kTruthFile));
  return files;
}

namespace {

struct Inputs {
  extract::EntityTable entities;
  extract::BillBlock bills;  // this rank's
  pairs::Popularity pop;
  std::vector<uint64_t> previous;  // pair keys judged in an earlier graph version
  int32_t have_truth = 0;          // rank 0 decides, so all ranks run the coverage or none does
};

// Collective.
Inputs read_inputs(StageContext& ctx) {
  const auto& cfg = ctx.config.pairs();
  Inputs in;
  dist::run_agreed(ctx.comm, [&] {
    pairs::validate(cfg);
    in.entities = extract::read_entity_table(ctx.run.artifact(artifacts::kEntities));
    in.bills =
        extract::read_bill_block(ctx.run.artifact(artifacts::kBills), in.entities.size(), ctx.comm);
    in.pop = pairs::read_popularity(ctx.run.artifact(artifacts::kPopularity));
    if (!cfg.previous.empty()) in.previous = pairs::read_previous_pairs(cfg.previous);
    in.have_truth =
        ctx.comm.rank() == 0 && std::filesystem::exists(ctx.config.input_path(kTruthFile));
  });
  in.have_truth = dist::broadcast_value(ctx.comm, in.have_truth, 0);
  return in;
}

// Collective: the share of the world's true complements the candidates cover (evaluation only).
void add_truth_coverage(StageContext& ctx, const Inputs& in, const pairs::PairsResult& result,
                        json& report) {
  std::vector<uint64_t> truth;
  int64_t unknown = 0;
  dist::run_agreed(ctx.comm, [&] {
    truth = pairs::read_truth_pairs(ctx.config.input_path(kTruthFile), in.entities, unknown);
  });
  const auto& measure = in.pop.column(ctx.config.pairs().measure);
  const auto cov = pairs::truth_coverage(ctx.comm, truth, result.candidates, measure);
  report["truth_coverage_weighted"] = cov.weighted;
  report["truth_coverage_unweighted"] = cov.unweighted;
  report["truth_relations"] = cov.relations;
  report["truth_relations_covered"] = cov.covered;
  report["truth_relations_unknown_entity"] = unknown;
}

}  // namespace

json PairsStage::run(StageContext& ctx) {
  const auto start = std::chrono::steady_clock::now();
  const auto& cfg = ctx.config.pairs();
  const Inputs in = read_inputs(ctx);
  const auto n = static_cast<int32_t>(in.entities.size());
  auto result = pairs::generate_pairs(ctx.comm, cfg, in.entities, in.pop, in.bills, in.previous);
  result.stats.previous_pairs = static_cast<int64_t>(in.previous.size());
  for (uint64_t key : in.previous)
    result.stats.previous_out_of_range += pairs::key_a(key) >= n || pairs::key_b(key) >= n;
  pairs::write_pairs(ctx.out_dir / artifacts::kPairs.file, ctx.comm, result.owned, n,
                     ctx.config.config_sha256());
  json report = stats_report(result.stats);
  report.update(segment_report(cfg, result.stats));
  report["measure"] = cfg.measure;
  report["previous_out_of_range"] = result.stats.previous_out_of_range;
  if (in.have_truth) add_truth_coverage(ctx, in, result, report);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report["seconds"] = seconds;
  report["pairs_per_s"] = seconds > 0 ? static_cast<double>(result.stats.kept) / seconds : 0.0;
  return report;
}

std::string PairsStage::summary(const json& r) const {
  char line[160];
  std::snprintf(line, sizeof line,
                "pairs: %lld kept of N(N-1) = %lld (%.2f%%), %lld from co-occurrence only",
                static_cast<long long>(r["pairs_kept"].get<int64_t>()),
                static_cast<long long>(r["pairs_complete"].get<int64_t>()),
                100.0 * r["pairs_kept_share"].get<double>(),
                static_cast<long long>(r["pairs_cooccur_only"].get<int64_t>()));
  std::string s = line;
  for (const auto& [combo, c] : r["pairs_per_segment_combination"].items())
    s += "\n  " + combo + " (" + c["strategy"].get<std::string>() +
         "): " + std::to_string(c["kept"].get<int64_t>());
  const auto& d = r["dropped"];
  s += "\n  dropped: " + std::to_string(d["same_entity"].get<int64_t>()) + " same entity, " +
       std::to_string(d["excluded_category"].get<int64_t>()) + " excluded category, " +
       std::to_string(d["previous"].get<int64_t>()) + " judged before";
  if (const auto& b = r["budget"]; b["max_pairs"].get<int64_t>() > 0)
    s += "\n  budget: " + std::to_string(b["kept"].get<int64_t>()) + " of " +
         std::to_string(b["offered"].get<int64_t>()) +
         " pairs (pairs.max_pairs = " + std::to_string(b["max_pairs"].get<int64_t>()) + "), " +
         std::to_string(b["cooccur_kept"].get<int64_t>()) + " with co-occurrence evidence";
  if (r.contains("truth_coverage_weighted")) {
    std::snprintf(line, sizeof line,
                  "\n  truth coverage: %.1f%% traffic-weighted, %.1f%% of %lld relations",
                  100.0 * r["truth_coverage_weighted"].get<double>(),
                  100.0 * r["truth_coverage_unweighted"].get<double>(),
                  static_cast<long long>(r["truth_relations"].get<int64_t>()));
    s += line;
  }
  return s;
}

}  // namespace kerec::pipeline
