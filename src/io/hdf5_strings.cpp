// 1-D string datasets: variable-length UTF-8 in serial files, fixed-length in parallel ones.
#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/h5_parallel.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {

namespace {

// A string type usable as both file and memory type (strings need no byte-order conversion).
detail::TypeSpec string_spec(hid_t type) { return {H5T_STRING, 0, false, "string", type, type}; }

Handle fixed_string_type(size_t width, const std::string& where) {
  Handle type = detail::owned(H5Tcopy(H5T_C_S1), Kind::kDatatype, "H5Tcopy", where);
  detail::check(H5Tset_size(type.id(), width), "H5Tset_size", where);
  detail::check(H5Tset_strpad(type.id(), H5T_STR_NULLPAD), "H5Tset_strpad", where);
  detail::check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "H5Tset_cset", where);
  return type;
}

// The strings NUL-padded to `width` bytes each, back to back: a fixed-length dataset's buffer.
std::vector<char> pack_fixed(std::span<const std::string> values, size_t width) {
  std::vector<char> bytes(values.size() * width, '\0');
  for (size_t i = 0; i < values.size(); ++i)
    std::memcpy(bytes.data() + i * width, values[i].data(), values[i].size());
  return bytes;
}

// Frees the strings HDF5 allocated for a variable-length read, also when converting them throws.
struct VlenBuffer {
  hid_t type;
  std::vector<char*> strings;
  ~VlenBuffer() {
    if (strings.empty()) return;
    const hsize_t n = strings.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    if (space < 0 || H5Dvlen_reclaim(type, space, H5P_DEFAULT, strings.data()) < 0)
      H5Eclear2(H5E_DEFAULT);
    if (space >= 0) H5Sclose(space);
  }
};

std::vector<std::string> read_variable(hid_t dataset, hsize_t first, hsize_t n,
                                       const std::string& where) {
  Handle type = detail::vlen_string_type();
  VlenBuffer buffer{type.id(), std::vector<char*>(n, nullptr)};
  const std::array<hsize_t, 1> start{first}, count{n};
  detail::read_block(dataset, type.id(), buffer.strings.data(), start, count, false, where);
  std::vector<std::string> out;
  out.reserve(n);
  for (const char* s : buffer.strings) out.emplace_back(s ? s : "");
  return out;
}

std::vector<std::string> read_fixed(hid_t dataset, hid_t file_type, hsize_t first, hsize_t n,
                                    const std::string& where) {
  Handle type = detail::owned(H5Tcopy(file_type), Kind::kDatatype, "H5Tcopy", where);
  const size_t width = H5Tget_size(type.id());
  if (width == 0) detail::throw_hdf5("H5Tget_size", where);
  std::vector<char> bytes(n * width);
  const std::array<hsize_t, 1> start{first}, count{n};
  detail::read_block(dataset, type.id(), bytes.data(), start, count, false, where);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const char* begin = bytes.data() + i * width;
    out.emplace_back(begin, std::find(begin, begin + width, '\0'));
  }
  return out;
}

}  // namespace

void write_strings(const Group& group, std::string_view name, std::span<const std::string> values) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].find('\0') != std::string::npos) {
      throw Hdf5Error(where + ": string " + std::to_string(i) + " contains a NUL byte");
    }
  }
  const std::array<hsize_t, 1> dims{values.size()};
  const detail::Layout contiguous;
  if (!group.file().parallel) {
    Handle type = detail::vlen_string_type();
    std::vector<const char*> pointers(values.size());
    std::transform(values.begin(), values.end(), pointers.begin(),
                   [](const std::string& s) { return s.c_str(); });
    detail::write_replicated(group, name, string_spec(type.id()), pointers.data(), dims,
                             contiguous);
    return;
  }
  size_t width = 1;  // HDF5 has no zero-length string type
  for (const std::string& s : values) width = std::max(width, s.size());
  Handle type = fixed_string_type(width, where);
  const std::vector<char> bytes = pack_fixed(values, width);
  detail::write_replicated(group, name, string_spec(type.id()), bytes.data(), dims, contiguous);
}

