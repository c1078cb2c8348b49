// Rankers on slices of the test exposures, against the ceilings a synthetic world's truth gives
// (docs/models.md "Evaluation"): the oracle (AUC of the true click probability) and the
// no-complement oracle (the same without the complement boost). Their difference is the most that
// complement knowledge can add on a slice; a model's gain over the baseline is reported as a share
// of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/train/entity_graph.h"
#include "kerec/train/ranker.h"

namespace kerec::train {

// The world's truth of this rank's test samples (docs/world.md, truth/exposures.tsv), by sample.
struct ExposureTruth {
  std::vector<float> p_click, p_click_no_complement, signal;
  std::vector<uint8_t>
      complementary_channel;     // the logging policy's complementary channel chose it
  std::vector<uint8_t> present;  // 0: no truth row matched the sample
  int64_t unmatched = 0;         // global count of test samples without a row
};

// Collective. Reads `tsv` in rank parts, keeps the rows at or after train.test_start_ts and joins
// them to `test` by (user, ts, item, scene) on the user's owner rank. InputError naming the file
// and line for a row that does not parse.
ExposureTruth load_exposure_truth(dist::Comm& comm, const TrainConfig& c,
                                  const std::filesystem::path& tsv, const ItemFeatures& items,
                                  const RankerSamples& test);

// A subset of this rank's test samples.
struct Slice {
  std::string name;
  std::vector<uint8_t> member;  // per test sample
};

// all, graph_complementary (the item's entity is a complement in `graph` of a recent bill entity at
// most window_h old), cold_start; and with truth: complementary (signal > 0),
// complementary_channel, cold_start_with_signal.
std::vector<Slice> standard_slices(const RankerSamples& test, const ItemFeatures& items,
                                   const EntityGraph& graph, double window_h,
                                   const ExposureTruth* truth);

using ModelScores = std::vector<std::pair<std::string, const std::vector<float>*>>;

// Collective: per slice, the sample and click counts, each model's AUC/GAUC/LogLoss, and with
// truth the two oracles, the headroom (oracle - no-complement oracle) and each model's AUC gain
// over `baseline` as a share of the headroom.
nlohmann::json evaluate_slices(dist::Comm& comm, const std::vector<Slice>& slices,
                               const ModelScores& models, const std::string& baseline,
                               const RankerSamples& test, const ExposureTruth* truth);

// Spearman rank correlation (average ranks for ties); 0 when either side is constant or n < 2.
double spearman(std::span<const double> x, std::span<const double> y);

}  // namespace kerec::train
