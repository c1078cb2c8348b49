// Stage `judge` (internal header; the stage is reached through pipeline/stage.h).
#pragma once

#include "kerec/llm/config.h"
#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// The API key from the environment variable llm.api_key_env; ConfigError when it is empty and an
// endpoint is not on loopback. Empty for the simulator.
std::string judge_api_key(const llm::LlmConfig& config);

class JudgeStage final : public Stage {
 public:
  std::string name() const override { return "judge"; }
  int version() const override { return 1; }
  std::vector<std::string> config_sections() const override { return {"input", "world", "llm"}; }
  std::vector<Artifact> upstream_artifacts() const override {
    return {artifacts::kEntities, artifacts::kPairs, artifacts::kExtractReport};
  }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
