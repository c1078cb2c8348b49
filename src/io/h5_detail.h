// Internals of the HDF5 layer shared by src/io/hdf5_*.cpp: error checking, type mapping, dataset
// creation and block transfers. Not installed; includes <hdf5.h>.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kerec/io/h5_dataset.h"
#include "kerec/io/h5_file.h"
#include "kerec/io/h5_handle.h"

namespace kerec::io::h5 {
static_assert(std::is_same_v<hid_t, hid>, "kerec::io::h5::hid must be HDF5's hid_t");
}

namespace kerec::io::h5::detail {

// Switches off HDF5's automatic printing of error stacks (once per process; errors become
// exceptions instead). Called before the first HDF5 call that can fail, i.e. when a file is opened.
void silence_hdf5_errors();

// Throws Hdf5Error "CALL failed on WHERE: REASON", REASON being the innermost description on HDF5's
// error stack, and clears the stack.
[[noreturn]] void throw_hdf5(const char* call, const std::string& where);

inline hid_t check_id(hid_t id, const char* call, const std::string& where) {
  if (id < 0) throw_hdf5(call, where);
  return id;
}
inline void check(herr_t status, const char* call, const std::string& where) {
  if (status < 0) throw_hdf5(call, where);
}
inline bool check_tri(htri_t value, const char* call, const std::string& where) {
  if (value < 0) throw_hdf5(call, where);
  return value > 0;
}
// Checks `id` and takes ownership of it.
inline Handle owned(hid_t id, Kind kind, const char* call, const std::string& where) {
  return Handle(check_id(id, call, where), kind);
}

// How an element type is stored and transferred.
struct TypeSpec {
  H5T_class_t type_class;  // H5T_INTEGER or H5T_FLOAT
  size_t size;             // bytes
  bool is_signed;          // integers only
  const char* name;        // "int64", for messages
  hid_t memory;            // native type for H5Dread/H5Dwrite
  hid_t file;              // little-endian type written to files
};

template <class T>
TypeSpec type_spec();
template <>
TypeSpec type_spec<int32_t>();
template <>
TypeSpec type_spec<int64_t>();
template <>
TypeSpec type_spec<uint64_t>();
template <>
TypeSpec type_spec<uint8_t>();
template <>
TypeSpec type_spec<float>();
template <>
TypeSpec type_spec<double>();

// "signed 8-byte integer", "4-byte float", "variable-length string", ... for messages.
std::string describe_type(hid_t type);

// Throws Hdf5Error "WHERE stores <found>, expected <expected>" unless `type` matches `expected`.
void check_type(hid_t type, const TypeSpec& expected, const std::string& where);

// Type of a variable-length UTF-8 string.
Handle vlen_string_type();

// Opens dataset `name` of `group` (Hdf5Error naming it if missing).
Handle open_dataset(const Group& group, std::string_view name);
// Stored type of an open dataset.
Handle dataset_type(hid_t dataset, const std::string& where);
// Current extent of an open dataset.
std::vector<hsize_t> dataset_dims(hid_t dataset, const std::string& where);
// Throws Hdf5Error unless the dataset has `rank` dimensions.
void check_rank(const std::vector<hsize_t>& dims, size_t rank, const std::string& where);

// Storage of a new dataset: contiguous, or chunked with optional shuffle+deflate.
struct Layout {
  bool chunked = false;
  std::vector<hsize_t> chunk;  // chunk extent per dimension, when chunked
  int deflate_level = 0;       // > 0: shuffle + deflate
};

// The policy of h5_dataset.h for an array of extent `dims` with elements of `elem_size` bytes;
// std::invalid_argument for bad options.
Layout choose_layout(std::span<const hsize_t> dims, size_t elem_size, bool integer,
                     const DatasetOptions& options);

// Creates dataset `name` (intermediate groups included); Hdf5Error if it exists.
Handle create_dataset(const Group& group, std::string_view name, hid_t file_type,
                      std::span<const hsize_t> dims, const Layout& layout);

// A dataset transfer property list: collective MPI-IO when `collective`, the default otherwise.
Handle transfer_plist(bool collective);

// Writes/reads the block [start, start + count) of an open dataset to/from the dense buffer `data`
// (product(count) elements of `memory_type`). A block with no elements selects nothing, which is
// what a rank contributes to a collective transfer it has no data for. `collective` selects the
// MPI-IO mode.
void write_block(hid_t dataset, hid_t memory_type, const void* data, std::span<const hsize_t> start,
                 std::span<const hsize_t> count, bool collective, const std::string& where);
void read_block(hid_t dataset, hid_t memory_type, void* data, std::span<const hsize_t> start,
                std::span<const hsize_t> count, bool collective, const std::string& where);

// Writes a whole new dataset of a parallel or serial file from `data`, replicated on every rank:
// rank 0 writes, the others take part in the collective transfer with nothing selected.
void write_replicated(const Group& group, std::string_view name, const TypeSpec& type,
                      const void* data, std::span<const hsize_t> dims, const Layout& layout);

}  // namespace kerec::io::h5::detail
