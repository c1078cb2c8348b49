// Typed 1-D arrays and 2-D matrices.
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {

namespace {

// An open dataset checked to hold elements of T in `rank` dimensions.
struct Checked {
  Handle dataset;
  std::vector<hsize_t> dims;
  std::string where;
};

template <class T>
Checked open_checked(const Group& group, std::string_view name, size_t rank) {
  Checked out{
      detail::open_dataset(group, name), {}, group.file().path + ":" + group.child_path(name)};
  Handle type = detail::dataset_type(out.dataset.id(), out.where);
  detail::check_type(type.id(), detail::type_spec<T>(), out.where);
  out.dims = detail::dataset_dims(out.dataset.id(), out.where);
  detail::check_rank(out.dims, rank, out.where);
  return out;
}

}  // namespace

template <Element T>
void write(const Group& group, std::string_view name, std::span<const T> data,
           const DatasetOptions& options) {
  const std::array<hsize_t, 1> dims{data.size()};
  const detail::Layout layout =
      detail::choose_layout(dims, sizeof(T), std::is_integral_v<T>, options);
  detail::write_replicated(group, name, detail::type_spec<T>(), data.data(), dims, layout);
}

template <Element T>
std::vector<T> read(const Group& group, std::string_view name) {
  Checked checked = open_checked<T>(group, name, 1);
  std::vector<T> out(checked.dims[0]);
  const std::array<hsize_t, 1> start{0};
  detail::read_block(checked.dataset.id(), detail::type_spec<T>().memory, out.data(), start,
                     checked.dims, false, checked.where);
  return out;
}

template <Element T>
std::vector<T> read_slice(const Group& group, std::string_view name, uint64_t offset,
                          uint64_t count) {
  Checked checked = open_checked<T>(group, name, 1);
  const uint64_t length = checked.dims[0];
  if (offset > length || count > length - offset) {
    throw Hdf5Error(checked.where + ": slice [" + std::to_string(offset) + ", " +
                    std::to_string(offset) + " + " + std::to_string(count) +
                    ") exceeds its length " + std::to_string(length));
  }
  std::vector<T> out(count);
  const std::array<hsize_t, 1> start{offset};
  const std::array<hsize_t, 1> extent{count};
  detail::read_block(checked.dataset.id(), detail::type_spec<T>().memory, out.data(), start, extent,
                     false, checked.where);
  return out;
}

template <Real T>
void write_matrix(const Group& group, std::string_view name, std::span<const T> data, uint64_t rows,
                  uint64_t cols, const DatasetOptions& options) {
  const bool fits =
      cols == 0 ? data.empty() : data.size() % cols == 0 && data.size() / cols == rows;
  if (!fits) {
    throw std::invalid_argument("write_matrix '" + group.child_path(name) +
                                "': " + std::to_string(data.size()) + " elements do not form " +
                                std::to_string(rows) + " x " + std::to_string(cols));
  }
  const std::array<hsize_t, 2> dims{rows, cols};
  const detail::Layout layout = detail::choose_layout(dims, sizeof(T), false, options);
  detail::write_replicated(group, name, detail::type_spec<T>(), data.data(), dims, layout);
}

template <Real T>
Matrix<T> read_matrix(const Group& group, std::string_view name) {
  Checked checked = open_checked<T>(group, name, 2);
  Matrix<T> out{checked.dims[0], checked.dims[1], {}};
  out.data.resize(out.rows * out.cols);
  const std::array<hsize_t, 2> start{0, 0};
  detail::read_block(checked.dataset.id(), detail::type_spec<T>().memory, out.data.data(), start,
                     checked.dims, false, checked.where);
  return out;
}

std::vector<uint64_t> shape(const Group& group, std::string_view name) {
  return group.open_dataset(name).shape();
}

#define KEREC_H5_INSTANTIATE_ELEMENT(T)                                      \
  template void write<T>(const Group&, std::string_view, std::span<const T>, \
                         const DatasetOptions&);                             \
  template std::vector<T> read<T>(const Group&, std::string_view);           \
  template std::vector<T> read_slice<T>(const Group&, std::string_view, uint64_t, uint64_t);

KEREC_H5_INSTANTIATE_ELEMENT(int32_t)
KEREC_H5_INSTANTIATE_ELEMENT(int64_t)
KEREC_H5_INSTANTIATE_ELEMENT(uint64_t)
KEREC_H5_INSTANTIATE_ELEMENT(uint8_t)
KEREC_H5_INSTANTIATE_ELEMENT(float)
KEREC_H5_INSTANTIATE_ELEMENT(double)

template void write_matrix<float>(const Group&, std::string_view, std::span<const float>, uint64_t,
                                  uint64_t, const DatasetOptions&);
template void write_matrix<double>(const Group&, std::string_view, std::span<const double>,
                                   uint64_t, uint64_t, const DatasetOptions&);
template Matrix<float> read_matrix<float>(const Group&, std::string_view);
template Matrix<double> read_matrix<double>(const Group&, std::string_view);

}  // namespace kerec::io::h5
