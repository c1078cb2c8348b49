#include "graph_truth.h"

#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "kerec/graph/graph_reader.h"
#include "kerec/pairs/strategy.h"

namespace kerec::pipeline {
namespace {

// The first two tab-separated fields of each data line of `path`.
std::vector<std::pair<std::string, std::string>> two_columns(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t t1 = line.find('\t');
    if (t1 == std::string::npos) continue;
    const size_t t2 = line.find('\t', t1 + 1);
    rows.emplace_back(
        line.substr(0, t1),
        line.substr(t1 + 1, t2 == std::string::npos ? std::string::npos : t2 - t1 - 1));
  }
  return rows;
}

double ratio(int64_t x, int64_t y) {
  return y ? static_cast<double>(x) / static_cast<double>(y) : 0.0;
}

}  // namespace

void add_graph_truth(nlohmann::json& report, const std::filesystem::path& graph_h5,
                     const std::filesystem::path& truth_dir) {
  if (!std::filesystem::exists(truth_dir / "complements.tsv") ||
      !std::filesystem::exists(truth_dir / "substitutes.tsv"))
    return;
  const graph::GraphReader reader(graph_h5);
  const auto ids = reader.entity_ids();
  std::unordered_map<std::string, int32_t> index;
  for (size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], static_cast<int32_t>(i));
  std::unordered_set<uint64_t> complements;
  for (const auto& [a, b] : two_columns(truth_dir / "complements.tsv")) {
    const auto x = index.find(a), y = index.find(b);
    if (x != index.end() && y != index.end())
      complements.insert(pairs::pair_key(x->second, y->second));
  }
  std::unordered_map<int32_t, std::string> group_of;
  for (const auto& [group, entity] : two_columns(truth_dir / "substitutes.tsv"))
    if (const auto e = index.find(entity); e != index.end()) group_of[e->second] = group;
  const graph::GraphPart all = reader.read_all();
  int64_t comp = 0, comp_true = 0, sub = 0, sub_true = 0;
  for (auto e = static_cast<int32_t>(all.first_source); e < all.end_source; ++e) {
    for (const auto& c : all.complements(e))
      ++comp, comp_true += complements.count(pairs::pair_key(e, c.target)) > 0;
    for (const auto& s : all.substitutes(e)) {
      const auto x = group_of.find(e), y = group_of.find(s.target);
      ++sub, sub_true += x != group_of.end() && y != group_of.end() && x->second == y->second;
    }
  }
  report["truth"] = {
      {"complementary_precision", ratio(comp_true, comp)},
      {"complementary_recall", ratio(comp_true, static_cast<int64_t>(complements.size()))},
      {"true_complements", complements.size()},
      {"substitutable_precision", ratio(sub_true, sub)}};
}

}  // namespace kerec::pipeline
