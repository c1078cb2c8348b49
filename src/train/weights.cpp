#include "kerec/train/weights.h"

#include <algorithm>
#include <string>

#include "kerec/io/h5_dataset.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

namespace h5 = io::h5;

// "FILE:/group/name" for messages.
std::string where(const h5::Group& g, const std::string& name) {
  return g.file().path + ":" + g.child_path(name);
}

// Reads `name` into `out` (rows x cols), refusing a missing dataset or another shape.
void read_into(const h5::Group& g, const std::string& name, float* out, int64_t rows,
               int64_t cols) {
  if (!g.exists(name)) throw InputError(where(g, name) + " is missing: written by another model?");
  const auto shape = h5::shape(g, name);
  if (shape.size() != 2 || shape[0] != static_cast<uint64_t>(rows) ||
      shape[1] != static_cast<uint64_t>(cols))
    throw InputError(where(g, name) + " is not a " + std::to_string(rows) + " x " +
                     std::to_string(cols) +
                     " matrix (the model's shape); was it written by another model?");
  const auto m = h5::read_matrix<float>(g, name);
  std::copy(m.data.begin(), m.data.end(), out);
}

}  // namespace

void write_params(const io::h5::Group& file, nn::ParamStore<float>& store) {
  for (size_t i = 0; i < store.num_dense(); ++i) {
    const auto v = store.value(static_cast<int>(i));
    h5::write_matrix<float>(file, "dense/" + store.dense_name(static_cast<int>(i)),
                            std::span<const float>(v.data(), v.size()), v.rows(), v.cols());
  }
  for (size_t t = 0; t < store.num_tables(); ++t) {
    const auto& table = store.table(static_cast<int>(t));
    h5::write_matrix<float>(file, "tables/" + table.name,
                            std::span<const float>(table.weight.data(), table.weight.size()),
                            table.rows, table.dim);
  }
}

void read_params(const io::h5::Group& group, nn::ParamStore<float>& store) {
  for (size_t i = 0; i < store.num_dense(); ++i) {
    auto v = store.value(static_cast<int>(i));
    read_into(group, "dense/" + store.dense_name(static_cast<int>(i)), v.data(), v.rows(),
              v.cols());
  }
  for (size_t t = 0; t < store.num_tables(); ++t) {
    auto& table = store.table(static_cast<int>(t));
    read_into(group, "tables/" + table.name, table.weight.data(), table.rows, table.dim);
  }
}

}  // namespace kerec::train
