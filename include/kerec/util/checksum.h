// XXH64 (xxHash, 64-bit variant, specification 0.8): the checksum of graph.h5's shards.
//
// Chosen because it runs at memory speed (a 10 M-edge graph is checksummed in well under the time
// it takes to write it) and because readers in other languages have it (Python: xxhash.xxh64), so a
// user can verify a shard without kerec. Not a cryptographic hash: it detects corruption, not
// tampering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace kerec {

// XXH64 of `size` bytes at `data` with `seed`; identical to xxhash.xxh64(bytes, seed).intdigest().
uint64_t xxh64(const void* data, size_t size, uint64_t seed);

// XXH64 of the bytes of an array of trivially copyable elements (little-endian hosts: the bytes as
// stored in an HDF5 little-endian dataset).
template <class T>
uint64_t xxh64(std::span<const T> values, uint64_t seed) {
  return xxh64(values.data(), values.size_bytes(), seed);
}

// XXH64 over bytes given in pieces (a file read in blocks): digest() equals xxh64() of all the
// bytes given to update(), concatenated.
class Xxh64Stream {
 public:
  explicit Xxh64Stream(uint64_t seed = 0);
  void update(const void* data, size_t size);
  uint64_t digest() const;

 private:
  uint64_t seed_, lanes_[4];
  unsigned char buffer_[32];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

}  // namespace kerec
