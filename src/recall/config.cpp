#include "kerec/recall/config.h"

namespace kerec::recall {

void ExportConfig::bind(config::Binder& b) {
  using I = config::Range<int64_t>;
  b.key("popular_items", popular_items, "items in serving.h5's popular list (the popular channel), by training clicks",
        I{1, INT64_C(1) << 30});
  b.key("per_channel", per_channel, "candidates each recall channel contributes to the merge before ranking",
        I{1, 1 << 20});
  b.key("items_per_entity", items_per_entity, "items a channel takes from each entity it reaches (best first by "
        "training clicks)", I{1, 1 << 20});
  b.key("recall_k", recall_k, "K of the offline Recall@K, NDCG@K and Hit@K", I{1, 1 << 20});
}

}  // namespace kerec::recall
