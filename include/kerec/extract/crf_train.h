// Data-parallel CRF training: each rank holds its share of the training sequences; every
// evaluation of the objective computes the local negative log-likelihood and gradient in fixed
// point and sums them across ranks with one allreduce (int64, so the sum is exact and the same for
// any split); every rank then takes the same L-BFGS step on the same numbers. The trained model is
// therefore identical on every rank and at any rank count.
//
// Objective: Σ_sentences NLL + l2/2 · ||w||². Optimiser: L-BFGS (two-loop recursion, `memory`
// correction pairs) with a backtracking Armijo line search; stops after `max_iterations`, or when
// an iteration improves the objective by less than `tolerance` relative to its value.
#pragma once
#include <cstdint>
#include <span>

#include "kerec/dist/comm.h"
#include "kerec/extract/crf.h"

namespace kerec::extract {

struct TrainOptions {
  uint32_t feature_bits = 18;
  double l2 = 1.0;
  int max_iterations = 60;
  int memory = 8;
  double tolerance = 1e-4;
};

struct TrainStats {
  int iterations = 0;
  int evaluations = 0;  // objective+gradient passes (each one allreduce)
  double initial_objective = 0.0;
  double final_objective = 0.0;
  int64_t sequences = 0;  // over all ranks
  int64_t positions = 0;  // over all ranks
};

// Collective. Every sequence must carry tags of its length.
CrfModel train_crf(dist::Comm& comm, std::span<const Sequence> local, const TrainOptions& options,
                   TrainStats* stats = nullptr);

}  // namespace kerec::extract
