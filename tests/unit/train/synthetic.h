// Synthetic ranker data for the train tests: users, items with entities, bills, clicks that depend
// on the features (so that a model can learn), drawn from fixed seeds.
#pragma once

#include <tuple>

#include "kerec/train/entity_graph.h"
#include "kerec/train/ranker.h"
#include "kerec/train/ranker_data.h"
#include "kerec/util/rng.h"

namespace kerec::train::test {

inline ItemFeatures synthetic_items(int items = 60, int entities = 25) {
  ItemFeatures f;
  Rng rng(1, "items");
  for (int i = 0; i < items; ++i) {
    f.ids.push_back("item" + std::to_string(i));
    f.price_bucket.push_back(static_cast<int32_t>(rng.uniform_int(8)));
    f.cold_start.push_back(i % 7 == 0);
    const int64_t e = static_cast<int64_t>(rng.uniform_int(entities));
    if (i % 5 == 0)
      f.entities.push({e, (e + 3) % entities});
    else
      f.entities.push({e});
  }
  f.num_entities = entities;
  return f;
}

// `n` samples of `users` users; every rank can draw all of them and keep its own.
inline RankerSamples synthetic_samples(int n, int users, const ItemFeatures& items, uint64_t seed) {
  RankerSamples s;
  Rng rng(seed, "samples");
  for (int i = 0; i < n; ++i) {
    const uint64_t user = hash64("user" + std::to_string(rng.uniform_int(users)));
    const auto item = static_cast<int32_t>(rng.uniform_int(items.ids.size()));
    std::vector<int64_t> bills;
    for (uint64_t k = rng.uniform_int(3); k > 0; --k)
      bills.push_back(static_cast<int64_t>(rng.uniform_int(items.num_entities)));
    const double p =
        0.1 + 0.5 * ((user + item) % 3 == 0) + 0.3 * (!bills.empty() && bills[0] % 2 == item % 2);
    s.user.push_back(user);
    s.ts.push_back(1000 + i);
    s.item.push_back(item);
    s.scene.push_back(static_cast<int32_t>(rng.uniform_int(3)));
    s.label.push_back(rng.bernoulli(p) ? 1.0f : 0.0f);
    s.bills.push(bills.begin(), bills.end());
    for (size_t k = 0; k < bills.size(); ++k)
      s.bill_age_h.push_back(static_cast<float>((i * 7 + k * 13) % 200));
  }
  return s;
}

// The samples of `all` whose users `rank` owns.
inline RankerSamples samples_of_rank(const RankerSamples& all, int rank, int ranks) {
  RankerSamples s;
  for (size_t i = 0; i < all.size(); ++i)
    if (owner_of(all.user[i], ranks) == rank) s.append(all, i);
  return s;
}

// An entity graph from (source, target, weight) triples.
inline EntityGraph graph_of(std::initializer_list<std::tuple<int32_t, int32_t, float>> edges,
                            int64_t entities) {
  std::vector<int32_t> a, b;
  std::vector<float> w;
  for (const auto& [x, y, z] : edges) a.push_back(x), b.push_back(y), w.push_back(z);
  return EntityGraph::from_edges(entities, a, b, w);
}

inline RankerShape small_shape(const ItemFeatures& items) {
  TrainConfig c;
  c.embedding_dim = 8;
  c.hidden = {16, 8};
  c.user_hash_buckets = 97;
  c.scene_hash_buckets = 4;
  c.price_buckets = 8;
  return RankerShape::from(c, items);
}

}  // namespace kerec::train::test
