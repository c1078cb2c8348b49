// The Entity-Entity-Item (E-E-I) weight model and the contrastive entity encoder, trained jointly
// (docs/models.md). Shapes: n = samples in a batch, d = eei.embedding_dim, h = eei.hidden.
//
//   E             entity embeddings, entities x d (trained, or fixed random without the encoder)
//   w(a, b)       = softplus(kappa) * confidence(a -> b) * sigmoid(MLP_p([E_a, E_b, E_a * E_b,
//                   confidence]) + beta_ab)   the learned edge weight: the click-logit boost a bill
//                   of a gives b's items, >= 0. The LLM's confidence is the prior, the gate what
//                   feedback says of the edge: a "yes" that users ignore is gated towards 0. beta
//                   (one scalar per graph edge, from 0) moves only as often as the edge is seen,
//                   so rarely seen edges keep what their entities and confidence predict.
//   r(age)        = sigmoid(theta[floor(log2(1 + hours since the bill))])  learned recency, in (0,
//   1) base(u, b, i, s) = MLP_g([E_b, item_i, price_i, scene_s, U_u, U_u * E_b])  the click logit
//   of
//                   user u for b's item i without a trigger (U: hashed user embeddings)
//   logit         = base(u, b, i, s) + [triggered] * w(a, b) * r(age)       BCE against the click
//
// The samples are the triggered exposures (the complementary exposure-click samples) and a
// random share of the untriggered ones (eei.control_share, a = -1): the controls teach base what
// b's items get without a bill of a, so that w(a, b) measures what the bill adds, not b's
// popularity or the interests of the users who buy a.
//
// Encoder: z_sub(e) = W_s * (substitutable view of E)(e), z_comp(e) = W_c * (two-hop complementary
// view of E)(e) (entity_graph.h); InfoNCE(z_sub, z_comp) over each step's anchors with in-batch
// negatives, added with weight eei.contrastive_weight per anchor.
//
// Scalar T is float for training and double for the gradient checks. A model object serves one
// forward and its backward at a time (the layers cache their inputs).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kerec/nn/params.h"
#include "kerec/train/eei_config.h"
#include "kerec/train/entity_graph.h"
#include "kerec/train/ranker.h"
#include "kerec/train/trainer.h"

namespace kerec::train {

// The trigger of an exposure: among the sample's recent bill entities a (RankerSamples::bills, at
// most eei.trigger_window_h old) and the item's entities b with a -> b in the complementary graph,
// the most recent bill (ties: the larger edge weight, then the smaller a, b). a < 0: none.
struct Trigger {
  int32_t a = -1, b = -1;
  float age_h = 0, confidence = 0;
  int64_t edge = -1;  // index of a -> b in comp's CSR
};
Trigger find_trigger(const RankerSamples& s, size_t i, const ItemFeatures& items,
                     const EntityGraph& comp, double window_h);

// Calls fn(a, b, age_h, weight, edge index) for every (recent bill entity a, item entity b) of
// sample i with a -> b in `comp` and a bill at most window_h old.
template <class Fn>
void for_each_trigger(const RankerSamples& s, size_t i, const ItemFeatures& items,
                      const EntityGraph& comp, double window_h, Fn&& fn) {
  const int32_t item = s.item[i];
  for (int64_t k = s.bills.offsets[i]; k < s.bills.offsets[i + 1]; ++k) {
    if (s.bill_age_h[k] > window_h) continue;
    const auto a = static_cast<int32_t>(s.bills.ids[k]);
    for (int64_t m = items.entities.offsets[item]; m < items.entities.offsets[item + 1]; ++m) {
      const auto b = static_cast<int32_t>(items.entities.ids[m]);
      if (const float* w = comp.find(a, b)) fn(a, b, s.bill_age_h[k], *w, w - comp.weights.data());
    }
  }
}

// The complementary exposure-click samples: the exposures of `s` that have a trigger; with
// control_share > 0 also that share of the untriggered exposures (a = -1), drawn by a hash of
// (seed, sample key), so the same exposures on any rank.
struct EeiSamples {
  std::vector<int32_t> a, b, item, scene;
  std::vector<int64_t> edge;  // the trigger's edge index in the graph's CSR; -1 for controls
  std::vector<float> age_h, confidence, label;
  std::vector<uint64_t> key;   // the exposure's sample_key (its identity on any rank)
  std::vector<uint64_t> user;  // the user key (GAUC)

