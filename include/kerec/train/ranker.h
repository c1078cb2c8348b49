// The baseline CTR ranker (the "traditional" model LLM-KERec improves): embeddings of the hashed
// user id, the item id, the item's entities (mean), the price bucket, the scene, and the entities
// of the user's recent bills (mean), concatenated and fed to an MLP (ReLU, dropout) with one logit
// output, trained with binary cross-entropy on clicks. The integrated ranker (docs/models.md) is
// the same model with RankerShape::dense > 0: per-sample dense features (the E-E-I features)
// concatenated after the embeddings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kerec/nn/layers.h"
#include "kerec/train/config.h"
#include "kerec/train/metrics.h"
#include "kerec/train/trainer.h"

namespace kerec::train {

// Per item index: features that do not depend on the exposure.
struct ItemFeatures {
  std::vector<std::string> ids;  // item_id
  std::vector<int32_t> price_bucket;
  std::vector<uint8_t> cold_start;  // created at or after train.test_start_ts
  nn::IdLists entities;             // the item's entity indexes
  int64_t num_entities = 0;         // entity index bound (items' and bills' mentions)
};

// Exposures as columns.
struct RankerSamples {
  std::vector<uint64_t> user;  // hash64(user_id): the user key (GAUC) and hashed-id feature
  std::vector<int64_t> ts;
  std::vector<int32_t> item;   // item index
  std::vector<int32_t> scene;  // scene bucket
  std::vector<float> label;    // clicked
  std::vector<uint8_t>
      converted;      // per sample when loaded from exposures.tsv (else empty): converted
  nn::IdLists bills;  // entities of the user's recent bills before ts
  std::vector<float> bill_age_h;  // per entry of bills.ids: hours from that bill to ts (>= 0)
  int64_t dense_width = 0;        // dense features per sample (0: none)
  std::vector<float> dense;       // size() x dense_width, row-major

  size_t size() const { return user.size(); }
  // Appends sample i of `other`.
  void append(const RankerSamples& other, size_t i);
};

// Hash of (user, ts, item, scene) of sample i: its identity, whichever rank holds it.
uint64_t sample_key(const RankerSamples& s, size_t i);

struct RankerShape {
  int64_t items = 0, entities = 0, user_buckets = 0, scene_buckets = 0, price_buckets = 0, dim = 0;
  std::vector<int64_t> hidden;
  double dropout = 0;
  int64_t dense = 0;  // dense features per sample (RankerSamples::dense_width)

  static RankerShape from(const TrainConfig& config, const ItemFeatures& items);
  std::string describe() const;  // the text hashed into the checkpoint's model_sha256
};

class RankerModel {
 public:
  RankerModel(const RankerShape& shape, uint64_t seed);
  RankerModel(const RankerModel&) = delete;
  RankerModel& operator=(const RankerModel&) = delete;

  nn::ParamStore<float>& params() { return store_; }
  const RankerShape& shape() const { return shape_; }
  // Accumulates the gradient of the summed BCE over `batch`; returns the sum. Dropout masks are
  // keyed by (sample_key, step, layer).
  double forward_backward(const RankerSamples& s, const ItemFeatures& items,
                          std::span<const uint32_t> batch, uint64_t step);
  // Click probabilities of `batch` (no dropout). Const and keeps no state: threads may predict
  // with one model at once (not while it trains).
  std::vector<float> predict(const RankerSamples& s, const ItemFeatures& items,
                             std::span<const uint32_t> batch) const;

 private:
  nn::Mat<float> forward(const RankerSamples& s, const ItemFeatures& items,
                         std::span<const uint32_t> batch, bool training, uint64_t step);
  void backward(const nn::Mat<float>& dlogit);
  // forward() for inference: the same composition through the layers' infer(), no caches.
  nn::Mat<float> infer(const RankerSamples& s, const ItemFeatures& items,
                       std::span<const uint32_t> batch) const;
  // The dense features of `batch` (n x shape_.dense).
  nn::Mat<float> dense_features(const RankerSamples& s, std::span<const uint32_t> batch) const;

  RankerShape shape_;
  uint64_t seed_;
  nn::ParamStore<float> store_;
  std::vector<nn::EmbeddingBag<float>>
      bags_;  // user, item, item entities, price, scene, bill entities
  std::vector<nn::Linear<float>> linears_;
  std::vector<nn::Act<float>> acts_;
  std::vector<nn::Dropout<float>> drops_;
};

// The ranker as a TrainTask over this rank's samples.
class RankerTask final : public TrainTask {
 public:
  RankerTask(RankerModel& model, const ItemFeatures& items, const RankerSamples& train,
             const RankerSamples& valid)
      : model_(model), items_(items), train_(train), valid_(valid) {}
  std::string model_name() const override { return "ranker"; }
  nn::ParamStore<float>& params() override { return model_.params(); }
  size_t train_samples() const override { return train_.size(); }
  // hash of (user, ts, item, scene).
  uint64_t sample_key(size_t i) const override;
  double forward_backward(std::span<const uint32_t> batch, uint64_t step) override {
    return model_.forward_backward(train_, items_, batch, step);
  }
  std::optional<double> validation_auc(dist::Comm& comm) override;

 private:
  RankerModel& model_;
  const ItemFeatures& items_;
  const RankerSamples& train_;
  const RankerSamples& valid_;
};

// Collective: metrics of the model over every rank's `samples`; with `cold_only`, only the samples
// whose item is a cold-start item.
EvalMetrics evaluate_ranker(dist::Comm& comm, RankerModel& model, const ItemFeatures& items,
                            const RankerSamples& samples, bool cold_only);

}  // namespace kerec::train
