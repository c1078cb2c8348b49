// Error reporting and identifier ownership.
#include <string>

#include "io/h5_detail.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {
namespace detail {

void silence_hdf5_errors() {
  // HDF5 is used from the main thread only, so a plain flag is enough.
  static bool silenced = false;
  if (silenced) return;
  if (H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) < 0) {
    throw Hdf5Error("H5Eset_auto2 failed: cannot switch off HDF5 error printing");
  }
  silenced = true;
}

namespace {

// H5Ewalk2 callback: keeps the innermost entry's description (the walk starts there with n == 0).
herr_t keep_innermost(unsigned n, const H5E_error2_t* entry, void* out) {
  if (n == 0 && entry->desc) *static_cast<std::string*>(out) = entry->desc;
  return 0;
}

}  // namespace

void throw_hdf5(const char* call, const std::string& where) {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &reason);
  H5Eclear2(H5E_DEFAULT);
  if (reason.empty()) reason = "no HDF5 error description";
  throw Hdf5Error(std::string(call) + " failed on " + where + ": " + reason);
}

}  // namespace detail

namespace {

struct Closer {
  herr_t (*close)(hid_t);
  const char* name;
};

Closer closer_of(Kind kind) {
  switch (kind) {
    case Kind::kFile:
      return {H5Fclose, "H5Fclose"};
    case Kind::kGroup:
      return {H5Gclose, "H5Gclose"};
    case Kind::kDataset:
      return {H5Dclose, "H5Dclose"};
    case Kind::kDataspace:
      return {H5Sclose, "H5Sclose"};
    case Kind::kDatatype:
      return {H5Tclose, "H5Tclose"};
    case Kind::kAttribute:
      return {H5Aclose, "H5Aclose"};
    case Kind::kPropertyList:
      return {H5Pclose, "H5Pclose"};
  }
  return {H5Pclose, "H5Pclose"};
}

}  // namespace

void Handle::close(const std::string& where) {
  if (id_ < 0) return;
  const Closer closer = closer_of(kind_);
  const hid_t id = id_;
  id_ = -1;  // HDF5 releases the identifier even when closing reports an error
  detail::check(closer.close(id), closer.name, where);
}

void Handle::reset() noexcept {
  if (id_ < 0) return;
  // An object whose file was closed first (H5F_CLOSE_STRONG) is already gone: nothing to release.
  const htri_t valid = H5Iis_valid(id_);
  if (valid <= 0 || closer_of(kind_).close(id_) < 0) H5Eclear2(H5E_DEFAULT);
  id_ = -1;
}

}  // namespace kerec::io::h5
