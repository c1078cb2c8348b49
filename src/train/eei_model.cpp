// The E-E-I model's forward and backward passes (train/eei.h).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kerec/nn/layers.h"
#include "kerec/nn/losses.h"
#include "kerec/train/eei.h"

namespace kerec::train {
namespace {

// Linear -> ReLU -> ... -> Linear(1): one logit.
template <class T>
struct Mlp {
  std::vector<nn::Linear<T>> linears;
  std::vector<nn::Act<T>> acts;

  Mlp(nn::ParamStore<T>& store, const std::string& name, int64_t in,
      const std::vector<int64_t>& hidden) {
    for (size_t l = 0; l < hidden.size(); ++l) {
      linears.emplace_back(store, name + std::to_string(l), in, hidden[l]);
      acts.emplace_back(nn::Activation::kRelu);
      in = hidden[l];
    }
    linears.emplace_back(store, name + "_out", in, 1);
  }
  nn::Mat<T> forward(nn::Mat<T> x) {
    for (size_t l = 0; l < acts.size(); ++l) x = acts[l].forward(linears[l].forward(x));
    return linears.back().forward(x);
  }
  nn::Mat<T> backward(const nn::Mat<T>& dy) {
    nn::Mat<T> d = linears.back().backward(dy);
    for (size_t l = acts.size(); l-- > 0;) d = linears[l].backward(acts[l].backward(d));
    return d;
  }
};

template <class T>
T softplus(T x) {
  return x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
template <class T>
T sigmoid(T x) {
  return T(1) / (T(1) + std::exp(-x));
}

template <class T>
nn::Mat<T> column(std::span<const float> values, std::span<const uint32_t> batch) {
  nn::Mat<T> m(static_cast<Eigen::Index>(batch.size()), 1);
  for (size_t k = 0; k < batch.size(); ++k)
    m(static_cast<Eigen::Index>(k), 0) = static_cast<T>(values[batch[k]]);
  return m;
}

}  // namespace

template <class T>
struct EeiModel<T>::Layers {
  int entity, recency, edge, scale = -1;  // scale: the dense 1 x 1 kappa
  nn::EmbeddingBag<T> a, b, item, price, scene, user, theta, beta;
  Mlp<T> pair, base;
  nn::NeighbourAggregate<T> agg_sub, agg_comp;
  nn::Linear<T> head_sub, head_comp;
  // Caches of the last forward: embeddings, the gate's logit z and q = sigmoid(z), the edge
  // confidence c, w = softplus(kappa) * c * q, r and the trigger mask (1 triggered, 0 control).
  nn::Mat<T> ea, eb, eu, z, q, c, w, r, mask;
  nn::WeightedLists sub_rows, comp_rows;

