#include "integrate_inputs.h"

#include <unordered_map>

#include "kerec/graph/graph_reader.h"
#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {
namespace {

// Edges of one CSR list of a GraphPart as (source, target, weight) columns.
struct Columns {
  std::vector<int32_t> source, target;
  std::vector<float> weight;
};

template <class List>
Columns columns(const graph::GraphPart& part, const List& list, const std::vector<float>& weight) {
  Columns c;
  for (int64_t row = 0; row + 1 < static_cast<int64_t>(list.row_offsets.size()); ++row)
    for (int64_t k = list.row_offsets[row]; k < list.row_offsets[row + 1]; ++k) {
      c.source.push_back(static_cast<int32_t>(part.first_source + row));
      c.target.push_back(list.target[k]);
      c.weight.push_back(weight[k]);
    }
  return c;
}

train::EntityGraph to_graph(int64_t entities, const Columns& c) {
  return train::EntityGraph::from_edges(entities, c.source, c.target, c.weight);
}

const io::TsvSchema& complements_schema() {
  static const io::TsvSchema schema{
      "true complements", {{"a"}, {"b"}, {"strength", io::ColumnType::kDouble, false, true}}};
  return schema;
}

// truth/complements.tsv with entity ids mapped to indexes.
Columns read_truth(const std::filesystem::path& tsv, const std::vector<std::string>& ids,
                   int64_t& unknown) {
  std::unordered_map<std::string_view, int32_t> index;
  for (size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], static_cast<int32_t>(i));
  io::TsvReader reader(tsv.string(), complements_schema());
  io::TsvRow row;
  Columns c;
  while (reader.next(row)) {
    const auto a = index.find(row.str(0)), b = index.find(row.str(1));
    if (a == index.end() || b == index.end()) {
      ++unknown;
      continue;
    }
    c.source.push_back(a->second), c.target.push_back(b->second);
    const double strength = row.f64(2);
    if (!(strength > 0 && strength <= 1))
      throw InputError(tsv.string() + ":" + std::to_string(row.line()) +
                       ": column 'strength': " + std::to_string(strength) + " is outside (0, 1]");
    c.weight.push_back(static_cast<float>(strength));
  }
  return c;
}

}  // namespace

train::EntityGraph substitutable_graph(const graph::GraphPart& part, int64_t entities) {
  return to_graph(entities, columns(part, part.sub, part.sub.weight));
}

IntegrateGraphs load_integrate_graphs(const std::filesystem::path& graph_h5,
                                      const std::filesystem::path& truth_tsv, int64_t entities,
                                      int64_t& truth_unknown) {
  const graph::GraphReader reader(graph_h5);
  const graph::GraphPart all = reader.read_all();
  IntegrateGraphs g;
  g.entity_ids = reader.entity_ids();
  g.graph_root = reader.info().root;
  const int64_t n = std::max<int64_t>(entities, reader.info().entities);
  g.llm = to_graph(n, columns(all, all.comp, all.comp.confidence));
  g.substitutes = substitutable_graph(all, n);
  truth_unknown = 0;
  if (!truth_tsv.empty()) {
    Columns c = read_truth(truth_tsv, g.entity_ids, truth_unknown);
    g.truth_strength = to_graph(n, c);
    std::fill(c.weight.begin(), c.weight.end(), 1.0f);
    g.truth = to_graph(n, c);
  }
  return g;
}

}  // namespace kerec::pipeline