  size_t size() const { return a.size(); }
};
EeiSamples eei_samples(const RankerSamples& s, const ItemFeatures& items, const EntityGraph& comp,
                       double window_h, double control_share = 0, uint64_t seed = 0);

struct EeiShape {
  int64_t entities = 0, items = 0, scene_buckets = 0, price_buckets = 0, user_buckets = 0, dim = 0,
          recency_buckets = 0, edges = 0;
  std::vector<int64_t> hidden;
  bool train_entities = true;  // false: E stays at its random initial value

  static EeiShape from(const EeiConfig& eei, const TrainConfig& train, const ItemFeatures& items);
  std::string describe() const;  // hashed into the checkpoint's model_sha256
};

int32_t recency_bucket(double age_h, int64_t buckets);

template <class T>
class EeiModel {
 public:
  EeiModel(const EeiShape& shape, uint64_t seed);
  ~EeiModel();
  EeiModel(const EeiModel&) = delete;
  EeiModel& operator=(const EeiModel&) = delete;

  nn::ParamStore<T>& params() { return store_; }
  const EeiShape& shape() const { return shape_; }

  // Logits of `batch` (n x 1).
  nn::Mat<T> forward(const EeiSamples& s, const ItemFeatures& items,
                     std::span<const uint32_t> batch);
  // After forward(): accumulates the gradients of sum(dlogit .* logits).
  void backward(const nn::Mat<T>& dlogit);
  // scale * summed BCE of `batch` and, when `grad`, its gradient accumulated into params().
  double click_loss(const EeiSamples& s, const ItemFeatures& items, std::span<const uint32_t> batch,
                    double scale, bool grad);
  // scale * summed InfoNCE over `anchors` and, when `grad`, its gradient.
  double contrastive_loss(const EncoderViews& views, std::span<const int32_t> anchors,
                          double temperature, double scale, bool grad);

  // w(a, b) for every (a[k], b[k], confidence[k], edge[k]). Not during a step: it reuses the pair
  // MLP's caches.
  std::vector<float> pair_weights(std::span<const int32_t> a, std::span<const int32_t> b,
                                  std::span<const float> confidence, std::span<const int64_t> edge);
  // r(age) in (0, 1).
  double recency(double age_h) const;

 private:
  struct Layers;
  EeiShape shape_;
  nn::ParamStore<T> store_;
  std::unique_ptr<Layers> layers_;
};

// The E-E-I model as a TrainTask over this rank's samples. Each step adds the contrastive loss over
// eei.contrastive_batch anchors drawn from Rng(seed, "contrastive", step): every rank computes the
// same term with scale contrastive_weight / ranks, so the summed gradient is that of one global
// in-batch InfoNCE at any rank count (up to floating-point rounding).
class EeiTask final : public TrainTask {
 public:
  EeiTask(EeiModel<float>& model, const EeiConfig& config, uint64_t seed, int ranks,
          const ItemFeatures& items, const EeiSamples& train, const EeiSamples& valid,
          const EncoderViews& views);
  std::string model_name() const override { return "eei"; }
  nn::ParamStore<float>& params() override { return model_.params(); }
  size_t train_samples() const override { return train_.size(); }
  uint64_t sample_key(size_t i) const override { return train_.key[i]; }
  double forward_backward(std::span<const uint32_t> batch, uint64_t step) override;
  std::optional<double> validation_auc(dist::Comm& comm) override;

 private:
  EeiModel<float>& model_;
  const EeiConfig& config_;
  uint64_t seed_;
  int ranks_;
  const ItemFeatures& items_;
  const EeiSamples& train_;
  const EeiSamples& valid_;
  const EncoderViews& views_;
};

// Collective: click probabilities' metrics of the model over every rank's samples.
EvalMetrics evaluate_eei(dist::Comm& comm, EeiModel<float>& model, const ItemFeatures& items,
                         const EeiSamples& s);

}  // namespace kerec::train
