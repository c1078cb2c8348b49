// The size and XXH64 (seed 0, as `xxh64sum` prints it) of a whole file: what the run manifest
// records of every artifact, so a stage can verify an upstream file before it parses it (some
// damaged HDF5 files make the library loop forever; a checksum mismatch is found in milliseconds).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace kerec::io {

struct FileDigest {
  uint64_t bytes = 0;
  uint64_t xxh64 = 0;
  // 16 lower-case hex digits of xxh64.
  std::string hex() const;
};

// Reads the file in 1 MiB blocks; only its first `max_bytes` bytes when given (a file that ends
// with a checksum of the rest). IoError naming the file when it cannot be read.
FileDigest digest_file(const std::filesystem::path& path, uint64_t max_bytes = UINT64_MAX);

}  // namespace kerec::io
