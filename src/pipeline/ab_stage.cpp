// Stage `ab`: the simulated online A/B test (docs/ab.md).
#include "ab_stage.h"
#include "integrate_inputs.h"

#include <chrono>
#include <fstream>
#include <memory>

#include "kerec/ab/arm.h"
#include "kerec/ab/uplift.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/recall/serving.h"
#include "kerec/train/ranker_file.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The paper's online figures (arXiv 2402.13750, one month, 10% of traffic).
const json kPaper = {
    {"conversions", 0.0624}, {"gmv", 0.0645}, {"conversions_third_scenario", 0.1007}};

// Everything the arms share, loaded identically on every rank.
struct Inputs {
  recall::ServingModel model;
  world::WorldModel world;
  std::unique_ptr<train::RankerModel> baseline;
  train::ComplementWeights raw, truth;  // U2E2I graphs of the raw_edges and truth_graph arms
};

// world.json's counts that the model alone determines (the seed changes the last three).
void check_world(const world::WorldModel& w, const fs::path& dir) {
  std::ifstream in(dir / "world.json");
  if (!in)
    throw ConfigError("ab: the A/B test needs the synthetic world the run was built from; " +
                      (dir / "world.json").string() +
                      " cannot be read (set world.dir, keep input.dir empty)");
  const json j = json::parse(in, nullptr, false);
  int64_t cold = 0;
  for (const auto& item : w.catalog.items) cold += item.cold_start;
  const std::pair<const char*, int64_t> want[] = {
      {"entities", w.sizes.entities},
      {"items", w.sizes.items},
      {"users", w.sizes.users},
      {"train_end_ts", w.sizes.train_end_ts},
      {"cold_start_items", cold},
      {"complement_relations", static_cast<int64_t>(w.complements.edges())},
      {"substitute_groups", static_cast<int64_t>(w.taxonomy.substitute_groups.size())}};
  for (const auto& [key, value] : want)
    if (!j.is_object() || !j.contains(key) || j[key] != value)
      throw ConfigError("ab: " + (dir / "world.json").string() +
                        " was not generated with this job's [world] (" + key +
                        " differs); the A/B test replays the world from the config");
}

train::ComplementWeights fixed_weights(const train::EntityGraph& g,
                                       const train::ComplementWeights& like) {
  return {g, std::vector<double>(like.recency.size(), 1.0), like.window_h};
}

Inputs load_inputs(StageContext& ctx) {
  Inputs in;
  if (!ctx.config.input().dir.empty())
    throw ConfigError(
        "ab: the A/B test needs the synthetic world the run was built from (input.dir must be "
        "empty)");
  in.model = recall::read_serving_file(ctx.run.artifact(artifacts::kServing));
  in.world = world::build_world_model(ctx.config.world());
  check_world(in.world, ctx.config.world().dir);
  auto shape = in.model.ranker->shape();
  shape.dense = 0;  // the baseline ranker: the same features without the E-E-I ones
  in.baseline = std::make_unique<train::RankerModel>(shape, 0);
  train::read_ranker_file(ctx.run.artifact(artifacts::kBaselineRanker), *in.baseline);
  int64_t unknown = 0;
  const auto graphs = load_integrate_graphs(
      ctx.run.artifact(artifacts::kGraph),
      fs::path(ctx.config.world().dir) / "truth" / "complements.tsv", in.model.entities(), unknown);
  in.raw = fixed_weights(graphs.llm, in.model.complements);
  in.truth = fixed_weights(graphs.truth_strength, in.model.complements);
  return in;
}

std::vector<ab::ArmSpec> arm_specs(const Inputs& in, const ab::AbConfig& c) {
  const auto seed = static_cast<uint64_t>(c.crn_seed);
  std::vector<ab::ArmSpec> arms = {{"baseline", false, {in.baseline.get(), nullptr}, seed}};
  if (c.aa) arms.push_back({"baseline_aa", false, {in.baseline.get(), nullptr}, seed + 1});
  for (const auto& name : c.arms) {
    if (name == "llm_kerec") arms.push_back({name, true, {}, seed});
    if (name == "no_u2e2i") arms.push_back({name, false, {}, seed});
    if (name == "raw_edges") arms.push_back({name, true, {nullptr, &in.raw}, seed});
    if (name == "truth_graph") arms.push_back({name, true, {nullptr, &in.truth}, seed});
  }
  return arms;
}

