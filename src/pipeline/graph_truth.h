// Evaluation of graph.h5 against a synthetic world's truth (docs/world.md), for the stage report.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace kerec::pipeline {

// Local (rank 0). Adds `truth` to `report` when `truth_dir` holds complements.tsv and
// substitutes.tsv: precision and recall of the complementary edges against the true complements,
// and the share of substitutable pairs whose entities share a true substitute group. Entities are
// matched by entity_id. Does nothing when the files are absent (real data has no truth).
void add_graph_truth(nlohmann::json& report, const std::filesystem::path& graph_h5,
                     const std::filesystem::path& truth_dir);

}  // namespace kerec::pipeline
