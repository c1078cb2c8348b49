// The [export] section: what serving.h5 holds beyond the models, and the recall settings of the
// offline evaluation (and the defaults of serving). Every key is documented in bind()
// (docs/config.md).
#pragma once

#include <cstdint>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::recall {

struct ExportConfig {
  int64_t popular_items = 1000;              // the popular channel's list, by training clicks
  int64_t per_channel = 50;                  // candidates each channel contributes to the merge
  int64_t items_per_entity = 5;              // items a channel takes from each entity it reaches
  int64_t user_bills = 20;                   // serving's start state per user: latest bill entities
  int64_t user_clicked_entities = 20;        // ... and distinct entities of the latest clicks
  std::vector<int64_t> recall_k = {10, 50};  // K of the offline Recall@K, NDCG@K, Hit@K

  void bind(config::Binder& b);
};

}  // namespace kerec::recall
