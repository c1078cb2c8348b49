#include "kerec/train/config.h"

namespace kerec::train {

void TrainConfig::bind(config::Binder& b) {
  using I = config::Range<int64_t>;
  using D = config::Range<double>;
  b.key("model", model, "the model `kerec train` trains (`kerec train --set train.model=ranker`)",
        config::Choices{"ranker"});
  b.key("test_start_ts", test_start_ts,
        "unix seconds: exposures at or after it are the test set, before it the training set; the "
        "synthetic world's value is train_end_ts in truth/behaviour.json and world.json (demo "
        "world, seed 42: "
        "1708041600); 0: unset, and the train stage stops with a config error",
        I{0, INT64_MAX});
  b.key("valid_days", valid_days,
        "days before test_start_ts held out as validation for early stopping; 0: none", I{0, 3650});
  b.key("seed", seed, "seed of the initial weights, the data order and dropout", I{0, INT64_MAX});
  b.key("epochs", epochs, "passes over the training samples", I{1, 1000});
  b.key("max_steps", max_steps, "stop after this many steps; 0: no limit", I{0, INT64_MAX});
  b.key("batch_size", batch_size, "global batch: the sum of all ranks' local batches",
        I{1, 1 << 24});
  b.key("optimizer", optimizer, "optimizer; embedding rows are updated lazily (touched rows only)",
        config::Choices{"sgd", "adam", "adamw", "adagrad"});
  b.key("lr", lr, "peak learning rate", D{1e-9, 10.0});
  b.key("momentum", momentum, "sgd momentum", D{0.0, 0.999});
  b.key("weight_decay", weight_decay, "adamw: decoupled decay; others: L2 on dense parameters",
        D{0.0, 1.0});
  b.key("warmup_steps", warmup_steps, "linear learning-rate warm-up from 0", I{0, INT64_MAX});
  b.key("decay", decay,
        "learning-rate decay after warm-up, down to lr * min_lr_ratio at the last step",
        config::Choices{"none", "linear", "cosine"});
  b.key("min_lr_ratio", min_lr_ratio, "final learning rate as a share of lr", D{0.0, 1.0});
  b.key("clip_norm", clip_norm, "clip the global gradient L2 norm to this; 0: no clipping",
        D{0.0, 1e9});
  b.key("allreduce_bucket_mb", allreduce_bucket_mb,
        "size of the fused dense-gradient allreduce buckets (MB)", D{0.001, 4096.0});
  b.key("checkpoint_every_steps", checkpoint_every_steps,
        "write a checkpoint every N steps; 0: only at the end "
        "and on SIGTERM/SIGUSR1",
        I{0, INT64_MAX});
  b.key("checksum_every_steps", checksum_every_steps,
        "debug: every N steps check that all ranks hold identical "
        "weights; 0: never",
        I{0, INT64_MAX});
  b.key("early_stop_patience", early_stop_patience,
        "epochs without a better validation AUC before stopping", I{1, 1000});
  b.key("embedding_dim", embedding_dim, "ranker: width of every embedding table", I{1, 4096});
  b.key("hidden", hidden, "ranker: widths of the MLP's hidden layers (ReLU)", I{1, 65536});
  b.key("dropout", dropout, "ranker: dropout after each hidden layer", D{0.0, 0.95});
  b.key("user_hash_buckets", user_hash_buckets,
        "ranker: user ids are hashed into this many embedding rows", I{1, INT64_C(1) << 32});
  b.key("scene_hash_buckets", scene_hash_buckets, "ranker: scenes are hashed into this many rows",
        I{1, 1 << 20});
  b.key("price_buckets", price_buckets,
        "ranker: log-scale price buckets (bucket = 2 log2(1 + price))", I{1, 1024});
  b.key("recent_bills", recent_bills, "ranker: the user's most recent bills pooled per exposure",
        I{0, 1000});
  b.key("bill_window_days", bill_window_days,
        "ranker: only bills this many days before the exposure count", I{0, 3650});
}

}  // namespace kerec::train
