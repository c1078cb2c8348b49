// Stage `integrate`: encoder + E-E-I model, learned edge weights, the integrated ranker and its
// evaluation against the baseline and the world's ceilings (docs/models.md).
#include "integrate_stage.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>

#include "integrate_inputs.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/train/eei_file.h"
#include "kerec/train/evaluation.h"
#include "kerec/train/integrate.h"
#include "kerec/train/ranker_file.h"
#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The E-E-I settings of variant `name`: the main model ("integrated") or one ablation.
train::EeiConfig variant_config(const std::string& name, train::EeiConfig c) {
  if (name == "no_encoder") c.encoder = false;
  if (name == "no_contrastive") c.contrastive_weight = 0;
  if (name == "raw_edges") c.learn_weights = false;
  if (name == "truth_graph") c.graph = "truth";
  return c;
}

// Spearman's rho of x and y over the entries where keep[i].
double spearman_where(const std::vector<double>& x, const std::vector<double>& y,
                      const std::vector<bool>& keep) {
  std::vector<double> xs, ys;
  for (size_t i = 0; i < x.size(); ++i)
    if (keep[i]) xs.push_back(x[i]), ys.push_back(y[i]);
  return train::spearman(xs, ys);
}

// The learned weights against the truth: Spearman correlations (over all edges, over the edges with
// feedback, over the true edges) and the precision of the top-weighted edges.
json edge_weight_report(const train::EntityGraph& conf, const train::VariantResult& v,
                        const train::EntityGraph& strength) {
  std::vector<double> learned, confidence, truth;
  for (int32_t a = 0; a < conf.entities; ++a)
    for (int64_t k = conf.offsets[a]; k < conf.offsets[a + 1]; ++k) {
      const float* s = strength.find(a, conf.targets[k]);
      learned.push_back(v.weights.graph.weights[k]), confidence.push_back(conf.weights[k]);
      truth.push_back(s ? *s : 0.0);
    }
  std::vector<size_t> order(learned.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return learned[x] > learned[y]; });
  json precision;
  for (double share : {0.1, 0.25, 0.5, 1.0}) {
    const auto top = static_cast<size_t>(share * static_cast<double>(order.size()));
    size_t hits = 0;
    for (size_t i = 0; i < top; ++i) hits += truth[order[i]] > 0;
    precision[std::to_string(static_cast<int>(share * 100)) + "%"] =
        top ? static_cast<double>(hits) / top : 0.0;
  }
  std::vector<bool> fed(learned.size()), fed10(learned.size()), is_true(learned.size());
  for (size_t i = 0; i < learned.size(); ++i)
    fed[i] = v.edge_samples[i] > 0, fed10[i] = v.edge_samples[i] >= 10, is_true[i] = truth[i] > 0;
  return {{"edges", learned.size()},
          {"edges_with_feedback", std::count(fed.begin(), fed.end(), true)},
          {"edges_with_10_samples", std::count(fed10.begin(), fed10.end(), true)},
          {"spearman_learned", train::spearman(learned, truth)},
          {"spearman_confidence", train::spearman(confidence, truth)},
          {"spearman_learned_with_feedback", spearman_where(learned, truth, fed)},
          {"spearman_confidence_with_feedback", spearman_where(confidence, truth, fed)},
          {"spearman_learned_with_10_samples", spearman_where(learned, truth, fed10)},
          {"spearman_learned_true_edges", spearman_where(learned, truth, is_true)},
          {"precision_top", precision}};
}

// metrics.jsonl: every training step of every variant, then one "test" event per slice.
void write_metrics(const fs::path& path, const std::vector<train::VariantResult>& results,
                   const json& slices) {
  std::ofstream out(path);
  for (const auto& v : results) {
    for (const auto& [model, losses] :
         {std::pair{"eei", &v.eei_losses}, std::pair{"ranker", &v.ranker_losses}})
      for (size_t s = 0; s < losses->size(); ++s)
        out << json{{"stage", "integrate"}, {"variant", v.name}, {"model", model},
                    {"event", "step"},      {"step", s + 1},     {"loss", (*losses)[s]}}
                   .dump()
            << "\n";
  }
  for (const auto& [slice, s] : slices.items())
    out << json{{"stage", "integrate"}, {"event", "test"}, {"slice", slice}, {"metrics", s}}.dump()
        << "\n";
  if (!out) throw IoError("write " + path.string() + " failed");
}

// A synthetic world's truth, for evaluation only: none when the inputs are the user's own data.
// Whether its files exist is decided on rank 0 and broadcast, so every rank takes the same path
// (a rank that then cannot read a file fails in an agreed step, never in a collective alone).
struct TruthFiles {
  fs::path dir;
  bool complements = false, exposures = false;
};