// Collective: the arm's counters summed over ranks.
json counters_json(dist::Comm& comm, ab::ArmCounters c) {
  dist::reduce_counters(comm, c);
  return dist::counters_json(c);
}

json totals_json(const ab::UpliftSums& sums, int arm) {
  json t;
  for (int s = 0; s < ab::kSlices; ++s)
    for (int m = 0; m < ab::kMetrics; ++m)
      t[ab::slice_name(s)][ab::metric_name(m)] = sums.total(arm, s, m);
  return t;
}

// The figures that say why the uplift is what it is (docs/ab.md, "Reading the figures").
json decomposition(const json& arms, const json& uplift) {
  if (!arms.contains("llm_kerec")) return nullptr;
  const json& k = arms["llm_kerec"];
  const double requests = std::max(1.0, k["requests"].get<double>());
  json d = {{"share_of_requests_with_recent_bill",
             k["requests_with_recent_bill"].get<double>() / requests},
            {"share_of_slates_with_u2e2i", k["slates_with_u2e2i"].get<double>() / requests},
            {"share_of_items_from_u2e2i",
             k["u2e2i_items_shown"].get<double>() / std::max(1.0, k["items_shown"].get<double>())}};
  const json& u = uplift["llm_kerec"];
  for (const char* slice : {"with_recent_bill", "without_recent_bill", "post_payment", "home"})
    d["expected_conversions_uplift_" + std::string(slice)] =
        u[slice]["expected_conversions"].is_null() ? json(nullptr)
                                                   : u[slice]["expected_conversions"]["uplift"];
  return d;
}

}  // namespace

std::vector<std::string> AbStage::input_files(const JobConfig& config) const {
  const fs::path w = config.world.dir;
  return {(w / "world.json").string(), (w / "truth" / "complements.tsv").string()};
}

namespace {

// One policy and one user simulator per arm; the simulator calls its arm's policy for each slate.
struct Arms {
  std::vector<ab::ArmSpec> specs;
  std::vector<std::unique_ptr<ab::ArmPolicy>> policies;
  std::vector<std::unique_ptr<world::UserSimulator>> sims;
  int size() const { return static_cast<int>(specs.size()); }
};

void build_arms(const Inputs& in, const ab::AbConfig& c, const ab::WorldIndex& index,
                ab::BillEntities& bills, Arms& arms) {
  recall::Request base;
  base.per_channel = c.per_channel, base.items_per_entity = c.items_per_entity;
  arms.specs = arm_specs(in, c);
  for (const auto& spec : arms.specs) {
    arms.policies.push_back(
        std::make_unique<ab::ArmPolicy>(in.model, in.world, index, bills, spec, base));
    arms.sims.push_back(std::make_unique<world::UserSimulator>(
        in.world,
        world::PolicyHook{arms.policies.back().get(), in.world.sizes.train_end_ts, spec.crn_seed}));
  }
}

// Collective: this rank's block of users replayed once per arm, summed into `sums` (common random
// numbers: the same user sees the same draws in every arm). Returns this rank's seconds.
double simulate_users(dist::Comm& comm, const Inputs& in, Arms& arms, ab::UpliftSums& sums) {
  const auto block =
      dist::block_of(static_cast<uint64_t>(in.world.sizes.users), comm.size(), comm.rank());
  const auto start = std::chrono::steady_clock::now();
  dist::run_agreed(comm, [&] {
    std::vector<ab::UserSums> per_arm(arms.size());
    world::SimulationOutput out;  // no writers: the A/B keeps only the policies' sums
    for (uint64_t u = block.begin; u < block.end; ++u) {
      for (int a = 0; a < arms.size(); ++a) {
        arms.policies[a]->begin_user(static_cast<int64_t>(u));
        arms.sims[a]->simulate(static_cast<int64_t>(u), out);
        per_arm[a] = arms.policies[a]->user_sums();
      }
      sums.add_user(static_cast<int64_t>(u), per_arm);
    }
  });
  const double local_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sums.allreduce(comm);
  return local_s;
}

// Collective (the arms' counters are summed over ranks).
json ab_report(dist::Comm& comm, const Inputs& in, const ab::AbConfig& c, const Arms& arms,
               const ab::UpliftSums& sums, double local_s) {
  json report = {{"users", in.world.sizes.users},
                 {"test_start_ts", in.world.sizes.train_end_ts},
                 {"paper", kPaper},
                 {"crn_seed", c.crn_seed},
                 {"bootstrap_replicates", c.bootstrap_replicates},
                 {"confidence", c.confidence}};
  int64_t requests = 0;
  for (int a = 0; a < arms.size(); ++a) {
    json& arm = report["arms"][arms.specs[a].name];
    arm = counters_json(comm, arms.policies[a]->counters());
    requests += arms.policies[a]->counters().requests;
    arm["totals"] = totals_json(sums, a);
    if (a > 0) report["uplift"][arms.specs[a].name] = sums.uplift(a, 0, c.confidence);
  }
  report["decomposition"] = decomposition(report["arms"], report["uplift"]);
  report["simulation_s"] = dist::allreduce_value(comm, local_s, dist::ReduceOp::kMax);
  report["requests_per_s_per_rank"] = static_cast<double>(requests) / std::max(1e-9, local_s);
  return report;
}

}  // namespace

