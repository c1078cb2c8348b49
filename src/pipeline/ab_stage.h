// Stage `ab` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// `kerec ab`: the simulated online A/B test (docs/ab.md). Every held-out user's test period is
// simulated by the world's behaviour model once per arm, each arm serving the home and
// post-payment sessions from serving.h5 with its own recall and ranker, with common random
// numbers; the report gives clicks, conversions and GMV per arm, sampled and expected, the uplift
// over the baseline with paired and unpaired bootstrap intervals, an A/A check, slices and the
// decomposition that explains the uplift. Needs the synthetic world the run was built from.
class AbStage final : public Stage {
 public:
  std::string name() const override { return "ab"; }
  int version() const override { return 2; }  // 2: sessions by slate, nearest-rank percentiles
  std::vector<std::string> config_sections() const override {
    return {"input", "world", "train", "eei", "ab"};
  }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kGraph, artifacts::kBaselineRanker, artifacts::kServing};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
