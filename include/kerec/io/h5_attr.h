// Scalar attributes (int64, double, UTF-8 string) on files, groups and datasets, and the root
// attributes every kerec file carries (docs/hdf5-conventions.md). Part of kerec/io/hdf5.h.
//
// On a parallel file, set_attr and write_root_attrs are collective: every rank calls them with the
// same value (h5_file.h).
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "kerec/io/h5_file.h"

namespace kerec::io::h5 {

// Creates or replaces attribute `name` of `object` (a File, Group or Dataset). Integers are stored
// as 64-bit signed (H5T_STD_I64LE), doubles as H5T_IEEE_F64LE, strings as variable-length UTF-8.
void set_attr(const Object& object, std::string_view name, int64_t value);
void set_attr(const Object& object, std::string_view name, double value);
void set_attr(const Object& object, std::string_view name, std::string_view value);

inline void set_attr(const Object& object, std::string_view name, const char* value) {
  set_attr(object, name, std::string_view(value));
}

// Integer types other than int64_t and bool (int, size_t, ...): stored as int64.
template <class T>
concept OtherInteger = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, int64_t>;

// std::out_of_range if `value` does not fit in int64.
template <OtherInteger T>
void set_attr(const Object& object, std::string_view name, T value) {
  if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(int64_t)) {
    if (value > static_cast<T>(std::numeric_limits<int64_t>::max())) {
      throw std::out_of_range("set_attr: value of '" + std::string(name) + "' exceeds int64");
    }
  }
  set_attr(object, name, static_cast<int64_t>(value));
}

bool has_attr(const Object& object, std::string_view name);

// The attribute types get_attr reads.
template <class T>
concept AttrValue =
    std::same_as<T, int64_t> || std::same_as<T, double> || std::same_as<T, std::string>;

// Hdf5Error if the attribute is missing, not scalar, or stored with another type (the message says
// which type was found and which was expected).
template <AttrValue T>
T get_attr(const Object& object, std::string_view name);

// The provenance attributes on the root group of every kerec HDF5 file (docs/design.md §3).
struct RootAttrs {
  std::string schema = {};         // what the file is: "graph", "serving", ...
  int64_t schema_version = 0;      // bumped when the layout of `schema` changes incompatibly
  std::string created_by = {};     // "kerec <version>"; write_root_attrs fills it in when empty
  std::string config_sha256 = {};  // hex SHA-256 of the job configuration that produced the file
  std::string llm_model = {};      // LLM-derived data only: the model that produced it, else empty
  std::string prompt_sha256 = {};  // LLM-derived data only: hex SHA-256 of the prompt, else empty
};

// Writes the attributes; llm_model and prompt_sha256 only when non-empty.
void write_root_attrs(const File& file, const RootAttrs& attrs);

// Reads them back (missing llm_model/prompt_sha256 read as empty). Hdf5Error naming the file if a
// required attribute is missing, or if `expect_schema` is non-empty and differs from the file's.
RootAttrs read_root_attrs(const File& file, std::string_view expect_schema = {});

}  // namespace kerec::io::h5
