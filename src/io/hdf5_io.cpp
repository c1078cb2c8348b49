// Dataset creation (layout policy) and block transfers shared by the typed functions.
#include <algorithm>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/util/error.h"
#include "kerec/util/watchdog.h"

namespace kerec::io::h5::detail {

Handle open_dataset(const Group& group, std::string_view name) {
  return owned(H5Dopen2(group.id(), std::string(name).c_str(), H5P_DEFAULT), Kind::kDataset,
               "H5Dopen2", group.file().path + ":" + group.child_path(name));
}

Handle dataset_type(hid_t dataset, const std::string& where) {
  return owned(H5Dget_type(dataset), Kind::kDatatype, "H5Dget_type", where);
}

std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& where) {
  Handle space = owned(H5Dget_space(dataset), Kind::kDataspace, "H5Dget_space", where);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) throw_hdf5("H5Sget_simple_extent_ndims", where);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0) {
    throw_hdf5("H5Sget_simple_extent_dims", where);
  }
  return dims;
}

void check_rank(const std::vector<hsize_t>& dims, size_t rank, const std::string& where) {
  if (dims.size() != rank) {
    throw Hdf5Error(where + " has " + std::to_string(dims.size()) + " dimensions, expected " +
                    std::to_string(rank));
  }
}

Layout choose_layout(std::span<const hsize_t> dims, size_t elem_size, bool integer,
                     const DatasetOptions& options) {
  Layout layout;
  if (!options.compress.value_or(integer)) return layout;
  if (options.chunk_elems == 0) throw std::invalid_argument("DatasetOptions: chunk_elems is 0");
  if (options.deflate_level < 1 || options.deflate_level > 9) {
    throw std::invalid_argument("DatasetOptions: deflate_level " +
                                std::to_string(options.deflate_level) + " is not in 1..9");
  }
  layout.chunked = true;
  layout.deflate_level = options.deflate_level;
  // Whole trailing dimensions per chunk, as many leading-dimension entries as fit in chunk_elems.
  hsize_t inner = 1;
  for (size_t d = 1; d < dims.size(); ++d) inner *= std::max<hsize_t>(dims[d], 1);
  const hsize_t leading = std::max<hsize_t>(1, options.chunk_elems / inner);
  layout.chunk.assign(dims.begin(), dims.end());
  layout.chunk[0] = std::clamp<hsize_t>(dims[0], 1, leading);
  for (size_t d = 1; d < dims.size(); ++d) layout.chunk[d] = std::max<hsize_t>(dims[d], 1);
  const hsize_t chunk_bytes = std::reduce(layout.chunk.begin(), layout.chunk.end(),
                                          hsize_t{elem_size}, std::multiplies<>());
  if (chunk_bytes >= (hsize_t{1} << 32)) {
    throw std::invalid_argument("DatasetOptions: a chunk of " + std::to_string(chunk_bytes) +
                                " bytes exceeds HDF5's 4 GiB chunk limit");
  }
  return layout;
}

Handle create_dataset(const Group& group, std::string_view name, hid_t file_type,
                      std::span<const hsize_t> dims, const Layout& layout) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  Handle space = owned(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       Kind::kDataspace, "H5Screate_simple", where);
  Handle dcpl = owned(H5Pcreate(H5P_DATASET_CREATE), Kind::kPropertyList, "H5Pcreate", where);
  if (layout.chunked) {
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(layout.chunk.size()), layout.chunk.data()),
          "H5Pset_chunk", where);
    if (layout.deflate_level > 0) {
      check(H5Pset_shuffle(dcpl.id()), "H5Pset_shuffle", where);
      check(H5Pset_deflate(dcpl.id(), static_cast<unsigned>(layout.deflate_level)),
            "H5Pset_deflate", where);
    }
  }
  // Every dataset is written whole right after it is created, so fill values would only be
  // overwritten; parallel HDF5 allocates storage at creation and would write them first, which
  // doubles the bytes written for uncompressed data.
  // (HDF5 requires a fill value for variable-length data, so those keep the default.)
  if (H5Tis_variable_str(file_type) <= 0)
    check(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_NEVER), "H5Pset_fill_time", where);
  Handle lcpl = owned(H5Pcreate(H5P_LINK_CREATE), Kind::kPropertyList, "H5Pcreate", where);
  check(H5Pset_create_intermediate_group(lcpl.id(), 1), "H5Pset_create_intermediate_group", where);
  return owned(H5Dcreate2(group.id(), std::string(name).c_str(), file_type, space.id(), lcpl.id(),
                          dcpl.id(), H5P_DEFAULT),
               Kind::kDataset, "H5Dcreate2", where);
}