void write_strings_distributed(const Group& group, std::string_view name,
                               std::span<const std::string> local, dist::Comm& comm) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  int64_t first_nul = -1;
  for (size_t i = 0; i < local.size() && first_nul < 0; ++i)
    if (local[i].find('\0') != std::string::npos) first_nul = static_cast<int64_t>(i);
  std::vector<int64_t> nul(static_cast<size_t>(comm.size()), -1);
  nul[static_cast<size_t>(comm.rank())] = first_nul;
  dist::allreduce(comm, std::span<int64_t>(nul), dist::ReduceOp::kMax);
  for (size_t r = 0; r < nul.size(); ++r)
    if (nul[r] >= 0)
      throw Hdf5Error(where + ": string " + std::to_string(nul[r]) + " of rank " +
                      std::to_string(r) + " contains a NUL byte");
  if (!group.file().parallel) {
    if (comm.size() > 1)
      throw Hdf5Error(where + ": a distributed write over " + std::to_string(comm.size()) +
                      " ranks needs a file opened in parallel over them");
    return write_strings(group, name, local);
  }
  uint64_t sizes[2] = {1, local.size()};  // width (HDF5 has no zero-length string type), count
  for (const std::string& s : local) sizes[0] = std::max<uint64_t>(sizes[0], s.size());
  const uint64_t width = dist::allreduce_value(comm, sizes[0], dist::ReduceOp::kMax);
  const auto counts = dist::allgatherv<uint64_t>(comm, std::span<const uint64_t>(&sizes[1], 1));
  uint64_t total = 0, before = 0;
  for (size_t r = 0; r < counts.size(); ++r)
    total += counts[r], before += r < static_cast<size_t>(comm.rank()) ? counts[r] : 0;
  Handle type = fixed_string_type(width, where);
  const std::vector<char> bytes = pack_fixed(local, width);
  const std::array<hsize_t, 1> dims{total}, start{before}, count{local.size()};
  Handle dataset = detail::create_dataset(group, name, type.id(), dims, detail::Layout{});
  if (total > 0)  // no transfer to an empty contiguous dataset (see write_distributed)
    detail::write_block(dataset.id(), type.id(), bytes.data(), start, count, true, where);
  dataset.close(where);
}

std::vector<std::string> read_strings(const Group& group, std::string_view name) {
  return read_strings(group, name, 0, std::numeric_limits<uint64_t>::max());
}

std::vector<std::string> read_strings(const Group& group, std::string_view name, uint64_t offset,
                                      uint64_t count) {
  const std::string where = group.file().path + ":" + group.child_path(name);
  Handle dataset = detail::open_dataset(group, name);
  Handle type = detail::dataset_type(dataset.id(), where);
  if (H5Tget_class(type.id()) != H5T_STRING) {
    throw Hdf5Error(where + " stores " + detail::describe_type(type.id()) + ", expected strings");
  }
  const std::vector<hsize_t> dims = detail::dataset_dims(dataset.id(), where);
  detail::check_rank(dims, 1, where);
  if (count == std::numeric_limits<uint64_t>::max())
    count = dims[0] - std::min<uint64_t>(offset, dims[0]);
  if (offset > dims[0] || count > dims[0] - offset) {
    throw Hdf5Error(where + ": range [" + std::to_string(offset) + ", " + std::to_string(offset) +
                    " + " + std::to_string(count) + ") exceeds its length " +
                    std::to_string(dims[0]));
  }
  if (count == 0) return {};
  if (detail::check_tri(H5Tis_variable_str(type.id()), "H5Tis_variable_str", where)) {
    return read_variable(dataset.id(), offset, count, where);
  }
  return read_fixed(dataset.id(), type.id(), offset, count, where);
}

}  // namespace kerec::io::h5
