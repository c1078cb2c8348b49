// The integration of the E-E-I model into the ranker (docs/models.md "Integrated ranker"): the
// E-E-I features of every exposure, and the training of one variant (the main model or an
// ablation): E-E-I model, learned edge weights, then the ranker with the features.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/train/eei.h"
#include "kerec/train/ranker_data.h"

namespace kerec::train {

// RankerSamples::dense of the integrated ranker, per exposure:
//   0  1 when a recent bill entity a has a graph edge a -> b to an item entity b (a trigger), else
//   0 1  the most recent trigger's age as log(1 + hours) / log(1 + trigger_window_h); 0 without one
//   2  max over the triggers of w(a -> b) * r(age): the learned complement boost (raw edges: 1)
inline constexpr int64_t kEeiFeatures = 3;

// What the features read: w(a -> b) on the graph's edges and r(age) per recency bucket.
struct ComplementWeights {
  EntityGraph graph;            // weights: the learned pair(a, b), or 1 for raw edges
  std::vector<double> recency;  // r per bucket (raw edges: 1)
  double window_h = 0;

  double boost(float weight, double age_h) const;
};

// Sets s.dense (width kEeiFeatures). std::invalid_argument naming the sample when a feature is
// not finite.
void set_eei_features(RankerSamples& s, const ItemFeatures& items, const ComplementWeights& w);

struct VariantResult {
  std::string name;
  nlohmann::json report;  // samples, E-E-I training and test metrics, ranker training
  ComplementWeights weights;
  std::unique_ptr<EeiModel<float>> eei;  // null for raw edges
  std::unique_ptr<RankerModel> ranker;
  std::vector<float> test_scores;  // the ranker's click probabilities of data.test, in order
  std::vector<int64_t>
      edge_samples;  // per edge of weights.graph: triggered training samples, all ranks
  std::vector<double> eei_losses, ranker_losses;  // every step's global mean loss (metrics.jsonl)
};

struct VariantInputs {
  const TrainConfig& train;
  const EntityGraph& complements;  // weights: LLM confidence (or true strength for the truth graph)
  const EncoderViews& views;
  std::filesystem::path checkpoint_root;  // RUN_DIR/model
  std::string fingerprint;  // inputs and config; checkpoints of other inputs are not resumed
};

// Collective. Trains variant `name` with `eei`'s settings over `data` (whose samples' dense
// features it overwrites) and scores data.test.
VariantResult train_variant(dist::Comm& comm, const std::string& name, const EeiConfig& eei,
                            const VariantInputs& in, RankerData& data);

}  // namespace kerec::train