  Layers(nn::ParamStore<T>& s, const EeiShape& sh, int entity_table, int recency_table,
         int edge_table)
      : entity(entity_table),
        recency(recency_table),
        edge(edge_table),
        a(s, entity_table, nn::Pooling::kSum),
        b(s, entity_table, nn::Pooling::kSum),
        item(s, s.add_table("item", sh.items, sh.dim, 1.0 / std::sqrt(static_cast<double>(sh.dim))),
             nn::Pooling::kSum),
        price(s,
              s.add_table("price", sh.price_buckets, sh.dim,
                          1.0 / std::sqrt(static_cast<double>(sh.dim))),
              nn::Pooling::kSum),
        scene(s,
              s.add_table("scene", sh.scene_buckets, sh.dim,
                          1.0 / std::sqrt(static_cast<double>(sh.dim))),
              nn::Pooling::kSum),
        user(s,
             s.add_table("user", sh.user_buckets, sh.dim,
                         1.0 / std::sqrt(static_cast<double>(sh.dim))),
             nn::Pooling::kSum),
        theta(s, recency_table, nn::Pooling::kSum),
        beta(s, edge_table, nn::Pooling::kSum),
        pair(s, "pair", 3 * sh.dim + 1, sh.hidden),
        base(s, "base", 6 * sh.dim, sh.hidden),
        agg_sub(s, entity_table),
        agg_comp(s, entity_table),
        head_sub(s, "head_sub", sh.dim, sh.dim),
        head_comp(s, "head_comp", sh.dim, sh.dim) {}
};

template <class T>
EeiModel<T>::EeiModel(const EeiShape& shape, uint64_t seed) : shape_(shape) {
  if (shape.entities <= 0 || shape.items <= 0 || shape.dim <= 0 || shape.recency_buckets <= 0 ||
      shape.user_buckets <= 0)
    throw std::invalid_argument("eei model: empty shape (" + shape.describe() + ")");
  const int entity = store_.add_table("entity", shape.entities, shape.dim,
                                      1.0 / std::sqrt(static_cast<double>(shape.dim)));
  const int recency = store_.add_table("recency", shape.recency_buckets, 1, 0.0);
  const int edge = store_.add_table("edge", std::max<int64_t>(shape.edges, 1), 1, 0.0);
  layers_ = std::make_unique<Layers>(store_, shape, entity, recency, edge);
  layers_->scale = store_.add_dense("pair_scale", 1, 1, nn::Init::kZeros);
  store_.finalize(seed);
}

template <class T>
EeiModel<T>::~EeiModel() = default;

template <class T>
nn::Mat<T> EeiModel<T>::forward(const EeiSamples& s, const ItemFeatures& items,
                                std::span<const uint32_t> batch) {
  Layers& L = *layers_;
  nn::IdLists la, lb, li, lp, ls, lu, lr, le;
  L.mask.resize(static_cast<Eigen::Index>(batch.size()), 1);
  for (size_t k = 0; k < batch.size(); ++k) {
    const uint32_t i = batch[k];
    const bool triggered = s.a[i] >= 0;
    L.mask(static_cast<Eigen::Index>(k), 0) = triggered ? T(1) : T(0);
    lb.push({s.b[i]}), li.push({s.item[i]}), ls.push({s.scene[i]}),
        lp.push({items.price_bucket[s.item[i]]});
    lu.push({static_cast<int64_t>(s.user[i] % static_cast<uint64_t>(shape_.user_buckets))});
    if (triggered) {
      la.push({s.a[i]}), lr.push({recency_bucket(s.age_h[i], shape_.recency_buckets)}),
          le.push({s.edge[i]});
    } else {  // a control has no trigger: empty lists, so no row of E, theta or beta is touched
      la.push({}), lr.push({}), le.push({});
    }
  }
  L.ea = L.a.forward(la);
  L.eb = L.b.forward(lb);
  L.eu = L.user.forward(lu);
  const nn::Mat<T> prod = L.ea.cwiseProduct(L.eb);
  L.c = column<T>(s.confidence, batch);
  L.z = L.pair.forward(nn::concat_cols<T>({&L.ea, &L.eb, &prod, &L.c})) + L.beta.forward(le);
  L.q = L.z.unaryExpr([](T x) { return sigmoid(x); });
  L.w = softplus(store_.value(L.scale)(0, 0)) * L.c.cwiseProduct(L.q);
  L.r = L.theta.forward(lr).unaryExpr([](T x) { return sigmoid(x); });
  const nn::Mat<T> ei = L.item.forward(li), ep = L.price.forward(lp), es = L.scene.forward(ls);
  const nn::Mat<T> ub = L.eu.cwiseProduct(L.eb);
  return L.base.forward(nn::concat_cols<T>({&L.eb, &ei, &ep, &es, &L.eu, &ub})) +
         L.mask.cwiseProduct(L.w).cwiseProduct(L.r);
}

template <class T>
void EeiModel<T>::backward(const nn::Mat<T>& dlogit) {
  Layers& L = *layers_;
  const int64_t d = shape_.dim;
  const nn::Mat<T> dpair = dlogit.cwiseProduct(L.mask);  // controls have no pair term
  L.theta.backward(dpair.cwiseProduct(L.w).cwiseProduct(L.r).cwiseProduct(
      L.r.unaryExpr([](T x) { return T(1) - x; })));
  const auto dg = nn::split_cols<T>(L.base.backward(dlogit), {d, d, d, d, d, d});
  L.item.backward(dg[1]), L.price.backward(dg[2]), L.scene.backward(dg[3]);
  L.user.backward(dg[4] + dg[5].cwiseProduct(L.eb));
  const T kappa = store_.value(L.scale)(0, 0);
  const nn::Mat<T> dw = dpair.cwiseProduct(L.r);
  store_.grad(L.scale)(0, 0) += sigmoid(kappa) * dw.cwiseProduct(L.c).cwiseProduct(L.q).sum();
  const nn::Mat<T> dz = softplus(kappa) * dw.cwiseProduct(L.c).cwiseProduct(L.q.cwiseProduct(
                                              L.q.unaryExpr([](T x) { return T(1) - x; })));
  L.beta.backward(dz);
  const auto dp = nn::split_cols<T>(L.pair.backward(dz), {d, d, d, 1});
  if (!shape_.train_entities) return;
  L.a.backward(dp[0] + dp[2].cwiseProduct(L.eb));
  L.b.backward(dp[1] + dp[2].cwiseProduct(L.ea) + dg[0] + dg[5].cwiseProduct(L.eu));
}

template <class T>
double EeiModel<T>::click_loss(const EeiSamples& s, const ItemFeatures& items,
                               std::span<const uint32_t> batch, double scale, bool grad) {
  if (batch.empty()) return 0.0;
  const nn::Mat<T> logits = forward(s, items, batch);
  std::vector<float> labels(batch.size());
  for (size_t k = 0; k < batch.size(); ++k) labels[k] = s.label[batch[k]];
  auto loss = nn::bce_with_logits<T>(logits, labels, scale);
  if (grad) backward(loss.grad);
  return loss.loss;
}

template <class T>
double EeiModel<T>::contrastive_loss(const EncoderViews& views, std::span<const int32_t> anchors,
                                     double temperature, double scale, bool grad) {
  Layers& L = *layers_;
  L.sub_rows = select_rows(views.substitutable, anchors);
  L.comp_rows = select_rows(views.complementary, anchors);
  const nn::Mat<T> zs = L.head_sub.forward(L.agg_sub.forward(L.sub_rows));
  const nn::Mat<T> zc = L.head_comp.forward(L.agg_comp.forward(L.comp_rows));
  auto r = nn::info_nce<T>(zs, zc, temperature, scale);
  if (grad) {
    const nn::Mat<T> ds = L.head_sub.backward(r.grad_a), dc = L.head_comp.backward(r.grad_b);
    if (shape_.train_entities) L.agg_sub.backward(ds), L.agg_comp.backward(dc);
  }
  return r.loss;
}

template <class T>
std::vector<float> EeiModel<T>::pair_weights(std::span<const int32_t> a, std::span<const int32_t> b,
                                             std::span<const float> confidence,
                                             std::span<const int64_t> edge) {
  Layers& L = *layers_;
  const auto& table = store_.table(L.entity).weight;
  const auto& beta = store_.table(L.edge).weight;
  std::vector<float> out;
  out.reserve(a.size());
  constexpr size_t kChunk = 8192;
  for (size_t at = 0; at < a.size(); at += kChunk) {
    const auto n = static_cast<Eigen::Index>(std::min(kChunk, a.size() - at));
    nn::Mat<T> x(n, 3 * shape_.dim + 1);
    for (Eigen::Index k = 0; k < n; ++k) {
      const auto ea = table.row(a[at + k]), eb = table.row(b[at + k]);
      x.row(k) << ea, eb, ea.cwiseProduct(eb), static_cast<T>(confidence[at + k]);
    }
    const nn::Mat<T> z = L.pair.forward(x);
    const T scale = softplus(store_.value(L.scale)(0, 0));
    for (Eigen::Index k = 0; k < n; ++k) {
      const int64_t e = edge[at + k];
      const T gate = sigmoid(z(k, 0) + (e >= 0 && e < beta.rows() ? beta(e, 0) : T(0)));
      out.push_back(static_cast<float>(scale * static_cast<T>(confidence[at + k]) * gate));
    }
  }
  return out;
}

template <class T>
double EeiModel<T>::recency(double age_h) const {
  const auto& theta = store_.table(layers_->recency).weight;
  return sigmoid(static_cast<double>(theta(recency_bucket(age_h, shape_.recency_buckets), 0)));
}

template class EeiModel<float>;
template class EeiModel<double>;

}  // namespace kerec::train