TruthFiles find_truth(StageContext& ctx) {
  TruthFiles t;
  if (!ctx.config.input().dir.empty()) return t;
  t.dir = fs::path(ctx.config.world().dir) / "truth";
  int64_t found = 0;
  if (ctx.comm.rank() == 0)
    found = fs::exists(t.dir / "complements.tsv") + 2 * fs::exists(t.dir / "exposures.tsv");
  found = dist::broadcast_value<int64_t>(ctx.comm, found, 0);
  t.complements = found & 1, t.exposures = found & 2;
  return t;
}

void check_config(const StageConfig& config, const TruthFiles& truth) {
  const auto& eei = config.eei();
  if (config.train().test_start_ts <= 0)
    throw ConfigError("key 'train.test_start_ts' is not set (see `kerec train`)");
  const bool truth_wanted =
      eei.graph == "truth" || std::count(eei.ablations.begin(), eei.ablations.end(), "truth_graph");
  if (truth_wanted && !truth.complements)
    throw ConfigError(
        "eei.graph = \"truth\" or the truth_graph ablation needs the synthetic world's "
        "truth/complements.tsv under world.dir, and input.dir empty (the world is the input)");
}

// Everything the variants share: the samples, the graphs, the baseline's test scores, the truth.
struct Inputs {
  train::RankerData data;
  IntegrateGraphs graphs;
  int64_t truth_unknown = 0;
  std::optional<train::ExposureTruth> truth;
  std::vector<float> baseline_scores;
  std::string
      fingerprint;  // of the inputs and the [train] and [eei] config: checkpoints must match
};

// Collective.
Inputs load_inputs(StageContext& ctx, const TruthFiles& truth) {
  const auto& c = ctx.config.train();
  const fs::path graph_h5 = ctx.run.artifact(artifacts::kGraph);
  const train::RankerDataPaths paths{
      ctx.run.artifact(artifacts::kItems), ctx.run.artifact(artifacts::kBills),
      ctx.config.input_path("items.tsv"), ctx.config.input_path("exposures.tsv")};
  Inputs in;
  in.data = train::load_ranker_data(ctx.comm, c, paths, ctx.config.input().bad_row_policy());
  train::RankerModel baseline(train::RankerShape::from(c, in.data.items),
                              static_cast<uint64_t>(c.seed));
  dist::run_agreed(ctx.comm, [&] {
    in.graphs = load_integrate_graphs(
        graph_h5, truth.complements ? truth.dir / "complements.tsv" : fs::path(),
        in.data.items.num_entities, in.truth_unknown);
    train::read_ranker_file(ctx.run.artifact(artifacts::kBaselineRanker), baseline);
    in.fingerprint = train::inputs_fingerprint(
        ctx.config.to_toml({"train", "eei"}),
        {paths.items_h5, paths.bills_h5, paths.items_tsv, paths.exposures_tsv, graph_h5});
  });
  if (truth.exposures)
    in.truth = train::load_exposure_truth(ctx.comm, c, truth.dir / "exposures.tsv", in.data.items,
                                          in.data.test);
  std::vector<uint32_t> all(in.data.test.size());
  std::iota(all.begin(), all.end(), 0u);
  dist::run_agreed(
      ctx.comm, [&] { in.baseline_scores = baseline.predict(in.data.test, in.data.items, all); });
  return in;
}

// Collective: the main model, then each ablation, in eei.ablations order.
std::vector<train::VariantResult> train_variants(StageContext& ctx, Inputs& in) {
  std::map<std::string, train::EncoderViews> views;  // by graph ("llm", "truth")
  std::vector<std::string> names = {"integrated"};
  names.insert(names.end(), ctx.config.eei().ablations.begin(), ctx.config.eei().ablations.end());
  std::vector<train::VariantResult> results;
  for (const auto& name : names) {
    const auto cfg = variant_config(name, ctx.config.eei());
    const auto& graph = cfg.graph == "truth" ? *in.graphs.truth : in.graphs.llm;
    if (!views.count(cfg.graph))
      views[cfg.graph] = train::encoder_views(in.graphs.substitutes, graph);
    const train::VariantInputs vin{ctx.config.train(), graph, views[cfg.graph],
                                   ctx.run.root() / "model", in.fingerprint};
    results.push_back(train::train_variant(ctx.comm, name, cfg, vin, in.data));
  }
  return results;
}

