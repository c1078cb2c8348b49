// The [eei] section: the contrastive entity encoder, the Entity-Entity-Item (E-E-I) weight model
// and the integrated ranker (docs/models.md). The trainer's settings (optimizer, schedule,
// checkpoints) are [train]'s; eei.epochs / eei.batch_size / eei.lr are the E-E-I model's own. Every
// key is documented in bind() (docs/config.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::train {

struct EeiConfig {
  // Which complementary graph the E-E-I samples and features come from: "llm" (graph.h5) or
  // "truth" (the synthetic world's truth/complements.tsv: the graph's upper bound; evaluation
  // only).
  std::string graph = "llm";
  bool learn_weights = true;         // false: no E-E-I model, every graph edge weighs 1 (ablation)
  bool encoder = true;               // false: fixed random entity embeddings, no contrastive loss
  double contrastive_weight = 0.05;  // weight of one anchor's InfoNCE term against one sample's BCE
  double temperature = 0.5;          // InfoNCE softmax temperature
  int64_t contrastive_batch = 256;   // anchors (entities) per step; in-batch negatives
  double trigger_window_h = 168;     // a bill this many hours before an exposure can trigger it
  double control_share = 0.25;       // share of untriggered training exposures added as controls
  int64_t recency_buckets = 10;      // learned recency r(age): bucket = floor(log2(1 + age_h))
  int64_t embedding_dim = 16;
  std::vector<int64_t> hidden = {32};
  int64_t epochs = 3;
  int64_t batch_size = 1024;
  double lr = 0.005;
  std::vector<std::string> ablations = {};  // extra variants the integrate stage trains and reports

  void bind(config::Binder& b);
};

}  // namespace kerec::train
