// XXH64 following the xxHash specification (doc/xxhash_spec.md, "XXH64 Algorithm Description").
#include "kerec/util/checksum.h"

#include <cstring>

namespace kerec {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Little-endian loads (kerec targets little-endian hosts; HDF5 data is stored little-endian).
uint64_t load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint32_t load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

uint64_t round(uint64_t acc, uint64_t lane) { return rotl(acc + lane * kPrime2, 31) * kPrime1; }
uint64_t merge(uint64_t acc, uint64_t lane) { return (acc ^ round(0, lane)) * kPrime1 + kPrime4; }

// The four-lane loop over whole 32-byte stripes; advances `p`.
uint64_t stripes(const unsigned char*& p, const unsigned char* end, uint64_t seed) {
  uint64_t v1 = seed + kPrime1 + kPrime2, v2 = seed + kPrime2, v3 = seed, v4 = seed - kPrime1;
  for (; end - p >= 32; p += 32) {
    v1 = round(v1, load64(p));
    v2 = round(v2, load64(p + 8));
    v3 = round(v3, load64(p + 16));
    v4 = round(v4, load64(p + 24));
  }
  uint64_t acc = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  return merge(merge(merge(merge(acc, v1), v2), v3), v4);
}

uint64_t tail(uint64_t acc, const unsigned char* p, const unsigned char* end) {
  for (; end - p >= 8; p += 8) acc = rotl(acc ^ round(0, load64(p)), 27) * kPrime1 + kPrime4;
  if (end - p >= 4) acc = rotl(acc ^ (load32(p) * kPrime1), 23) * kPrime2 + kPrime3, p += 4;
  for (; p < end; ++p) acc = rotl(acc ^ (*p * kPrime5), 11) * kPrime1;
  acc ^= acc >> 33, acc *= kPrime2;
  acc ^= acc >> 29, acc *= kPrime3;
  return acc ^ (acc >> 32);
}

}  // namespace

uint64_t xxh64(const void* data, size_t size, uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* end = p + size;
  uint64_t acc = size >= 32 ? stripes(p, end, seed) : seed + kPrime5;
  return tail(acc + size, p, end);
}

}  // namespace kerec
