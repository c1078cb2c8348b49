// XXH64 following the xxHash specification (doc/xxhash_spec.md, "XXH64 Algorithm Description").
#include "kerec/util/checksum.h"

#include <algorithm>
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

void init_lanes(uint64_t v[4], uint64_t seed) {
  v[0] = seed + kPrime1 + kPrime2, v[1] = seed + kPrime2, v[2] = seed, v[3] = seed - kPrime1;
}

// The four-lane loop over whole 32-byte stripes; advances `p`.
void consume_stripes(uint64_t v[4], const unsigned char*& p, const unsigned char* end) {
  for (; end - p >= 32; p += 32) {
    v[0] = round(v[0], load64(p));
    v[1] = round(v[1], load64(p + 8));
    v[2] = round(v[2], load64(p + 16));
    v[3] = round(v[3], load64(p + 24));
  }
}

uint64_t merge_lanes(const uint64_t v[4]) {
  uint64_t acc = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
  return merge(merge(merge(merge(acc, v[0]), v[1]), v[2]), v[3]);
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
  uint64_t v[4];
  init_lanes(v, seed);
  consume_stripes(v, p, end);
  const uint64_t acc = size >= 32 ? merge_lanes(v) : seed + kPrime5;
  return tail(acc + size, p, end);
}

Xxh64Stream::Xxh64Stream(uint64_t seed) : seed_(seed) { init_lanes(lanes_, seed); }

void Xxh64Stream::update(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* end = p + size;
  total_ += size;
  if (buffered_ > 0) {  // complete the buffered stripe first
    const size_t take = std::min(size, sizeof buffer_ - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take, p += take;
    if (buffered_ < sizeof buffer_) return;
    const unsigned char* b = buffer_;
    consume_stripes(lanes_, b, buffer_ + sizeof buffer_);
    buffered_ = 0;
  }
  consume_stripes(lanes_, p, end);
  std::memcpy(buffer_, p, static_cast<size_t>(end - p));
  buffered_ = static_cast<size_t>(end - p);
}

uint64_t Xxh64Stream::digest() const {
  const uint64_t acc = total_ >= 32 ? merge_lanes(lanes_) : seed_ + kPrime5;
  return tail(acc + total_, buffer_, buffer_ + buffered_);
}

}  // namespace kerec
