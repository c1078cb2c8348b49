// A person-readable description of any HDF5 file: every group and dataset with its type, shape,
// storage (chunks, filters) and attributes. Used by `kerec inspect FILE.h5`.
#pragma once

#include <filesystem>
#include <string>

namespace kerec::io::h5 {

// Opens `path` read-only (serially) and describes it. Hdf5Error naming the file if it cannot.
std::string describe_file(const std::filesystem::path& path);

}  // namespace kerec::io::h5