// Collective (the slice metrics).
json make_report(StageContext& ctx, const Inputs& in,
                 const std::vector<train::VariantResult>& results) {
  const auto& g = in.graphs;
  const train::ExposureTruth* truth = in.truth ? &*in.truth : nullptr;
  train::ModelScores scores = {{"baseline", &in.baseline_scores}};
  for (const auto& v : results) scores.emplace_back(v.name, &v.test_scores);
  const auto slices = train::standard_slices(in.data.test, in.data.items, g.llm,
                                             ctx.config.eei().trigger_window_h, truth);
  json report = {{"ranks", ctx.comm.size()},
                 {"data", in.data.counts},
                 {"graph",
                  {{"llm_edges", g.llm.edges()},
                   {"substitutable_edges", g.substitutes.edges()},
                   {"truth_edges", g.truth ? g.truth->edges() : 0},
                   {"truth_unknown_entities", in.truth_unknown}}},
                 {"slices", train::evaluate_slices(ctx.comm, slices, scores, "baseline",
                                                   in.data.test, truth)}};
  if (truth) report["exposure_truth_unmatched"] = truth->unmatched;
  for (const auto& v : results) report["variants"][v.name] = v.report;
  const auto& main_graph = ctx.config.eei().graph == "truth" ? *g.truth : g.llm;
  if (g.truth)
    report["edge_weights"] = edge_weight_report(main_graph, results.front(), g.truth_strength);
  return report;
}

}  // namespace

std::vector<std::string> IntegrateStage::input_files(const JobConfig& config) const {
  return {config.input_path("items.tsv"), config.input_path("exposures.tsv")};
}

json IntegrateStage::run(StageContext& ctx) {
  const TruthFiles truth = find_truth(ctx);
  dist::run_agreed(ctx.comm, [&] { check_config(ctx.config, truth); });
  Inputs in = load_inputs(ctx, truth);
  const auto results = train_variants(ctx, in);
  const json report = make_report(ctx, in, results);
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.comm.rank() != 0) return;
    const std::string sha = sha256_hex(ctx.config.to_toml({"train", "eei"}));
    const auto& main = results.front();
    train::write_eei_file(ctx.out_dir / artifacts::kEei.file, main.weights, main.eei.get(),
                          in.graphs.graph_root, sha);
    train::write_ranker_file(ctx.out_dir / artifacts::kIntegratedRanker.file, *main.ranker, sha);
    write_metrics(ctx.out_dir / "metrics.jsonl", results, report["slices"]);
  });
  return report;
}

std::string IntegrateStage::summary(const json& r) const {
  std::string out = "integrate: ";
  const auto& main = r["variants"]["integrated"];
  char line[400];
  std::snprintf(line, sizeof line, "E-E-I on %lld complementary exposure-click samples",
                static_cast<long long>(main["samples"]["train"].get<int64_t>()));
  out += line;
  if (main.contains("eei"))
    std::snprintf(line, sizeof line, " (%lld steps, test AUC %.4f)",
                  static_cast<long long>(main["eei"]["steps"].get<int64_t>()),
                  main["eei"]["test"]["auc"].get<double>()),
        out += line;
  if (r.contains("edge_weights")) {
    const auto& e = r["edge_weights"];
    std::snprintf(line, sizeof line,
                  "\n  learned edge weights vs true strength: Spearman %.3f (LLM confidence %.3f); "
                  "precision of the top 25%% edges %.3f, of all %.3f",
                  e["spearman_learned"].get<double>(), e["spearman_confidence"].get<double>(),
                  e["precision_top"]["25%"].get<double>(),
                  e["precision_top"]["100%"].get<double>());
    out += line;
  }
  out += "\n  test AUC by slice        samples   baseline";
  for (const auto& [name, m] : r["variants"].items()) out += "  " + name;
  const bool truth = r["slices"]["all"].contains("oracle_auc");
  if (truth) out += "  oracle  no-complement oracle";
  for (const auto& [slice, s] : r["slices"].items()) {
    std::snprintf(line, sizeof line, "\n  %-22s %9lld   %.4f", slice.c_str(),
                  static_cast<long long>(s["samples"].get<int64_t>()),
                  s["models"]["baseline"]["auc"].get<double>());
    out += line;
    for (const auto& [name, m] : r["variants"].items()) {
      std::snprintf(line, sizeof line, "  %*.4f",
                    static_cast<int>(std::max<size_t>(name.size(), 6)),
                    s["models"][name]["auc"].get<double>());
      out += line;
    }
    if (truth)
      std::snprintf(line, sizeof line, "  %.4f  %.4f", s["oracle_auc"].get<double>(),
                    s["no_complement_oracle_auc"].get<double>()),
          out += line;
  }
  return out;
}

}  // namespace kerec::pipeline
