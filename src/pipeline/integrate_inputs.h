// What the integrate stage reads besides the ranker's samples (internal to the stage): the graphs
// of graph.h5 as EntityGraphs and a synthetic world's truth graph.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kerec/graph/graph_reader.h"
#include "kerec/io/h5_attr.h"
#include "kerec/train/entity_graph.h"

namespace kerec::pipeline {

struct IntegrateGraphs {
  train::EntityGraph llm;          // graph.h5's complementary edges, weight = LLM confidence
  train::EntityGraph substitutes;  // graph.h5's substitutable edges, weight = co-click weight
  std::optional<train::EntityGraph>
      truth;                          // the world's true complements, weight 1 (none for real data)
  train::EntityGraph truth_strength;  // the same edges with their true strengths (evaluation)
  std::vector<std::string> entity_ids;
  io::h5::RootAttrs graph_root;  // graph.h5's root attributes (LLM model and prompt hashes)
};

// Local (every rank reads the same files). `entities` is the index bound of the samples; the
// graphs take the larger of it and graph.h5's entity count. The truth graph is read from
// `truth_tsv` (a world's truth/complements.tsv) unless it is empty; its rows name entities by
// entity_id (unknown ids are counted in `truth_unknown`). InputError naming the file and line for
// a bad row (a strength outside (0, 1] included).
// The substitutable edges of `part` (graph.h5 read whole) as an EntityGraph over `entities`.
train::EntityGraph substitutable_graph(const graph::GraphPart& part, int64_t entities);

IntegrateGraphs load_integrate_graphs(const std::filesystem::path& graph_h5,
                                      const std::filesystem::path& truth_tsv, int64_t entities,
                                      int64_t& truth_unknown);

}  // namespace kerec::pipeline
