// Gradient exchange of the data-parallel trainer (docs/design.md §4): every rank computed the
// gradient of its local share of the global batch; after exchange_gradients() every rank holds the
// sum.
//
// Dense gradients (the ParamStore's flat buffer) are summed with allreduce in fused buckets of
// `bucket_elems` elements (a few large messages instead of one per parameter). Sparse table
// gradients are exchanged as (row, gradient row) lists with allgatherv and summed in rank order, so
// the result equals a dense allreduce of the tables' gradients restricted to the touched rows, and
// is identical on every rank. After the exchange each table's rows are sorted ascending.
#pragma once

#include <cstddef>

#include "kerec/dist/comm.h"
#include "kerec/nn/params.h"

namespace kerec::train {

struct ExchangeStats {
  size_t dense_elems = 0;
  size_t buckets = 0;
  size_t sparse_rows_sent = 0;      // rows this rank contributed
  size_t sparse_rows_received = 0;  // distinct rows after the merge, all tables
};

// Collective.
ExchangeStats exchange_gradients(dist::Comm& comm, nn::ParamStore<float>& store,
                                 size_t bucket_elems);

// Multiplies every dense and sparse gradient by `factor`.
void scale_gradients(nn::ParamStore<float>& store, double factor);

// The global L2 norm of all (already exchanged) gradients, in double.
double gradient_norm(const nn::ParamStore<float>& store);

// A checksum of every weight (dense and tables), order-sensitive.
double weights_checksum(const nn::ParamStore<float>& store);

// Collective: throws kerec::Error on every rank if the ranks' weights differ (checksums differ).
void check_identical_weights(dist::Comm& comm, const nn::ParamStore<float>& store, int64_t step);

}  // namespace kerec::train
