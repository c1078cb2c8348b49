// Stage `integrate` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// `kerec integrate` trains the contrastive entity encoder and the E-E-I weight model on the
// complementary exposure-click samples of graph.h5's complementary graph, writes the learned edge
// weights (eei.h5), trains the integrated ranker with the E-E-I features (ranker.h5), and evaluates
// it beside the train stage's baseline ranker on slices of the test exposures; with a synthetic
// world's truth, against the oracle ceilings (docs/models.md). eei.ablations adds variants.
class IntegrateStage final : public Stage {
 public:
  std::string name() const override { return "integrate"; }
  int version() const override {
    return 3;
  }  // 2: eei.h5 records its entity count; 3: controls touch no row
  // world: only world.dir, for the truth that evaluation reads (never the models).
  std::vector<std::string> config_sections() const override {
    return {"input", "train", "eei", "world"};
  }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kItems, artifacts::kBills, artifacts::kGraph, artifacts::kBaselineRanker};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
