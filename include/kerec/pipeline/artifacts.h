// The files one stage reads from another stage's folder of the run directory, named once. A stage
// declares the artifacts it reads (Stage::upstream_artifacts()); its upstream stages, the upstream
// part of its fingerprint and the runner's integrity check before it runs all follow from that
// list, and the runner fails a stage that reads an artifact it did not declare (StageRunDir).
//
// What a file holds is owned by the part that writes it, in one module with its dataset names,
// schema and typed writer and reader: extract/tables.h (entities, items, bills),
// pairs/popularity.h, pairs/pairs_io.h, llm/verdicts_file.h, graph/graph_file.h and
// graph/graph_reader.h, train/ranker_file.h, train/eei_file.h, extract/extractor_file.h,
// recall/serving.h. The whole catalogue, dataset by dataset, is docs/artifacts.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kerec::pipeline {

struct Artifact {
  std::string_view stage;  // the stage that writes it, and the folder it is in
  std::string_view file;   // its name in that folder
  std::string name() const { return std::string(stage) + "/" + std::string(file); }
  bool operator==(const Artifact&) const = default;
};

namespace artifacts {
// Extract reads no file of ingest's; it declares ingest's report so that it runs only after the
// inputs passed ingest's checks, and again whenever ingest ran again.
inline constexpr Artifact kIngestReport{"ingest", "report.json"};
// The judge reads extract's report for the cost of LLM linking beside its own.
inline constexpr Artifact kExtractReport{"extract", "report.json"};
inline constexpr Artifact kEntities{"extract", "entities.h5"};
inline constexpr Artifact kItems{"extract", "items.h5"};
inline constexpr Artifact kBills{"extract", "bills.h5"};
inline constexpr Artifact kExtractor{"extract", "extractor.h5"};
inline constexpr Artifact kPopularity{"popularity", "popularity.h5"};
inline constexpr Artifact kPairs{"pairs", "pairs.h5"};
inline constexpr Artifact kVerdicts{"judge", "verdicts.h5"};
inline constexpr Artifact kGraph{"graph", "graph.h5"};
inline constexpr Artifact kBaselineRanker{"train", "ranker.h5"};
inline constexpr Artifact kEei{"integrate", "eei.h5"};
inline constexpr Artifact kIntegratedRanker{"integrate", "ranker.h5"};
inline constexpr Artifact kServing{"export", "serving.h5"};
}  // namespace artifacts

// The stages that write `artifacts`, each once, in the order first named.
std::vector<std::string> stages_of(const std::vector<Artifact>& artifacts);

}  // namespace kerec::pipeline
