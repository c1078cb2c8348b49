#include "kerec/train/eei_config.h"

namespace kerec::train {

void EeiConfig::bind(config::Binder& b) {
  using I = config::Range<int64_t>;
  using D = config::Range<double>;
  b.key("graph", graph,
        "complementary graph of the E-E-I samples and features: `llm` (graph/graph.h5) or `truth` "
        "(a synthetic world's truth/complements.tsv under world.dir: the upper bound of any graph)",
        config::Choices{"llm", "truth"});
  b.key("learn_weights", learn_weights,
        "false: no E-E-I model; every graph edge weighs 1 (the raw-LLM-edges "
        "ablation)");
  b.key("encoder", encoder,
        "false: fixed random entity embeddings and no contrastive loss (the no-encoder "
        "ablation)");
  b.key("contrastive_weight", contrastive_weight,
        "weight of one anchor's InfoNCE term against one sample's "
        "click loss; 0: no contrastive loss",
        D{0.0, 1e6});
  b.key("temperature", temperature, "InfoNCE temperature", D{1e-3, 100.0});
  b.key("contrastive_batch", contrastive_batch,
        "entities per step in the contrastive loss (in-batch negatives)", I{2, 1 << 20});
  b.key("trigger_window_h", trigger_window_h,
        "a recent bill of entity a triggers an exposure of b (a -> b in the "
        "graph) when it is at most this many hours old (and among the train.recent_bills newest)",
        D{0.0, 1e6});
  b.key("control_share", control_share,
        "share of the untriggered training exposures the E-E-I model also sees "
        "(without a pair term), so that its edge weights measure what a bill adds over the item's "
        "usual clicks",
        D{0.0, 1.0});
  b.key("recency_buckets", recency_buckets,
        "learned recency weights, bucket floor(log2(1 + hours since the bill))", I{1, 64});
  b.key("embedding_dim", embedding_dim, "width of the entity, item, price and scene embeddings",
        I{1, 4096});
  b.key("hidden", hidden, "hidden widths of the pair and base MLPs (ReLU)", I{1, 65536});
  b.key("epochs", epochs, "passes over the complementary exposure-click samples", I{1, 1000});
  b.key("batch_size", batch_size, "global batch of the E-E-I model", I{1, 1 << 24});
  b.key("lr", lr, "peak learning rate of the E-E-I model (schedule and optimizer from [train])",
        D{1e-9, 10.0});
  b.key("ablations", ablations,
        "variants the integrate stage also trains and reports beside the main model",
        config::Choices{"no_encoder", "no_contrastive", "raw_edges", "truth_graph"});
}

}  // namespace kerec::train
