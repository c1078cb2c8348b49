// Stage `export` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// `kerec export` writes serving.h5 (recall/serving.h): entities, items and their features, each
// entity's items, the complementary graph with the learned weights and the LLM's reasons, the
// substitutable graph, the popular items and the integrated ranker. Then every rank reads it back
// through the serving reader (so a damaged write fails here) and measures the offline recall of the
// channels and of their merge with and without U2E2I (recall/offline.h); docs/serving.md.
class ExportStage final : public Stage {
 public:
  std::string name() const override { return "export"; }
  int version() const override {
    return 4;
  }  // 2: /users, /extractor; 3: recall of conversions; 4: logs_end_ts of all ranks
  std::vector<std::string> config_sections() const override {
    return {"input", "train", "eei", "export"};
  }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kExtractor, artifacts::kItems, artifacts::kBills,
            artifacts::kGraph,     artifacts::kEei,   artifacts::kIntegratedRanker};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
