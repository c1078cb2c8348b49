// RAII ownership of one HDF5 identifier (file, group, dataset, dataspace, datatype, attribute or
// property list). Part of kerec/io/hdf5.h; include that header, not this one.
//
// The identifier type is spelled `hid` (int64_t, HDF5 1.10's hid_t; src/io checks they agree) so
// that this header, and every kerec header, stays free of <hdf5.h> and therefore of <mpi.h>.
#pragma once

#include <cstdint>
#include <string>

namespace kerec::io::h5 {

using hid = int64_t;

// Which H5*close releases an identifier.
enum class Kind : uint8_t {
  kFile,
  kGroup,
  kDataset,
  kDataspace,
  kDatatype,
  kAttribute,
  kPropertyList
};

// Owns one identifier; move-only. The destructor closes it and ignores (and clears) any HDF5 error,
// because destructors run during unwinding; call close() where a failed close must be reported.
class Handle {
 public:
  Handle() = default;
  // Takes ownership of `id` (>= 0), to be released with the close function of `kind`.
  Handle(hid id, Kind kind) noexcept : id_(id), kind_(kind) {}
  ~Handle() { reset(); }

  Handle(Handle&& other) noexcept : id_(other.id_), kind_(other.kind_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      kind_ = other.kind_;
      other.id_ = -1;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid id() const { return id_; }
  Kind kind() const { return kind_; }
  bool valid() const { return id_ >= 0; }

  // Closes now; throws Hdf5Error naming `where` (a file/object description) if HDF5 reports
  // failure.
  void close(const std::string& where);

 private:
  void reset() noexcept;  // closes quietly

  hid id_ = -1;
  Kind kind_ = Kind::kPropertyList;
};

}  // namespace kerec::io::h5
