// Stage `extract` (internal header; the stage is reached through pipeline/stage.h).
#pragma once
#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

class ExtractStage final : public Stage {
 public:
  std::string name() const override { return "extract"; }
  int version() const override {
    return 7;
  }  // 2: fuzzy matches, source 2; 3: mined aliases, source 3; 4: phrase rules; 5: extractor.h5;
     // 6: LLM linking
  // world and llm: LLM linking (the simulator reads the world; the answers depend on the model).
  std::vector<std::string> config_sections() const override {
    return {"input", "extract", "world", "llm"};
  }
  // [llm]: only the keys that change linking's answers, and only with extract.llm_link (a new
  // judge concurrency or retry policy must not re-extract and rerun every stage after).
  std::string config_fingerprint(const JobConfig& config) const override;
  std::vector<Artifact> upstream_artifacts() const override { return {artifacts::kIngestReport}; }
  std::vector<std::string> input_files(const JobConfig& config) const override;
  nlohmann::json run(StageContext& ctx) override;
  std::string summary(const nlohmann::json& report) const override;
};

}  // namespace kerec::pipeline
