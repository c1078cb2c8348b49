#include "kerec/extract/crf_train.h"

#include <cmath>
#include <deque>
#include <numeric>

#include "kerec/dist/collectives.h"

namespace kerec::extract {
namespace {

using Vec = std::vector<double>;

double dot(const Vec& a, const Vec& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// Collective: the objective at `model.weights` and its gradient, the same on every rank.
class Objective {
 public:
  Objective(dist::Comm& comm, std::span<const Sequence> local, double l2)
      : comm_(comm), local_(local), l2_(l2) {}

  double operator()(const CrfModel& model, Vec& gradient) {
    std::vector<int64_t> fixed(model.weights.size() + 1, 0);  // last slot: the NLL
    for (const auto& s : local_) accumulate_gradient(model, s, fixed.back(), fixed);
    dist::allreduce(comm_, std::span<int64_t>(fixed), dist::ReduceOp::kSum);
    ++evaluations;
    gradient.resize(model.weights.size());
    double value = std::ldexp(static_cast<double>(fixed.back()), -kFixedShift);
    for (size_t i = 0; i < gradient.size(); ++i) {
      const double w = model.weights[i];
      gradient[i] = std::ldexp(static_cast<double>(fixed[i]), -kFixedShift) + l2_ * w;
      value += 0.5 * l2_ * w * w;
    }
    return value;
  }
  int evaluations = 0;

 private:
  dist::Comm& comm_;
  std::span<const Sequence> local_;
  double l2_;
};

// The L-BFGS direction -H·g from the stored correction pairs (two-loop recursion).
Vec direction(const Vec& g, const std::deque<Vec>& s, const std::deque<Vec>& y) {
  Vec q = g;
  std::vector<double> alpha(s.size());
  for (size_t i = s.size(); i-- > 0;) {
    alpha[i] = dot(s[i], q) / dot(y[i], s[i]);
    for (size_t k = 0; k < q.size(); ++k) q[k] -= alpha[i] * y[i][k];
  }
  if (!s.empty()) {
    const double gamma = dot(s.back(), y.back()) / dot(y.back(), y.back());
    for (double& v : q) v *= gamma;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const double beta = dot(y[i], q) / dot(y[i], s[i]);
    for (size_t k = 0; k < q.size(); ++k) q[k] += (alpha[i] - beta) * s[i][k];
  }
  for (double& v : q) v = -v;
  return q;
}

}  // namespace

CrfModel train_crf(dist::Comm& comm, std::span<const Sequence> local, const TrainOptions& options,
                   TrainStats* stats) {
  CrfModel model = CrfModel::zeros(options.feature_bits);
  Objective objective(comm, local, options.l2);
  Vec g, g_new;
  double f = objective(model, g);
  TrainStats st;
  st.initial_objective = f;
  std::deque<Vec> s_hist, y_hist;
  for (st.iterations = 0; st.iterations < options.max_iterations; ++st.iterations) {
    Vec d = direction(g, s_hist, y_hist);
    double slope = dot(g, d);
    if (slope >= 0) {  // not a descent direction: restart from steepest descent
      s_hist.clear(), y_hist.clear();
      d = g;
      for (double& v : d) v = -v;
      slope = dot(g, d);
    }
    double step = s_hist.empty() ? 1.0 / std::max(1.0, std::sqrt(dot(g, g))) : 1.0;
    CrfModel trial = model;
    double f_new = 0;
    for (int tries = 0; tries < 20; ++tries, step *= 0.5) {
      for (size_t k = 0; k < d.size(); ++k) trial.weights[k] = model.weights[k] + step * d[k];
      f_new = objective(trial, g_new);
      if (f_new <= f + 1e-4 * step * slope) break;
    }
    if (!(f_new < f)) break;  // the line search found no decrease
    Vec s_k(d.size()), y_k(d.size());
    for (size_t k = 0; k < d.size(); ++k) s_k[k] = step * d[k], y_k[k] = g_new[k] - g[k];
    if (dot(s_k, y_k) > 1e-12) {
      s_hist.push_back(std::move(s_k)), y_hist.push_back(std::move(y_k));
      if (static_cast<int>(s_hist.size()) > options.memory) s_hist.pop_front(), y_hist.pop_front();
    }
    const double improvement = (f - f_new) / std::max(1.0, std::abs(f_new));
    model = std::move(trial);
    f = f_new, g.swap(g_new);
    if (improvement < options.tolerance) {
      ++st.iterations;
      break;
    }
  }
  st.evaluations = objective.evaluations;
  st.final_objective = f;
  int64_t counts[2] = {static_cast<int64_t>(local.size()), 0};
  for (const auto& s : local) counts[1] += static_cast<int64_t>(s.size());
  dist::allreduce(comm, std::span<int64_t>(counts), dist::ReduceOp::kSum);
  st.sequences = counts[0], st.positions = counts[1];
  if (stats) *stats = st;
  return model;
}

}  // namespace kerec::extract