Handle transfer_plist(bool collective) {
  Handle dxpl = owned(H5Pcreate(H5P_DATASET_XFER), Kind::kPropertyList, "H5Pcreate", "transfer");
  if (collective) {
    check(H5Pset_dxpl_mpio(dxpl.id(), H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio", "transfer");
  }
  return dxpl;
}

namespace {

// Memory and file dataspaces selecting the block [start, start + count) of the dataset.
struct Selection {
  Handle memory;
  Handle file;
};

Selection select_block(hid_t dataset, std::span<const hsize_t> start,
                       std::span<const hsize_t> count, const std::string& where) {
  const hsize_t elements = std::reduce(count.begin(), count.end(), hsize_t{1}, std::multiplies<>());
  Selection selection;
  selection.file = owned(H5Dget_space(dataset), Kind::kDataspace, "H5Dget_space", where);
  selection.memory =
      owned(H5Screate_simple(1, &elements, nullptr), Kind::kDataspace, "H5Screate_simple", where);
  if (elements == 0) {
    check(H5Sselect_none(selection.file.id()), "H5Sselect_none", where);
    check(H5Sselect_none(selection.memory.id()), "H5Sselect_none", where);
  } else {
    check(H5Sselect_hyperslab(selection.file.id(), H5S_SELECT_SET, start.data(), nullptr,
                              count.data(), nullptr),
          "H5Sselect_hyperslab", where);
  }
  return selection;
}

// H5Dwrite/H5Dread reject a null buffer even when nothing is selected.
std::byte empty_buffer[1];

}  // namespace

void write_block(hid_t dataset, hid_t memory_type, const void* data, std::span<const hsize_t> start,
                 std::span<const hsize_t> count, bool collective, const std::string& where) {
  Selection selection = select_block(dataset, start, count, where);
  Handle dxpl = transfer_plist(collective);
  check(H5Dwrite(dataset, memory_type, selection.memory.id(), selection.file.id(), dxpl.id(),
                 data ? data : empty_buffer),
        "H5Dwrite", where);
}

void read_block(hid_t dataset, hid_t memory_type, void* data, std::span<const hsize_t> start,
                std::span<const hsize_t> count, bool collective, const std::string& where) {
  Selection selection = select_block(dataset, start, count, where);
  Handle dxpl = transfer_plist(collective);
  const watchdog::WatchedCall watch(watchdog::Kind::kRead, "H5Dread", where);
  check(H5Dread(dataset, memory_type, selection.memory.id(), selection.file.id(), dxpl.id(),
                data ? data : empty_buffer),
        "H5Dread", where);
}

void write_replicated(const Group& group, std::string_view name, const TypeSpec& type,
                      const void* data, std::span<const hsize_t> dims, const Layout& layout) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  Handle dataset = create_dataset(group, name, type.file, dims, layout);
  // No transfer to an empty dataset: see write_distributed (h5_parallel.cpp).
  if (std::reduce(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>()) == 0)
    return dataset.close(where);
  std::vector<hsize_t> start(dims.size(), 0);
  std::vector<hsize_t> count(dims.begin(), dims.end());
  if (group.file().rank != 0) std::fill(count.begin(), count.end(), 0);
  write_block(dataset.id(), type.memory, data, start, count, group.file().parallel, where);
  dataset.close(where);
}

}  // namespace kerec::io::h5::detail
