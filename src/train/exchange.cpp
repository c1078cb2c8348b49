#include "kerec/train/exchange.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

// Sums one table's sparse gradient over the ranks, in rank order; rows end sorted ascending. The
// gathered entries are ordered by (row, position): positions follow rank order, so one row's
// entries are summed in rank order on every rank, and each row is written once, without the
// slot map (SparseGrad::add rebuilds it if it is ever needed before the next clear()).
size_t exchange_table(dist::Comm& comm, nn::Table<float>& table) {
  auto& g = table.grad;
  const auto rows = dist::allgatherv<int64_t>(comm, g.rows);
  const auto values = dist::allgatherv<float>(comm, g.values);
  std::vector<std::pair<int64_t, int64_t>> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = {rows[i], static_cast<int64_t>(i)};
  std::sort(order.begin(), order.end());
  const auto dim = static_cast<size_t>(table.dim);
  g.clear();
  g.values.reserve(values.size());
  for (const auto& [row, k] : order) {
    const float* v = values.data() + static_cast<size_t>(k) * dim;
    if (g.rows.empty() || g.rows.back() != row) {
      g.rows.push_back(row);
      g.values.resize(g.values.size() + dim, 0.0f);
    }
    float* out = g.values.data() + g.values.size() - dim;
    for (size_t j = 0; j < dim; ++j) out[j] += v[j];  // as SparseGrad::add with scale 1
  }
  return g.rows.size();
}

}  // namespace

ExchangeStats exchange_gradients(dist::Comm& comm, nn::ParamStore<float>& store,
                                 size_t bucket_elems) {
  ExchangeStats stats;
  auto grads = store.flat_grads();
  stats.dense_elems = grads.size();
  bucket_elems = std::max<size_t>(bucket_elems, 1);
  for (size_t at = 0; at < grads.size(); at += bucket_elems) {
    dist::allreduce(comm, grads.subspan(at, std::min(bucket_elems, grads.size() - at)),
                    dist::ReduceOp::kSum);
    ++stats.buckets;
  }
  for (size_t t = 0; t < store.num_tables(); ++t) {
    auto& table = store.table(static_cast<int>(t));
    stats.sparse_rows_sent += table.grad.rows.size();
    stats.sparse_rows_received += exchange_table(comm, table);
  }
  return stats;
}

void scale_gradients(nn::ParamStore<float>& store, double factor) {
  const float f = static_cast<float>(factor);
  for (float& g : store.flat_grads()) g *= f;
  for (size_t t = 0; t < store.num_tables(); ++t)
    for (float& g : store.table(static_cast<int>(t)).grad.values) g *= f;
}

double gradient_norm(const nn::ParamStore<float>& store) {
  const auto& s = store;
  double sum = 0;
  for (float g : s.flat_grads()) sum += static_cast<double>(g) * g;
  for (size_t t = 0; t < s.num_tables(); ++t)
    for (float g : s.table(static_cast<int>(t)).grad.values) sum += static_cast<double>(g) * g;
  return std::sqrt(sum);
}

double weights_checksum(const nn::ParamStore<float>& store) {
  double sum = 0, k = 1;
  for (float w : store.flat_values()) sum += w * (k += 1e-3);
  for (size_t t = 0; t < store.num_tables(); ++t) {
    const auto& weight = store.table(static_cast<int>(t)).weight;
    for (Eigen::Index i = 0; i < weight.size(); ++i) sum += weight.data()[i] * (k += 1e-3);
  }
  return sum;
}

void check_identical_weights(dist::Comm& comm, const nn::ParamStore<float>& store, int64_t step) {
  const double mine = weights_checksum(store);
  const double lo = dist::allreduce_value(comm, mine, dist::ReduceOp::kMin);
  const double hi = dist::allreduce_value(comm, mine, dist::ReduceOp::kMax);
  if (lo != hi)
    throw RemoteError("step " + std::to_string(step) + ": the ranks' weights differ (checksums " +
                      std::to_string(lo) + " .. " + std::to_string(hi) + ")");
}

}  // namespace kerec::train
