#include "kerec/train/entity_graph.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace kerec::train {

std::vector<int32_t> EntityGraph::sources() const {
  std::vector<int32_t> source;
  source.reserve(edges());
  for (int32_t a = 0; a < entities; ++a)
    source.insert(source.end(), offsets[a + 1] - offsets[a], a);
  return source;
}

const float* EntityGraph::find(int32_t a, int32_t b) const {
  if (a < 0 || a >= entities) return nullptr;
  const auto row = targets_of(a);
  const auto it = std::lower_bound(row.begin(), row.end(), b);
  if (it == row.end() || *it != b) return nullptr;
  return &weights[offsets[a] + (it - row.begin())];
}

EntityGraph EntityGraph::from_edges(int64_t entities, std::span<const int32_t> source,
                                    std::span<const int32_t> target,
                                    std::span<const float> weight) {
  std::vector<size_t> order(source.size());
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i : order) {
    if (source[i] < 0 || source[i] >= entities || target[i] < 0 || target[i] >= entities ||
        !std::isfinite(weight[i]))
      throw std::invalid_argument("entity graph: edge " + std::to_string(source[i]) + " -> " +
                                  std::to_string(target[i]) + " (weight " +
                                  std::to_string(weight[i]) + ") outside [0, " +
                                  std::to_string(entities) + ") or not finite");
  }
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::tie(source[x], target[x], weight[y]) <
           std::tie(source[y], target[y], weight[x]);  // largest first
  });
  EntityGraph g;
  g.entities = entities;
  g.offsets.assign(static_cast<size_t>(entities) + 1, 0);
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    if (k > 0 && source[order[k - 1]] == source[i] && target[order[k - 1]] == target[i]) continue;
    g.targets.push_back(target[i]);
    g.weights.push_back(weight[i]);
    ++g.offsets[source[i] + 1];
  }
  std::partial_sum(g.offsets.begin(), g.offsets.end(), g.offsets.begin());
  return g;
}

namespace {

// Row a of g as (target, weight / row sum), skipping non-positive weights.
std::vector<std::pair<int32_t, double>> normalised_row(const EntityGraph& g, int32_t a) {
  std::vector<std::pair<int32_t, double>> row;
  double total = 0;
  for (int64_t k = g.offsets[a]; k < g.offsets[a + 1]; ++k)
    if (g.weights[k] > 0) row.emplace_back(g.targets[k], g.weights[k]), total += g.weights[k];
  for (auto& [t, w] : row) w /= total;
  return row;
}

void end_row(nn::WeightedLists& rows, const std::map<int32_t, double>& acc) {
  double total = 0;
  for (const auto& [id, w] : acc) total += w;
  for (const auto& [id, w] : acc) rows.add(id, w / total);
  rows.end_list();
}

}  // namespace

EncoderViews encoder_views(const EntityGraph& subs, const EntityGraph& comps) {
  if (subs.entities != comps.entities)
    throw std::invalid_argument("encoder views: the graphs differ in entity count");
  EncoderViews v;
  for (int32_t e = 0; e < subs.entities; ++e) {
    std::map<int32_t, double> sub, two_hop;  // ordered: the CSR does not depend on hash order
    for (const auto& [t, w] : normalised_row(subs, e))
      if (t != e) sub[t] += w;
    for (const auto& [mid, w1] : normalised_row(comps, e))
      for (const auto& [t, w2] : normalised_row(comps, mid))
        if (t != e) two_hop[t] += w1 * w2;
    end_row(v.substitutable, sub);
    end_row(v.complementary, two_hop);
    if (!sub.empty() && !two_hop.empty()) v.anchors.push_back(e);
  }
  return v;
}

nn::WeightedLists select_rows(const nn::WeightedLists& rows, std::span<const int32_t> entities) {
  nn::WeightedLists out;
  for (int32_t e : entities) {
    for (int64_t k = rows.offsets[e]; k < rows.offsets[e + 1]; ++k)
      out.add(rows.ids[k], rows.weights[k]);
    out.end_list();
  }
  return out;
}

}  // namespace kerec::train
