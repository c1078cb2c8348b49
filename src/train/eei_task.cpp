// The E-E-I model's shape, its training task and its evaluation (train/eei.h).
#include <algorithm>
#include <numeric>

#include "kerec/dist/collectives.h"
#include "kerec/train/eei.h"
#include "kerec/train/metrics.h"
#include "kerec/util/rng.h"

namespace kerec::train {

EeiShape EeiShape::from(const EeiConfig& eei, const TrainConfig& train, const ItemFeatures& items) {
  return {std::max<int64_t>(items.num_entities, 1),
          static_cast<int64_t>(items.ids.size()),
          train.scene_hash_buckets,
          train.price_buckets,
          train.user_hash_buckets,
          eei.embedding_dim,
          eei.recency_buckets,
          0,
          eei.hidden,
          eei.encoder};
}

std::string EeiShape::describe() const {
  // The leading version changes whenever the model's equations change, so that a checkpoint of
  // another version is never resumed (the parameter shapes may well be the same).
  std::string s = "eei/2 entities=" + std::to_string(entities) + " items=" + std::to_string(items) +
                  " scenes=" + std::to_string(scene_buckets) +
                  " prices=" + std::to_string(price_buckets) +
                  " users=" + std::to_string(user_buckets) + " dim=" + std::to_string(dim) +
                  " recency=" + std::to_string(recency_buckets) +
                  " edges=" + std::to_string(edges) + " hidden=";
  for (int64_t h : hidden) s += std::to_string(h) + ",";
  return s + " train_entities=" + std::to_string(train_entities);
}

EeiTask::EeiTask(EeiModel<float>& model, const EeiConfig& config, uint64_t seed, int ranks,
                 const ItemFeatures& items, const EeiSamples& train, const EeiSamples& valid,
                 const EncoderViews& views)
    : model_(model),
      config_(config),
      seed_(seed),
      ranks_(ranks),
      items_(items),
      train_(train),
      valid_(valid),
      views_(views) {}

namespace {

// `k` anchors drawn without replacement from Rng(seed, "contrastive", step): the same on every
// rank.
std::vector<int32_t> draw_anchors(std::span<const int32_t> anchors, int64_t k, uint64_t seed,
                                  uint64_t step) {
  std::vector<int32_t> pool(anchors.begin(), anchors.end());
  const size_t n = std::min<size_t>(pool.size(), static_cast<size_t>(k));
  Rng rng(seed, "contrastive", step);
  for (size_t i = 0; i < n; ++i) std::swap(pool[i], pool[i + rng.uniform_int(pool.size() - i)]);
  pool.resize(n);
  return pool;
}

}  // namespace

double EeiTask::forward_backward(std::span<const uint32_t> batch, uint64_t step) {
  double loss = model_.click_loss(train_, items_, batch, 1.0, true);
  if (config_.encoder && config_.contrastive_weight > 0 && views_.anchors.size() >= 2) {
    const auto anchors = draw_anchors(views_.anchors, config_.contrastive_batch, seed_, step);
    loss += model_.contrastive_loss(views_, anchors, config_.temperature,
                                    config_.contrastive_weight / ranks_, true);
  }
  return loss;
}

std::optional<double> EeiTask::validation_auc(dist::Comm& comm) {
  const auto n = dist::allreduce_value<int64_t>(comm, static_cast<int64_t>(valid_.size()),
                                                dist::ReduceOp::kSum);
  if (n == 0) return std::nullopt;
  return evaluate_eei(comm, model_, items_, valid_).auc;
}

EvalMetrics evaluate_eei(dist::Comm& comm, EeiModel<float>& model, const ItemFeatures& items,
                         const EeiSamples& s) {
  std::vector<float> scores;
  scores.reserve(s.size());
  std::vector<uint32_t> idx(s.size());
  std::iota(idx.begin(), idx.end(), 0u);
  constexpr size_t kChunk = 8192;
  for (size_t at = 0; at < idx.size(); at += kChunk) {
    const auto logits = model.forward(
        s, items, std::span<const uint32_t>(idx).subspan(at, std::min(kChunk, idx.size() - at)));
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      scores.push_back(1.0f / (1.0f + std::exp(-logits(i, 0))));
  }
  return evaluate(comm, scores, s.label, s.user);
}

}  // namespace kerec::train
