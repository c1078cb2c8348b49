// 1-D datasets spread over the ranks of a communicator.
#include <array>
#include <numeric>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/h5_parallel.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {

namespace {

// Throws unless `comm` is the communicator the file is shared over (or the file is serial and
// comm has one rank when `writing`; serial reads by many ranks are fine).
void check_comm(const Group& group, const dist::Comm& comm, bool writing,
                const std::string& where) {
  const FileContext& file = group.file();
  if (file.parallel) {
    if (comm.size() != file.size || comm.rank() != file.rank) {
      throw Hdf5Error(where + ": the file is shared by " + std::to_string(file.size) +
                      " ranks, but the communicator has " + std::to_string(comm.size()));
    }
  } else if (writing && comm.size() > 1) {
    throw Hdf5Error(where + ": a distributed write over " + std::to_string(comm.size()) +
                    " ranks needs a file opened in parallel over them");
  }
}

}  // namespace

template <Element T>
void write_distributed(const Group& group, std::string_view name, std::span<const T> local,
                       dist::Comm& comm, const DatasetOptions& options) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  check_comm(group, comm, true, where);
  const uint64_t local_count = local.size();
  const std::vector<uint64_t> counts =
      dist::allgatherv<uint64_t>(comm, std::span<const uint64_t>(&local_count, 1));
  const auto rank = static_cast<size_t>(comm.rank());
  const std::array<hsize_t, 1> dims{std::reduce(counts.begin(), counts.end(), uint64_t{0})};
  const std::array<hsize_t, 1> start{
      std::reduce(counts.begin(), counts.begin() + rank, uint64_t{0})};
  const std::array<hsize_t, 1> count{local_count};

  const detail::Layout layout =
      detail::choose_layout(dims, sizeof(T), std::is_integral_v<T>, options);
  Handle dataset = detail::create_dataset(group, name, detail::type_spec<T>().file, dims, layout);
  // An empty contiguous dataset has no storage address, and parallel HDF5 1.10 fails a transfer
  // to it ("addr overflow") even when nothing is selected. Every rank knows the total, so all skip.
  if (dims[0] > 0)
    detail::write_block(dataset.id(), detail::type_spec<T>().memory, local.data(), start, count,
                        group.file().parallel, where);
  dataset.close(where);
}

template <Element T>
std::vector<T> read_distributed(const Group& group, std::string_view name, const dist::Comm& comm,
                                uint64_t offset, uint64_t count) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  check_comm(group, comm, false, where);
  Handle dataset = detail::open_dataset(group, name);
  Handle type = detail::dataset_type(dataset.id(), where);
  detail::check_type(type.id(), detail::type_spec<T>(), where);
  const std::vector<hsize_t> dims = detail::dataset_dims(dataset.id(), where);
  detail::check_rank(dims, 1, where);
  // Checked before the transfer but thrown only after it: a collective read must not lose a rank.
  const bool in_range = offset <= dims[0] && count <= dims[0] - offset;
  std::vector<T> out(in_range ? count : 0);
  const std::array<hsize_t, 1> start{in_range ? offset : 0};
  const std::array<hsize_t, 1> extent{out.size()};
  if (dims[0] > 0)  // no transfer from an empty dataset (see write_distributed)
    detail::read_block(dataset.id(), detail::type_spec<T>().memory, out.data(), start, extent,
                       group.file().parallel, where);
  if (!in_range) {
    throw Hdf5Error(where + ": range [" + std::to_string(offset) + ", " + std::to_string(offset) +
                    " + " + std::to_string(count) + ") exceeds its length " +
                    std::to_string(dims[0]));
  }
  return out;
}

template <Element T>
std::vector<T> read_distributed(const Group& group, std::string_view name, const dist::Comm& comm) {
  const std::vector<uint64_t> dims = shape(group, name);
  if (dims.size() != 1) {
    throw Hdf5Error(group.file().path + ":" + group.child_path(name) + " has " +
                    std::to_string(dims.size()) + " dimensions, expected 1");
  }
  const dist::Block block = dist::block_of(dims[0], comm.size(), comm.rank());
  return read_distributed<T>(group, name, comm, block.begin, block.end - block.begin);
}

#define KEREC_H5_INSTANTIATE_DISTRIBUTED(T)                                                       \
  template void write_distributed<T>(const Group&, std::string_view, std::span<const T>,          \
                                     dist::Comm&, const DatasetOptions&);                         \
  template std::vector<T> read_distributed<T>(const Group&, std::string_view, const dist::Comm&); \
  template std::vector<T> read_distributed<T>(const Group&, std::string_view, const dist::Comm&,  \
                                              uint64_t, uint64_t);

KEREC_H5_INSTANTIATE_DISTRIBUTED(int32_t)
KEREC_H5_INSTANTIATE_DISTRIBUTED(int64_t)
KEREC_H5_INSTANTIATE_DISTRIBUTED(uint64_t)
KEREC_H5_INSTANTIATE_DISTRIBUTED(uint8_t)
KEREC_H5_INSTANTIATE_DISTRIBUTED(float)
KEREC_H5_INSTANTIATE_DISTRIBUTED(double)

}  // namespace kerec::io::h5
