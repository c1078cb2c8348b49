// Entity graphs as the models read them: CSR over entity indexes (docs/artifacts.md "Entity
// index"), targets ascending within a source, one float per edge (the complementary graph's LLM
// confidence or true strength; the substitutable graph's co-click weight). And the two views of the
// contrastive encoder built from them (docs/models.md "Entity encoder").
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kerec/nn/tensor.h"

namespace kerec::train {

struct EntityGraph {
  int64_t entities = 0;
  std::vector<int64_t> offsets{0};  // entities + 1
  std::vector<int32_t> targets;
  std::vector<float> weights;

  size_t edges() const { return targets.size(); }
  std::span<const int32_t> targets_of(int32_t a) const {
    return {targets.data() + offsets[a], targets.data() + offsets[a + 1]};
  }
  // The source of every edge, in CSR order (the column that, with targets, lists the edges).
  std::vector<int32_t> sources() const;
  // The weight of edge a -> b, or nullptr when there is none (or a is out of range).
  const float* find(int32_t a, int32_t b) const;

  // From unsorted (source, target, weight) triples; duplicates keep the largest weight.
  // std::invalid_argument naming the edge when an index is outside [0, entities) or a weight is not
  // finite.
  static EntityGraph from_edges(int64_t entities, std::span<const int32_t> source,
                                std::span<const int32_t> target, std::span<const float> weight);
};

// The encoder's two views of every entity, as rows of a neighbour aggregation
// (nn::NeighbourAggregate):
//  - substitutable: the weighted mean over the entity's substitutable neighbours;
//  - complementary: two hops over the complementary graph, each hop the confidence-weighted mean
//    over a node's complements, the entity itself left out (the complements of my complements
//    resemble my substitutes).
// An entity is an anchor of the contrastive loss when it has both views.
struct EncoderViews {
  nn::WeightedLists substitutable, complementary;  // one list per entity
  std::vector<int32_t> anchors;                    // entities with both views, ascending
};
EncoderViews encoder_views(const EntityGraph& substitutes, const EntityGraph& complements);

// Rows `entities` of `rows`, as a new CSR in that order.
nn::WeightedLists select_rows(const nn::WeightedLists& rows, std::span<const int32_t> entities);

}  // namespace kerec::train
