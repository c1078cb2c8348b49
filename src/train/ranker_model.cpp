#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "kerec/dist/collectives.h"
#include "kerec/nn/losses.h"
#include "kerec/train/ranker.h"
#include "kerec/util/rng.h"

namespace kerec::train {

enum Bag { kUser, kItem, kItemEntities, kPrice, kScene, kBillEntities, kBags };

void RankerSamples::append(const RankerSamples& o, size_t i) {
  user.push_back(o.user[i]);
  ts.push_back(o.ts[i]);
  item.push_back(o.item[i]);
  scene.push_back(o.scene[i]);
  label.push_back(o.label[i]);
  if (o.converted.size() == o.size()) converted.push_back(o.converted[i]);
  bills.push(o.bills.ids.begin() + o.bills.offsets[i],
             o.bills.ids.begin() + o.bills.offsets[i + 1]);
  bill_age_h.insert(bill_age_h.end(), o.bill_age_h.begin() + o.bills.offsets[i],
                    o.bill_age_h.begin() + o.bills.offsets[i + 1]);
  dense_width = o.dense_width;
  dense.insert(dense.end(), o.dense.begin() + static_cast<int64_t>(i) * o.dense_width,
               o.dense.begin() + static_cast<int64_t>(i + 1) * o.dense_width);
}

RankerShape RankerShape::from(const TrainConfig& c, const ItemFeatures& items) {
  return {static_cast<int64_t>(items.ids.size()),
          std::max<int64_t>(items.num_entities, 1),
          c.user_hash_buckets,
          c.scene_hash_buckets,
          c.price_buckets,
          c.embedding_dim,
          c.hidden,
          c.dropout};
}

std::string RankerShape::describe() const {
  std::string s =
      "ranker items=" + std::to_string(items) + " entities=" + std::to_string(entities) +
      " users=" + std::to_string(user_buckets) + " scenes=" + std::to_string(scene_buckets) +
      " prices=" + std::to_string(price_buckets) + " dim=" + std::to_string(dim) + " hidden=";
  for (int64_t h : hidden) s += std::to_string(h) + ",";
  s += " dropout=" + std::to_string(dropout);
  return dense > 0 ? s + " dense=" + std::to_string(dense) : s;  // the baseline's text is unchanged
}

RankerModel::RankerModel(const RankerShape& shape, uint64_t seed) : shape_(shape), seed_(seed) {
  const int64_t rows[kBags] = {shape.user_buckets,  shape.items,         shape.entities,
                               shape.price_buckets, shape.scene_buckets, shape.entities};
  const char* names[kBags] = {"user", "item", "item_entity", "price", "scene", "bill_entity"};
  const double sd = 1.0 / std::sqrt(static_cast<double>(shape.dim));
  for (int b = 0; b < kBags; ++b) {
    const int table = store_.add_table(names[b], rows[b], shape.dim, sd);
    bags_.emplace_back(
        store_, table,
        b == kItemEntities || b == kBillEntities ? nn::Pooling::kMean : nn::Pooling::kSum);
  }
  int64_t in = kBags * shape.dim + shape.dense;
  for (size_t l = 0; l < shape.hidden.size(); ++l) {
    linears_.emplace_back(store_, "mlp" + std::to_string(l), in, shape.hidden[l]);
    acts_.emplace_back(nn::Activation::kRelu);
    drops_.emplace_back(shape.dropout);
    in = shape.hidden[l];
  }
  linears_.emplace_back(store_, "out", in, 1);
  store_.finalize(seed);
}

namespace {

// The six id lists of a batch.
std::vector<nn::IdLists> feature_lists(const RankerSamples& s, const ItemFeatures& items,
                                       std::span<const uint32_t> batch, const RankerShape& shape) {
  std::vector<nn::IdLists> f(kBags);
  for (uint32_t i : batch) {
    const int32_t item = s.item[i];
    f[kUser].push({static_cast<int64_t>(s.user[i] % static_cast<uint64_t>(shape.user_buckets))});
    f[kItem].push({item});
    f[kItemEntities].push(items.entities.ids.begin() + items.entities.offsets[item],
                          items.entities.ids.begin() + items.entities.offsets[item + 1]);
    f[kPrice].push({items.price_bucket[item]});
    f[kScene].push({s.scene[i]});
    f[kBillEntities].push(s.bills.ids.begin() + s.bills.offsets[i],
                          s.bills.ids.begin() + s.bills.offsets[i + 1]);
  }
  return f;
}

}  // namespace

nn::Mat<float> RankerModel::forward(const RankerSamples& s, const ItemFeatures& items,
                                    std::span<const uint32_t> batch, bool training, uint64_t step) {
  const auto lists = feature_lists(s, items, batch, shape_);
  std::vector<nn::Mat<float>> parts;
  parts.reserve(kBags);
  for (int b = 0; b < kBags; ++b) parts.push_back(bags_[b].forward(lists[b]));
  if (shape_.dense > 0) parts.push_back(dense_features(s, batch));
  std::vector<const nn::Mat<float>*> ptrs;
  for (const auto& p : parts) ptrs.push_back(&p);
  nn::Mat<float> x = nn::concat_cols<float>(ptrs);
  std::vector<uint64_t> keys, streams(batch.size());
  if (training && shape_.dropout > 0)
    for (uint32_t i : batch) keys.push_back(sample_key(s, i));
  for (size_t l = 0; l < acts_.size(); ++l) {
    const uint64_t step_layer = mix64(mix64(step) ^ l);
    for (size_t k = 0; k < keys.size(); ++k) streams[k] = mix64(keys[k] ^ step_layer);
    x = drops_[l].forward(acts_[l].forward(linears_[l].forward(x)), training, seed_,
                          std::span<const uint64_t>(streams.data(), keys.size()));
  }
  return linears_.back().forward(x);
}

nn::Mat<float> RankerModel::infer(const RankerSamples& s, const ItemFeatures& items,
                                  std::span<const uint32_t> batch) const {
  const auto lists = feature_lists(s, items, batch, shape_);
  std::vector<nn::Mat<float>> parts;
  parts.reserve(kBags + 1);
  for (int b = 0; b < kBags; ++b) parts.push_back(bags_[b].infer(lists[b]));
  if (shape_.dense > 0) parts.push_back(dense_features(s, batch));
  std::vector<const nn::Mat<float>*> ptrs;
  for (const auto& p : parts) ptrs.push_back(&p);
  nn::Mat<float> x = nn::concat_cols<float>(ptrs);
  for (size_t l = 0; l < acts_.size(); ++l)
    x = acts_[l].infer(linears_[l].infer(x));  // dropout: identity
  return linears_.back().infer(x);
}

void RankerModel::backward(const nn::Mat<float>& dlogit) {
  nn::Mat<float> d = linears_.back().backward(dlogit);
  for (size_t l = acts_.size(); l-- > 0;)
    d = linears_[l].backward(acts_[l].backward(drops_[l].backward(d)));
  std::vector<int64_t> widths(kBags, shape_.dim);
  if (shape_.dense > 0) widths.push_back(shape_.dense);
  const auto parts = nn::split_cols<float>(d, widths);
  for (int b = 0; b < kBags; ++b) bags_[b].backward(parts[b]);
}

nn::Mat<float> RankerModel::dense_features(const RankerSamples& s,
                                           std::span<const uint32_t> batch) const {
  if (s.dense_width != shape_.dense ||
      s.dense.size() != s.size() * static_cast<size_t>(s.dense_width))
    throw std::invalid_argument("ranker: the samples carry " + std::to_string(s.dense_width) +
                                " dense features per sample, the model takes " +
                                std::to_string(shape_.dense));
  nn::Mat<float> x(static_cast<Eigen::Index>(batch.size()), shape_.dense);
  for (size_t k = 0; k < batch.size(); ++k)
    for (int64_t j = 0; j < shape_.dense; ++j)
      x(static_cast<Eigen::Index>(k), j) = s.dense[batch[k] * shape_.dense + j];
  return x;
}

double RankerModel::forward_backward(const RankerSamples& s, const ItemFeatures& items,
                                     std::span<const uint32_t> batch, uint64_t step) {
  if (batch.empty()) return 0.0;
  const nn::Mat<float> logits = forward(s, items, batch, true, step);
  std::vector<float> labels(batch.size());
  for (size_t k = 0; k < batch.size(); ++k) labels[k] = s.label[batch[k]];
  auto loss = nn::bce_with_logits<float>(logits, labels, 1.0);
  backward(loss.grad);
  return loss.loss;
}

std::vector<float> RankerModel::predict(const RankerSamples& s, const ItemFeatures& items,
                                        std::span<const uint32_t> batch) const {
  std::vector<float> out;
  out.reserve(batch.size());
  constexpr size_t kChunk = 8192;
  for (size_t at = 0; at < batch.size(); at += kChunk) {
    const auto logits = infer(s, items, batch.subspan(at, std::min(kChunk, batch.size() - at)));
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      out.push_back(1.0f / (1.0f + std::exp(-logits(i, 0))));
  }
  return out;
}

EvalMetrics evaluate_ranker(dist::Comm& comm, RankerModel& model, const ItemFeatures& items,
                            const RankerSamples& s, bool cold_only) {
  std::vector<uint32_t> idx;
  for (uint32_t i = 0; i < s.size(); ++i)
    if (!cold_only || items.cold_start[s.item[i]]) idx.push_back(i);
  const auto scores = model.predict(s, items, idx);
  std::vector<float> labels;
  std::vector<uint64_t> users;
  for (uint32_t i : idx) labels.push_back(s.label[i]), users.push_back(s.user[i]);
  return evaluate(comm, scores, labels, users);
}

uint64_t sample_key(const RankerSamples& s, size_t i) {
  uint64_t h = mix64(s.user[i]);
  h = mix64(h ^ static_cast<uint64_t>(s.ts[i]));
  h = mix64(h ^ static_cast<uint64_t>(s.item[i]));
  return mix64(h ^ static_cast<uint64_t>(s.scene[i]));
}

uint64_t RankerTask::sample_key(size_t i) const { return train::sample_key(train_, i); }

std::optional<double> RankerTask::validation_auc(dist::Comm& comm) {
  const auto n = dist::allreduce_value<int64_t>(comm, static_cast<int64_t>(valid_.size()),
                                                dist::ReduceOp::kSum);
  if (n == 0) return std::nullopt;
  return evaluate_ranker(comm, model_, items_, valid_, false).auc;
}

}  // namespace kerec::train
