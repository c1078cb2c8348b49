// Typed datasets: 1-D arrays, 2-D row-major matrices and string lists. Part of kerec/io/hdf5.h.
//
// Storage policy (docs/design.md §3): integer arrays are chunked and shuffle+deflate compressed;
// float arrays and matrices are stored contiguous and uncompressed (they compress poorly and are
// read whole). DatasetOptions::compress overrides the default either way; a compressed dataset is
// always chunked, an uncompressed one always contiguous. Element types are stored little-endian
// with their own width (int32 as H5T_STD_I32LE, float as H5T_IEEE_F32LE, ...).
//
// Reading checks the stored type (class, size, signedness) against T and throws Hdf5Error saying
// what was found and what was expected; there is no silent conversion.
//
// On a parallel file (see h5_file.h) the write functions are collective: every rank passes the same
// data and rank 0's is written, with a collective transfer (parallel HDF5 writes compressed
// datasets only collectively). To write one array from parts held by different ranks use
// write_distributed (h5_parallel.h).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/io/h5_file.h"

namespace kerec::io::h5 {

// The element types of 1-D datasets.
template <class T>
concept Element =
    std::same_as<T, int32_t> || std::same_as<T, int64_t> || std::same_as<T, uint64_t> ||
    std::same_as<T, uint8_t> || std::same_as<T, float> || std::same_as<T, double>;

// The element types of matrices.
template <class T>
concept Real = std::same_as<T, float> || std::same_as<T, double>;

struct DatasetOptions {
  // Elements per chunk of a chunked 1-D dataset (shorter datasets get one chunk of their length).
  // A matrix chunk holds max(1, chunk_elems / cols) whole rows. A chunk must stay under 4 GiB.
  size_t chunk_elems = size_t{1} << 16;
  // zlib level 1-9 for compressed datasets.
  int deflate_level = 4;
  // Unset: compress integer types, store floating-point types uncompressed.
  std::optional<bool> compress = std::nullopt;
};

// Writes `data` as the new 1-D dataset `name`; throws Hdf5Error if `name` exists. Empty data gives
// an empty dataset with the same type and layout.
template <Element T>
void write(const Group& group, std::string_view name, std::span<const T> data,
           const DatasetOptions& options = {});

// The whole 1-D dataset `name`.
template <Element T>
std::vector<T> read(const Group& group, std::string_view name);

// Elements [offset, offset + count) of the 1-D dataset `name`; Hdf5Error if the range exceeds it.
template <Element T>
std::vector<T> read_slice(const Group& group, std::string_view name, uint64_t offset,
                          uint64_t count);

// A row-major matrix: element (i, j) is data[i * cols + j].
template <Real T>
struct Matrix {
  uint64_t rows = 0;
  uint64_t cols = 0;
  std::vector<T> data;
};

// Writes `data` (rows * cols elements, row-major) as the new 2-D dataset `name` of shape [rows,
// cols]. std::invalid_argument if data.size() != rows * cols.
template <Real T>
void write_matrix(const Group& group, std::string_view name, std::span<const T> data, uint64_t rows,
                  uint64_t cols, const DatasetOptions& options = {});

template <Real T>
Matrix<T> read_matrix(const Group& group, std::string_view name);

// Writes `values` as the new 1-D string dataset `name`, UTF-8, uncompressed. Serial files store
// variable-length strings (h5py reads them as str). Parallel HDF5 1.10 cannot write variable-length
// data, so on a parallel file they are stored fixed-length, NUL-padded to the longest value (h5py
// reads them as bytes). Strings must not contain NUL bytes (Hdf5Error otherwise).
void write_strings(const Group& group, std::string_view name, std::span<const std::string> values);

// Reads a 1-D string dataset stored either way (variable- or fixed-length).
std::vector<std::string> read_strings(const Group& group, std::string_view name);
// Strings [offset, offset + count) of it; Hdf5Error if the range exceeds it. count ==
// UINT64_MAX means "to the end".
std::vector<std::string> read_strings(const Group& group, std::string_view name, uint64_t offset,
                                      uint64_t count);

// The extent of dataset `name`, one entry per dimension.
std::vector<uint64_t> shape(const Group& group, std::string_view name);

}  // namespace kerec::io::h5
