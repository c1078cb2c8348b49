#include "ab_stage.h"
#include "export_stage.h"
#include "extract_stage.h"
#include "graph_stage.h"
#include "ingest_stage.h"
#include "integrate_stage.h"
#include "judge_stage.h"
#include "kerec/pipeline/stage.h"
#include "pairs_stage.h"
#include "popularity_stage.h"
#include "train_stage.h"

namespace kerec::pipeline {

std::string Stage::config_fingerprint(const JobConfig& config) const {
  return config.to_toml(config_sections());
}

const std::vector<std::unique_ptr<Stage>>& all_stages() {
  static const std::vector<std::unique_ptr<Stage>> stages = [] {
    std::vector<std::unique_ptr<Stage>> s;
    s.push_back(std::make_unique<IngestStage>());
    s.push_back(std::make_unique<ExtractStage>());
    s.push_back(std::make_unique<PopularityStage>());  // after extract
    s.push_back(std::make_unique<PairsStage>());
    s.push_back(std::make_unique<JudgeStage>());
    s.push_back(std::make_unique<GraphStage>());
    s.push_back(std::make_unique<TrainStage>());
    s.push_back(std::make_unique<IntegrateStage>());
    s.push_back(std::make_unique<ExportStage>());
    s.push_back(std::make_unique<AbStage>());
    return s;
  }();
  return stages;
}

Stage* find_stage(const std::string& name) {
  for (const auto& s : all_stages())
    if (s->name() == name) return s.get();
  return nullptr;
}

}  // namespace kerec::pipeline
