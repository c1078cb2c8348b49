#include "kerec/recall/config.h"

namespace kerec::recall {

void ExportConfig::bind(config::Binder& b) {
  using I = config::Range<int64_t>;
  b.key("popular_items", popular_items,
        "items in serving.h5's popular list (the popular channel), by training clicks",
        I{1, INT64_C(1) << 30});
  b.key("per_channel", per_channel,
        "candidates each recall channel contributes to the merge before ranking", I{1, 1 << 20});
  b.key("items_per_entity", items_per_entity,
        "items a channel takes from each entity it reaches (best first by "
        "training clicks)",
        I{1, 1 << 20});
  b.key("user_bills", user_bills,
        "per user, the latest bill entities serving.h5 keeps as the user's start state "
        "in `kerec serve`",
        I{0, 1 << 20});
  b.key("user_clicked_entities", user_clicked_entities,
        "per user, the distinct entities of the latest clicks "
        "serving.h5 keeps (the interest and substitute channels in `kerec serve`)",
        I{0, 1 << 20});
  b.key("recall_k", recall_k, "K of the offline Recall@K, NDCG@K and Hit@K", I{1, 1 << 20});
}

}  // namespace kerec::recall
