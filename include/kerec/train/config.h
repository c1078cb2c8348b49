// The [train] section of the job: the trainer (batches, schedule, exchange, checkpoints) and the
// baseline ranker's features. Every key is documented in bind() (docs/config.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::train {

struct TrainConfig {
  std::string model = "ranker";  // which model `kerec train` trains
  int64_t test_start_ts =
      0;                   // exposures with ts >= this are the test set (the world's train_end_ts)
  int64_t valid_days = 0;  // last days before test_start_ts held out for early stopping; 0: none
  int64_t seed = 7;
  int64_t epochs = 2;
  int64_t max_steps = 0;      // 0: no limit
  int64_t batch_size = 2048;  // global: the sum of the ranks' local batches
  std::string optimizer = "adam";
  double lr = 0.002;
  double momentum = 0.0;
  double weight_decay = 0.0;
  int64_t warmup_steps = 50;
  std::string decay = "cosine";
  double min_lr_ratio = 0.1;
  double clip_norm = 0.0;  // 0: no clipping
  double allreduce_bucket_mb = 4.0;
  int64_t checkpoint_every_steps = 200;
  int64_t checksum_every_steps =
      0;                            // 0: never (debug runs: check all ranks hold identical weights)
  int64_t early_stop_patience = 1;  // epochs without a better validation AUC before stopping
  // Ranker features.
  int64_t embedding_dim = 16;
  std::vector<int64_t> hidden = {64, 32};
  double dropout = 0.0;
  int64_t user_hash_buckets = 100000;
  int64_t scene_hash_buckets = 16;
  int64_t price_buckets = 24;
  int64_t recent_bills = 5;       // bills pooled per exposure (the most recent ones)
  int64_t bill_window_days = 30;  // only bills within this many days before the exposure

  void bind(config::Binder& b);
};

}  // namespace kerec::train
