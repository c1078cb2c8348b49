#include "ingest_stage.h"
#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

const std::vector<std::unique_ptr<Stage>>& all_stages() {
  static const std::vector<std::unique_ptr<Stage>> stages = [] {
    std::vector<std::unique_ptr<Stage>> s;
    s.push_back(std::make_unique<IngestStage>());
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
