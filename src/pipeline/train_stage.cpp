// Stage `train`: the baseline ranker, trained data-parallel over the exposures before
// train.test_start_ts and evaluated on those after it (all items, and cold-start items alone).
#include "train_stage.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/train/ranker_data.h"
#include "kerec/train/ranker_file.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

}  // namespace

std::vector<std::string> TrainStage::input_files(const JobConfig& config) const {
  return {config.input_path("items.tsv"), config.input_path("exposures.tsv")};
}

namespace {

// Collective: the same verdict on every rank, so a missing key is a clean exit 2, not an abort.
void require_test_start(dist::Comm& comm, const train::TrainConfig& c) {
  dist::run_agreed(comm, [&] {
    if (c.test_start_ts <= 0)
      throw ConfigError(
          "key 'train.test_start_ts' is not set: the unix time where the test exposures begin "
          "(the synthetic world writes it as train_end_ts in world.json)");
  });
}

// Collective: RUN_DIR/model/ranker-<fingerprint>, the checkpoints of this model on these inputs.
std::string checkpoint_fingerprint(StageContext& ctx, const train::RankerShape& shape,
                                   const train::RankerDataPaths& paths) {
  std::string fingerprint;
  dist::run_agreed(ctx.comm, [&] {
    fingerprint = train::inputs_fingerprint(
        shape.describe() + ctx.config.to_toml({"train"}),
        {paths.items_h5, paths.bills_h5, paths.items_tsv, paths.exposures_tsv});
  });
  return fingerprint;
}

// metrics.jsonl: every step's loss (also those before a resume), the trainer's other events, and
// the test metrics.
void write_metrics(const fs::path& path, const train::TrainResult& result,
                   const std::vector<json>& events, const json& test, const json& cold) {
  std::ofstream out(path);
  for (size_t s = 0; s < result.step_losses.size(); ++s)
    out << json{{"stage", "train"},
                {"event", "step"},
                {"step", s + 1},
                {"loss", result.step_losses[s]}}
               .dump()
        << "\n";
  for (json e : events) {
    if (e["event"] == "step") continue;
    e["stage"] = "train";
    out << e.dump() << "\n";
  }
  out << json{{"stage", "train"},
              {"event", "test"},
              {"step", result.steps},
              {"all", test},
              {"cold_start", cold}}
             .dump()
      << "\n";
  if (!out) throw IoError("write " + path.string() + " failed");
}

json train_report(const train::RankerData& data, const train::TrainResult& result, const json& test,
                  const json& cold, double load_s, int ranks) {
  const double samples_s = ranks * result.local_samples_seen / std::max(result.train_s, 1e-9);
  return {{"model", "ranker"},
          {"ranks", ranks},
          {"data", data.counts},
          {"steps", result.steps},
          {"resumed_from_step", result.resumed_from_step},
          {"early_stopped", result.early_stopped},
          {"final_loss", result.step_losses.empty() ? 0.0 : result.step_losses.back()},
          {"test", test},
          {"test_cold_start", cold},
          {"load_s", load_s},
          {"train_s", result.train_s},
          {"samples_per_s_per_rank", samples_s / ranks},
          {"exchange_share", result.train_s > 0 ? result.exchange_s / result.train_s : 0.0},
          {"checkpoint", result.last_checkpoint.string()}};
}

}  // namespace

json TrainStage::run(StageContext& ctx) {
  const auto& c = ctx.config.train();
  require_test_start(ctx.comm, c);
  const train::RankerDataPaths paths{
      ctx.run.artifact(artifacts::kItems), ctx.run.artifact(artifacts::kBills),
      ctx.config.input_path("items.tsv"), ctx.config.input_path("exposures.tsv")};
  const auto load_start = std::chrono::steady_clock::now();
  auto data = train::load_ranker_data(ctx.comm, c, paths, ctx.config.input().bad_row_policy());
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  const auto shape = train::RankerShape::from(c, data.items);
  train::RankerModel model(shape, static_cast<uint64_t>(c.seed));
  train::RankerTask task(model, data.items, data.train, data.valid);
  const auto fingerprint = checkpoint_fingerprint(ctx, shape, paths);
  const fs::path ckpt_dir = ctx.run.root() / "model" / ("ranker-" + fingerprint.substr(0, 12));
  train::Trainer trainer(ctx.comm, c, task, ckpt_dir, fingerprint);
  std::vector<json> events;
  trainer.on_event = [&](const json& e) { events.push_back(e); };
  const auto result = trainer.run();
  const auto test = train::evaluate_ranker(ctx.comm, model, data.items, data.test, false).to_json();
  const auto cold = train::evaluate_ranker(ctx.comm, model, data.items, data.test, true).to_json();
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.comm.rank() != 0) return;
    write_metrics(ctx.out_dir / "metrics.jsonl", result, events, test, cold);
    train::write_ranker_file(ctx.out_dir / artifacts::kBaselineRanker.file, model,
                             sha256_hex(ctx.config.to_toml({"train"})));
  });
  return train_report(data, result, test, cold, load_s, ctx.comm.size());
}

std::string TrainStage::summary(const json& r) const {
  char line[320];
  std::snprintf(
      line, sizeof line,
      "train: ranker, %lld steps on %d rank(s), final loss %.4f\n"
      "  test AUC %.4f, GAUC %.4f, LogLoss %.4f (%lld samples); cold-start AUC %.4f (%lld)\n"
      "  %.0f samples/s per rank, %.1f%% of the step in gradient exchange",
      static_cast<long long>(r["steps"].get<int64_t>()), r["ranks"].get<int>(),
      r["final_loss"].get<double>(), r["test"]["auc"].get<double>(),
      r["test"]["gauc"].get<double>(), r["test"]["logloss"].get<double>(),
      static_cast<long long>(r["test"]["samples"].get<int64_t>()),
      r["test_cold_start"]["auc"].get<double>(),
      static_cast<long long>(r["test_cold_start"]["samples"].get<int64_t>()),
      r["samples_per_s_per_rank"].get<double>(), 100 * r["exchange_share"].get<double>());
  return line;
}

}  // namespace kerec::pipeline
