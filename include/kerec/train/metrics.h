// Distributed evaluation: exact AUC, GAUC and LogLoss over the samples of all ranks (not the mean
// of per-rank figures). Every rank passes its own samples; every rank gets the same result.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

#include "kerec/dist/comm.h"

namespace kerec::train {

struct EvalMetrics {
  int64_t samples = 0;
  int64_t positives = 0;
  double auc = 0.5;   // tied scores count one half; 0.5 when one class is absent
  double gauc = 0.5;  // per-user AUC weighted by the user's samples, over users with both classes
  int64_t gauc_users = 0;
  double logloss =
      0.0;  // mean binary cross-entropy of the probabilities, clamped to [1e-7, 1 - 1e-7]

  nlohmann::json to_json() const;
};

// Exact AUC (Mann-Whitney with ties) of one sample set.
double exact_auc(std::span<const float> scores, std::span<const float> labels);

// Collective. `scores` are probabilities, `labels` 0/1, `users` any per-user key (for GAUC).
// No rank holds all samples: for the AUC each sample moves to the rank owning its score range (cut
// from an allreduced 2^16-bucket histogram of the scores' top bits, 1 MiB), whose positives count
// the negatives below and tied in integers, so the AUC is exact and the same at any rank count;
// for the GAUC each moves to its user's rank. O(samples / ranks) memory per rank, unless most
// scores fall in a few buckets (a constant model): then one rank holds those.
EvalMetrics evaluate(dist::Comm& comm, std::span<const float> scores, std::span<const float> labels,
                     std::span<const uint64_t> users);

}  // namespace kerec::train
