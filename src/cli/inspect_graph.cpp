// `kerec inspect graph.h5 [--entity ID]`: what is in a graph file, read through GraphReader so
// every shard's checksum is verified on the way.
#include "inspect_graph.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "kerec/graph/graph_reader.h"
#include "kerec/util/error.h"

namespace kerec::cli {
namespace {

constexpr size_t kStrongest = 10;

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

void print_header(const graph::GraphInfo& info, std::ostream& out) {
  out << info.path.string() << ": graph version " << info.graph_version << " (schema "
      << info.root.schema << " v" << info.root.schema_version << ", " << info.root.created_by
      << "), " << info.entities << " entities, " << info.items << " items\n"
      << "  complementary edges: " << info.complementary_edges
      << "\n  substitutable edges: " << info.substitutable_edges
      << " (both directions)\n  entity→item memberships: " << info.member_edges << "\n";
  if (!info.root.llm_model.empty())
    out << "  latest LLM: " << info.root.llm_model << ", prompt sha256 "
        << info.root.prompt_sha256.substr(0, 16) << "…\n";
}

void print_shards(const graph::GraphInfo& info, std::ostream& out) {
  out << "  shards: " << info.shards() << " (checksums verified)\n";
  for (int s = 0; s < info.shards(); ++s)
    out << "    shard " << s << ": sources [" << info.first_source[s] << ", "
        << info.first_source[s + 1] << "), " << info.comp[s + 1] - info.comp[s]
        << " complementary, " << info.sub[s + 1] - info.sub[s] << " substitutable, "
        << info.mem[s + 1] - info.mem[s] << " member edges\n";
}

void print_degrees(const graph::GraphPart& part, std::ostream& out) {
  std::vector<int64_t> degree;
  for (size_t e = 0; e + 1 < part.comp.row_offsets.size(); ++e)
    degree.push_back(part.comp.row_offsets[e + 1] - part.comp.row_offsets[e]);
  if (degree.empty()) return;
  std::sort(degree.begin(), degree.end());
  const auto at = [&](double q) {
    return degree[static_cast<size_t>(q * static_cast<double>(degree.size() - 1))];
  };
  const auto none = std::count(degree.begin(), degree.end(), 0);
  out << "  complementary out-degree: min " << degree.front() << ", median " << at(0.5) << ", p90 "
      << at(0.9) << ", p99 " << at(0.99) << ", max " << degree.back() << "; " << none
      << " entities without complements\n";
}

void print_versions(const graph::GraphPart& part, const std::vector<std::string>& models,
                    std::ostream& out) {
  std::map<int32_t, int64_t> by_version;
  std::map<int32_t, int64_t> by_provenance;
  for (int32_t v : part.comp.version) ++by_version[v];
  for (int32_t p : part.comp.provenance) ++by_provenance[p];
  out << "  complementary edges by the version that added them:";
  for (const auto& [v, n] : by_version) out << " v" << v << ": " << n << ";";
  out << "\n  by provenance:";
  for (const auto& [p, n] : by_provenance)
    out << " [" << p << "] " << models.at(static_cast<size_t>(p)) << ": " << n << ";";
  out << "\n";
}

void print_strongest(const graph::GraphPart& part, const std::vector<std::string>& names,
                     std::ostream& out) {
  std::vector<std::pair<int32_t, int64_t>> edges;  // (source, edge index)
  for (int64_t s = part.first_source; s < part.end_source; ++s)
    for (int64_t e = part.comp.row_offsets[s - part.first_source];
         e < part.comp.row_offsets[s - part.first_source + 1]; ++e)
      edges.emplace_back(static_cast<int32_t>(s), e);
  const size_t k = std::min(kStrongest, edges.size());
  std::partial_sort(edges.begin(), edges.begin() + static_cast<int64_t>(k), edges.end(),
                    [&](auto x, auto y) {
                      return std::pair(-part.comp.confidence[x.second], x) <
                             std::pair(-part.comp.confidence[y.second], y);
                    });
  out << "  strongest complementary edges:\n";
  for (size_t i = 0; i < k; ++i) {
    const auto [s, e] = edges[i];
    const auto b0 = part.comp.reason_offsets[e], b1 = part.comp.reason_offsets[e + 1];
    out << "    " << fixed3(part.comp.confidence[e]) << "  " << names[s] << " → "
        << names[part.comp.target[e]] << ": " << part.comp.reason_bytes.substr(b0, b1 - b0) << "\n";
  }
}

int32_t entity_index(const std::vector<std::string>& ids, const std::string& id,
                     const std::string& path) {
  const auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) throw InputError("inspect: entity_id '" + id + "' is not in " + path);
  return static_cast<int32_t>(it - ids.begin());
}

}  // namespace

void inspect_graph(const std::filesystem::path& path, std::ostream& out) {
  const graph::GraphReader reader(path);
  const graph::GraphPart all = reader.read_all();
  const auto names = reader.entity_names();
  print_header(reader.info(), out);
  print_shards(reader.info(), out);
  print_degrees(all, out);
  print_versions(all, reader.provenance_llm_models(), out);
  print_strongest(all, names, out);
}

void print_complements(const std::filesystem::path& path, const std::string& entity_id,
                       std::ostream& out) {
  const graph::GraphReader reader(path);
  const auto ids = reader.entity_ids();
  const auto names = reader.entity_names();
  for (const graph::Complement& c :
       reader.complements_of(entity_index(ids, entity_id, path.string())))
    out << ids[c.target] << "\t" << names[c.target] << "\t" << fixed3(c.confidence) << "\tv"
        << c.version << "\t" << c.reason << "\n";
}

}  // namespace kerec::cli
