#include "kerec/world/relations.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "kerec/world/sampling.h"

namespace kerec::world {

namespace {

struct Edge {
  int32_t a, b;
  double strength;
  bool operator<(const Edge& o) const { return std::tie(a, b) < std::tie(o.a, o.b); }
};

double round4(double s) { return std::clamp(std::round(s * 10000.0) / 10000.0, 0.0001, 1.0); }

// Samplers for the long-tail edges: target category by affinity, target entity by sqrt popularity.
struct TargetSampler {
  std::vector<Cumulative> category_by_source;  // per source category, over target categories
  std::vector<Cumulative> entity_in_category;  // per category, over its entities

  TargetSampler(const Taxonomy& t) {
    const auto& aff = t.lex->affinity;
    const size_t n = aff.size();
    category_by_source.resize(n);
    entity_in_category.resize(n);
    for (size_t from = 0; from < n; ++from) {
      for (size_t to = 0; to < n; ++to) {
        const bool usable = !t.category_entities[to].empty();
        category_by_source[from].add(usable ? (from == to ? 1.0 : aff[from][to]) : 0.0);
      }
      for (int32_t id : t.category_entities[from])
        entity_in_category[from].add(std::sqrt(t.entities[id].popularity));
    }
  }
};

bool allowed(const Taxonomy& t, int32_t a, int32_t b) {
  const int32_t g = t.entities[a].substitute_group;
  return a != b && (g < 0 || g != t.entities[b].substitute_group);
}

// Curated: the head's complements, to the target head's plain entity (or any of its entities),
// plus up to two modifier variants at lower strength.
void add_curated(const Taxonomy& t, const Entity& a, Rng& rng, std::vector<Edge>& out) {
  for (const auto& [head, strength] : t.lex->heads[a.head].complements) {
    const std::vector<int32_t>& targets = t.head_entities[head];
    if (targets.empty()) continue;
    const bool has_plain = t.entities[targets[0]].level == 0;
    const int32_t primary = has_plain ? targets[0] : targets[rng.uniform_int(targets.size())];
    const double own = a.level == 0 ? 1.0 : 0.7 + 0.3 * rng.uniform();
    if (allowed(t, a.id, primary))
      out.push_back({a.id, primary, strength * own * (0.85 + 0.15 * rng.uniform())});
    for (int v = 0; v < 2 && targets.size() > 1; ++v) {
      const int32_t b = targets[rng.uniform_int(targets.size())];
      if (rng.bernoulli(0.3) && b != primary && allowed(t, a.id, b))
        out.push_back({a.id, b, strength * (0.3 + 0.4 * rng.uniform())});
    }
  }
}

void add_long_tail(const Taxonomy& t, const TargetSampler& s, const Entity& a,
                   const WorldConfig& config, Rng& rng, std::vector<Edge>& out) {
  const size_t categories = s.entity_in_category.size();
  const uint64_t k = rng.poisson(config.random_complements_mean);
  for (uint64_t i = 0; i < k; ++i) {
    size_t c = rng.bernoulli(config.cross_category_complement_share)
                   ? rng.uniform_int(categories)
                   : s.category_by_source[a.category].sample(rng);
    if (s.entity_in_category[c].empty()) continue;
    const int32_t b = t.category_entities[c][s.entity_in_category[c].sample(rng)];
    const double u = rng.uniform();
    if (allowed(t, a.id, b)) out.push_back({a.id, b, 0.05 + 0.95 * u * u});
  }
}

// Sorts, merges duplicates (keeping the strongest) and rounds.
void normalise(std::vector<Edge>& edges) {
  std::sort(edges.begin(), edges.end());
  size_t w = 0;
  for (size_t r = 0; r < edges.size(); ++r) {
    if (w > 0 && edges[w - 1].a == edges[r].a && edges[w - 1].b == edges[r].b) {
      edges[w - 1].strength = std::max(edges[w - 1].strength, edges[r].strength);
    } else {
      edges[w++] = edges[r];
    }
  }
  edges.resize(w);
  for (Edge& e : edges) e.strength = round4(e.strength);
}

// For some a->b without b->a, adds b->a with strength(a->b) * U(0.05, ratio_max).
void add_reverse(std::vector<Edge>& edges, const WorldConfig& config) {
  Rng rng(config.seed, "reverse_complements");
  std::vector<Edge> extra;
  for (const Edge& e : edges) {
    const Edge back{e.b, e.a, 0};
    if (std::binary_search(edges.begin(), edges.end(), back)) continue;
    if (!rng.bernoulli(config.reverse_complement_rate)) continue;
    const double ratio = 0.05 + (config.reverse_strength_ratio_max - 0.05) * rng.uniform();
    extra.push_back({e.b, e.a, e.strength * ratio});
  }
  edges.insert(edges.end(), extra.begin(), extra.end());
  normalise(edges);
}

}  // namespace

double ComplementGraph::strength(int32_t a, int32_t b) const {
  const auto ts = targets_of(a);
  const auto it = std::lower_bound(ts.begin(), ts.end(), b);
  return it != ts.end() && *it == b ? strengths[offsets[a] + (it - ts.begin())] : 0.0;
}

ComplementGraph build_complements(const Taxonomy& t, const WorldConfig& config) {
  const TargetSampler sampler(t);
  std::vector<Edge> edges;
  for (const Entity& a : t.entities) {
    Rng rng(config.seed, "complements", static_cast<uint64_t>(a.id));
    add_curated(t, a, rng, edges);
    add_long_tail(t, sampler, a, config, rng, edges);
  }
  normalise(edges);
  add_reverse(edges, config);
  ComplementGraph g;
  g.offsets.assign(t.entities.size() + 1, 0);
  for (const Edge& e : edges) {
    ++g.offsets[e.a + 1];
    g.targets.push_back(e.b);
    g.strengths.push_back(e.strength);
  }
  for (size_t i = 1; i < g.offsets.size(); ++i) g.offsets[i] += g.offsets[i - 1];
  return g;
}

}  // namespace kerec::world
