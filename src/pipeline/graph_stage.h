// Stage `graph` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

class GraphStage final : public Stage {
 public:
  std::string name() const override { return "graph"; }
  int version() const override { return 1; }
  std::vector<std::string> config_sections() const override { return {"input", "world", "graph"}; }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kEntities, artifacts::kItems, artifacts::kVerdicts};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