json AbStage::run(StageContext& ctx) {
  const auto& c = ctx.config.ab();
  Inputs in;
  dist::run_agreed(ctx.comm, [&] { in = load_inputs(ctx); });
  const ab::WorldIndex index(in.model, in.world);
  ab::BillEntities bills(in.model.extractor);
  Arms arms;
  build_arms(in, c, index, bills, arms);
  ab::UpliftSums sums(arms.size(), static_cast<int>(c.bootstrap_replicates),
                      static_cast<uint64_t>(c.crn_seed));
  const double local_s = simulate_users(ctx.comm, in, arms, sums);
  json report = ab_report(ctx.comm, in, c, arms, sums, local_s);
  report["bill_texts_extracted"] =
      dist::allreduce_value<int64_t>(ctx.comm, bills.extracted(), dist::ReduceOp::kSum);
  return report;
}

std::string AbStage::summary(const json& r) const {
  std::string out = "ab: " + std::to_string(r["users"].get<int64_t>()) +
                    " users' test period, per arm over the baseline " + "(uplift [" +
                    std::to_string(static_cast<int>(r["confidence"].get<double>() * 100)) +
                    "% paired interval]):\n";
  char line[400];
  std::snprintf(line, sizeof line, "  %-12s %8s %24s %24s %14s %14s\n", "arm", "requests",
                "conversions", "GMV", "exp. conv.", "exp. GMV");
  out += line;
  const auto fmt = [](const json& u) {
    if (u.is_null()) return std::string("-");
    if (!u["paired"][0].is_number())
      return std::to_string(100 * u["uplift"].get<double>()) + "% [-]";
    char b[64];
    std::snprintf(b, sizeof b, "%+.2f%% [%+.1f, %+.1f]", 100 * u["uplift"].get<double>(),
                  100 * u["paired"][0].get<double>(), 100 * u["paired"][1].get<double>());
    return std::string(b);
  };
  for (const auto& [name, arm] : r["arms"].items()) {
    if (!r["uplift"].contains(name)) {
      std::snprintf(line, sizeof line, "  %-12s %8lld %24s\n", name.c_str(),
                    static_cast<long long>(arm["requests"].get<int64_t>()), "(reference)");
      out += line;
      continue;
    }
    const json& u = r["uplift"][name]["all"];
    std::snprintf(
        line, sizeof line, "  %-12s %8lld %24s %24s %13s %13s\n", name.c_str(),
        static_cast<long long>(arm["requests"].get<int64_t>()), fmt(u["conversions"]).c_str(),
        fmt(u["gmv"]).c_str(),
        fmt(u["expected_conversions"]).substr(0, fmt(u["expected_conversions"]).find(' ')).c_str(),
        fmt(u["expected_gmv"]).substr(0, fmt(u["expected_gmv"]).find(' ')).c_str());
    out += line;
  }
  std::snprintf(
      line, sizeof line, "  the paper (online, one month): conversions %+.2f%%, GMV %+.2f%%",
      100 * r["paper"]["conversions"].get<double>(), 100 * r["paper"]["gmv"].get<double>());
  return out + line;
}

}  // namespace kerec::pipeline
