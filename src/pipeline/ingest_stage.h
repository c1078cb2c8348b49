// Stage `ingest` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

class IngestStage final : public Stage {
 public:
  std::string name() const override { return "ingest"; }
  int version() const override { return 1; }
  std::vector<std::string> config_sections() const override { return {"input"}; }
  std::vector<Artifact> upstream_artifacts() const override { return {}; }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
