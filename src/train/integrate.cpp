// E-E-I features and the training of one integration variant (train/integrate.h).
#include "kerec/train/integrate.h"

#include <cmath>
#include <limits>
#include <numeric>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/train/trainer.h"
#include "kerec/util/checksum.h"
#include "kerec/util/log.h"
#include "kerec/util/sha256.h"

namespace kerec::train {

using nlohmann::json;

double ComplementWeights::boost(float weight, double age_h) const {
  return weight * recency[recency_bucket(age_h, static_cast<int64_t>(recency.size()))];
}

void set_eei_features(RankerSamples& s, const ItemFeatures& items, const ComplementWeights& w) {
  s.dense_width = kEeiFeatures;
  s.dense.assign(s.size() * kEeiFeatures, 0.0f);
  const double log_window = std::log1p(w.window_h);
  for (size_t i = 0; i < s.size(); ++i) {
    double youngest = std::numeric_limits<double>::infinity(),
           best = -std::numeric_limits<double>::infinity();
    for_each_trigger(s, i, items, w.graph, w.window_h,
                     [&](int32_t, int32_t, float age, float weight, int64_t) {
                       youngest = std::min<double>(youngest, age);
                       best = std::max(best, w.boost(weight, age));
                     });
    if (!std::isfinite(youngest)) continue;
    float* f = &s.dense[i * kEeiFeatures];
    f[0] = 1.0f;
    f[1] = log_window > 0 ? static_cast<float>(std::log1p(youngest) / log_window) : 0.0f;
    f[2] = static_cast<float>(best);
    if (!std::isfinite(f[1]) || !std::isfinite(f[2]))
      throw std::invalid_argument("E-E-I features of exposure " + std::to_string(i) +
                                  " are not finite (age " + std::to_string(youngest) +
                                  " h, boost " + std::to_string(best) + ")");
  }
}

namespace {

std::vector<uint32_t> all_indices(size_t n) {
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  return idx;
}

// Collective: per edge of `g`, the triggered samples of `s` on all ranks.
std::vector<int64_t> edge_sample_counts(dist::Comm& comm, const EntityGraph& g,
                                        const EeiSamples& s) {
  std::vector<int64_t> counts(g.edges(), 0);
  for (size_t i = 0; i < s.size(); ++i)
    if (s.edge[i] >= 0) ++counts[s.edge[i]];
  dist::allreduce(comm, std::span<int64_t>(counts), dist::ReduceOp::kSum);
  return counts;
}

int64_t global_size(dist::Comm& comm, size_t n) {
  return dist::allreduce_value<int64_t>(comm, static_cast<int64_t>(n), dist::ReduceOp::kSum);
}

// Trains the E-E-I model of `v` on the triggered exposures and sets v.weights from it.
void train_eei(dist::Comm& comm, const EeiConfig& eei, const VariantInputs& in,
               const RankerData& data, const EeiSamples& train_s, const EeiSamples& valid_s,
               const EeiSamples& test_s, VariantResult& v) {
  EeiShape shape = EeiShape::from(eei, in.train, data.items);
  shape.entities = std::max(shape.entities, in.complements.entities);
  shape.edges = static_cast<int64_t>(in.complements.edges());
  v.eei = std::make_unique<EeiModel<float>>(shape, static_cast<uint64_t>(in.train.seed));
  TrainConfig tc = in.train;
  tc.epochs = eei.epochs, tc.batch_size = eei.batch_size, tc.lr = eei.lr;
  EeiTask task(*v.eei, eei, static_cast<uint64_t>(in.train.seed), comm.size(), data.items, train_s,
               valid_s, in.views);
  const std::string fp =
      Sha256().update(in.fingerprint).update(v.name).update(shape.describe()).hex();
  Trainer trainer(comm, tc, task, in.checkpoint_root / ("eei-" + v.name + "-" + fp.substr(0, 12)),
                  fp);
  const auto result = trainer.run();
  v.eei_losses = result.step_losses;
  const auto test = evaluate_eei(comm, *v.eei, data.items, test_s);
  const auto& g = in.complements;
  std::vector<int64_t> edge(g.edges());
  std::iota(edge.begin(), edge.end(), int64_t{0});
  v.weights.graph = g;
  v.weights.graph.weights = v.eei->pair_weights(g.sources(), g.targets, g.weights, edge);
  for (int64_t b = 0; b < eei.recency_buckets; ++b)
    v.weights.recency.push_back(v.eei->recency(std::exp2(b) - 1));
  v.report["eei"] = {
      {"steps", result.steps},
      {"resumed_from_step", result.resumed_from_step},
      {"final_loss", result.step_losses.empty() ? 0.0 : result.step_losses.back()},
      {"train_s", result.train_s},
      {"exchange_s", result.exchange_s},
      {"samples_per_s_per_rank", result.local_samples_seen / std::max(result.train_s, 1e-9)},
      {"contrastive_anchors", in.views.anchors.size()},
      {"test", test.to_json()},
      {"recency", v.weights.recency}};
}

}  // namespace

VariantResult train_variant(dist::Comm& comm, const std::string& name, const EeiConfig& eei,
                            const VariantInputs& in, RankerData& data) {
  VariantResult v;
  v.name = name;
  v.weights.window_h = eei.trigger_window_h;
  EeiSamples train_s, valid_s, test_s;
  dist::run_agreed(comm, [&] {
    train_s = eei_samples(data.train, data.items, in.complements, eei.trigger_window_h,
                          eei.control_share, static_cast<uint64_t>(in.train.seed));
    valid_s = eei_samples(data.valid, data.items, in.complements, eei.trigger_window_h);
    test_s = eei_samples(data.test, data.items, in.complements, eei.trigger_window_h);
  });
  v.edge_samples = edge_sample_counts(comm, in.complements, train_s);
  const int64_t n_train = std::accumulate(v.edge_samples.begin(), v.edge_samples.end(), int64_t{0});
  v.report["samples"] = {
      {"train", n_train},
      {"train_controls", global_size(comm, train_s.size()) - n_train},
      {"valid", global_size(comm, valid_s.size())},
      {"test", global_size(comm, test_s.size())},
      {"edges_with_samples", std::count_if(v.edge_samples.begin(), v.edge_samples.end(),
                                           [](int64_t n) { return n > 0; })}};
  if (eei.learn_weights && n_train > 0) {
    train_eei(comm, eei, in, data, train_s, valid_s, test_s, v);
  } else {
    if (eei.learn_weights)
      log::warn(
          "integrate: variant '{}': no training exposure is triggered by a complementary edge of "
          "the graph (no "
          "E-E-I samples); the ranker trains with the trigger features only",
          name);
    v.weights.graph = in.complements;
    std::fill(v.weights.graph.weights.begin(), v.weights.graph.weights.end(),
              eei.learn_weights ? 0.0f : 1.0f);
    v.weights.recency.assign(static_cast<size_t>(eei.recency_buckets), 1.0);
  }
  dist::run_agreed(comm, [&] {
    for (RankerSamples* s : {&data.train, &data.valid, &data.test})
      set_eei_features(*s, data.items, v.weights);
  });
  RankerShape shape = RankerShape::from(in.train, data.items);
  shape.dense = kEeiFeatures;
  v.ranker = std::make_unique<RankerModel>(shape, static_cast<uint64_t>(in.train.seed));
  RankerTask task(*v.ranker, data.items, data.train, data.valid);
  // The ranker learns from the features, so its checkpoints belong to these weights: a retrained
  // E-E-I model (another model version, seed or data) must not resume an older ranker.
  const auto& wg = v.weights.graph.weights;
  const std::string features = std::to_string(xxh64(std::span<const float>(wg), 0)) + ":" +
                               std::to_string(xxh64(std::span<const double>(v.weights.recency), 0));
  const std::string fp = Sha256()
                             .update(in.fingerprint)
                             .update(v.name)
                             .update(shape.describe())
                             .update(features)
                             .hex();
  Trainer trainer(comm, in.train, task,
                  in.checkpoint_root / ("ranker-" + v.name + "-" + fp.substr(0, 12)), fp);
  const auto result = trainer.run();
  v.ranker_losses = result.step_losses;
  v.report["ranker"] = {
      {"steps", result.steps},
      {"resumed_from_step", result.resumed_from_step},
      {"final_loss", result.step_losses.empty() ? 0.0 : result.step_losses.back()},
      {"train_s", result.train_s}};
  const auto idx = all_indices(data.test.size());
  dist::run_agreed(comm, [&] { v.test_scores = v.ranker->predict(data.test, data.items, idx); });
  return v;
}

}  // namespace kerec::train
