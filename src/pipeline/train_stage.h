// Stage `train` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// `kerec train` trains the model named by train.model (today: "ranker", the baseline CTR model)
// data-parallel, evaluates it on the test exposures and writes ranker.h5 and metrics.jsonl.
// Checkpoints go to RUN_DIR/model/<model>-<hash>/ (outside the staged folder, so a killed job
// resumes from them); see docs/operations.md "Training: checkpoints and requeue".
class TrainStage final : public Stage {
 public:
  std::string name() const override { return "train"; }
  int version() const override { return 2; }  // 2: dropout masks keyed by sample, not by rank
  std::vector<std::string> config_sections() const override { return {"input", "train"}; }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kItems, artifacts::kBills};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
