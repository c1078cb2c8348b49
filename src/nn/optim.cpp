#include "kerec/nn/optim.h"

#include <cmath>
#include <stdexcept>

namespace kerec::nn {

namespace {
int slots_of(const OptimizerConfig& c) {
  if (c.kind == "sgd") return c.momentum > 0 ? 1 : 0;
  if (c.kind == "adam" || c.kind == "adamw") return 2;
  if (c.kind == "adagrad") return 1;
  throw std::invalid_argument("optimizer: unknown kind '" + c.kind +
                              "' (sgd, adam, adamw, adagrad)");
}
}  // namespace

template <class T>
Optimizer<T>::Optimizer(const OptimizerConfig& config, ParamStore<T>& store)
    : config_(config), store_(store), slots_(slots_of(config)) {
  const T init = config.kind == "adagrad" ? static_cast<T>(config.adagrad_init) : T(0);
  for (int s = 0; s < slots_; ++s) {
    state_.dense.emplace_back(store.flat_values().size(), init);
    for (size_t t = 0; t < store.num_tables(); ++t) {
      const auto& table = store.table(static_cast<int>(t));
      state_.tables.emplace_back(static_cast<size_t>(table.rows * table.dim), init);
    }
  }
}

template <class T>
void Optimizer<T>::step(double lr) {
  ++state_.step;
  dense_step(lr);
  for (size_t t = 0; t < store_.num_tables(); ++t) table_step(static_cast<int>(t), lr);
}

template <class T>
void Optimizer<T>::dense_step(double lr) {
  T* s0 = slots_ > 0 ? state_.dense[0].data() : nullptr;
  T* s1 = slots_ > 1 ? state_.dense[1].data() : nullptr;
  update(store_.flat_values().data(), store_.flat_grads().data(), store_.flat_values().size(), s0,
         s1, lr, true);
}

// Lazy: only the rows present in the sparse gradient are updated, with their own state rows.
template <class T>
void Optimizer<T>::table_step(int table, double lr) {
  Table<T>& t = store_.table(table);
  const size_t tables = store_.num_tables();
  for (size_t k = 0; k < t.grad.rows.size(); ++k) {
    const size_t at = static_cast<size_t>(t.grad.rows[k] * t.dim);
    T* s0 = slots_ > 0 ? state_.tables[table].data() + at : nullptr;
    T* s1 = slots_ > 1 ? state_.tables[tables + table].data() + at : nullptr;
    update(t.weight.data() + at, t.grad.values.data() + k * t.dim, static_cast<size_t>(t.dim), s0,
           s1, lr, false);
  }
}

template <class T>
void Optimizer<T>::update(T* w, const T* g, size_t n, T* s0, T* s1, double lr, bool decay) const {
  const OptimizerConfig& c = config_;
  const bool l2 = decay && c.weight_decay > 0 && c.kind != "adamw";
  if (c.kind == "sgd") {
    for (size_t i = 0; i < n; ++i) {
      double grad = g[i] + (l2 ? c.weight_decay * w[i] : 0.0);
      if (s0) grad = s0[i] = static_cast<T>(c.momentum * s0[i] + grad);
      w[i] -= static_cast<T>(lr * grad);
    }
  } else if (c.kind == "adagrad") {
    for (size_t i = 0; i < n; ++i) {
      const double grad = g[i] + (l2 ? c.weight_decay * w[i] : 0.0);
      s0[i] += static_cast<T>(grad * grad);
      w[i] -= static_cast<T>(lr * grad / (std::sqrt(static_cast<double>(s0[i])) + c.eps));
    }
  } else {  // adam, adamw
    const double t = static_cast<double>(state_.step);
    const double c1 = 1.0 - std::pow(c.beta1, t), c2 = 1.0 - std::pow(c.beta2, t);
    const bool decoupled = decay && c.kind == "adamw" && c.weight_decay > 0;
    for (size_t i = 0; i < n; ++i) {
      const double grad = g[i] + (l2 ? c.weight_decay * w[i] : 0.0);
      s0[i] = static_cast<T>(c.beta1 * s0[i] + (1 - c.beta1) * grad);
      s1[i] = static_cast<T>(c.beta2 * s1[i] + (1 - c.beta2) * grad * grad);
      double wi = w[i];
      if (decoupled) wi -= lr * c.weight_decay * wi;
      w[i] = static_cast<T>(wi - lr * (s0[i] / c1) / (std::sqrt(s1[i] / c2) + c.eps));
    }
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace kerec::nn
