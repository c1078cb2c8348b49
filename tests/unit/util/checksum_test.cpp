#include "kerec/util/checksum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kerec {
namespace {

uint64_t of(const std::string& s, uint64_t seed) { return xxh64(s.data(), s.size(), seed); }

// Reference values from Python's xxhash package (xxhash.xxh64(data, seed).intdigest()); they cover
// the short path (< 32 bytes), the stripe loop and every tail case (8-, 4- and 1-byte steps).
TEST(Xxh64, MatchesTheReferenceImplementation) {
  EXPECT_EQ(of("", 0), 0xef46db3751d8e999ULL);
  EXPECT_EQ(of("a", 0), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(of("abc", 0), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(of("abc", 7), 0x9e755206156676d7ULL);
  std::string bytes;
  for (int rep = 0; rep < 3; ++rep)
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(of(bytes + "xyz", 0), 0xe921a1b45bd779f8ULL);
  EXPECT_EQ(of(bytes.substr(0, 100), 123456789), 0xf96f532e91c7bcf4ULL);
}

TEST(Xxh64, SpanOverloadHashesTheElementBytes) {
  const std::vector<int32_t> values = {1, 2, 3};
  EXPECT_EQ(xxh64(std::span<const int32_t>(values), 5), xxh64(values.data(), 12, 5));
  std::vector<int32_t> flipped = values;
  flipped[1] ^= 0x100;
  EXPECT_NE(xxh64(std::span<const int32_t>(flipped), 5),
            xxh64(std::span<const int32_t>(values), 5));
}

// Any split of the input into pieces gives the one-shot digest (pieces across and within stripes).
TEST(Xxh64, StreamEqualsOneShotForEverySplit) {
  std::string bytes;
  for (int i = 0; i < 777; ++i) bytes.push_back(static_cast<char>(i * 31 + 7));
  for (size_t len :
       {size_t{0}, size_t{5}, size_t{31}, size_t{32}, size_t{33}, size_t{100}, bytes.size()}) {
    const std::string data = bytes.substr(0, len);
    for (size_t piece : {size_t{1}, size_t{3}, size_t{17}, size_t{32}, size_t{64}, size_t{1000}}) {
      Xxh64Stream stream(9);
      for (size_t at = 0; at < data.size(); at += piece)
        stream.update(data.data() + at, std::min(piece, data.size() - at));
      EXPECT_EQ(stream.digest(), of(data, 9)) << "length " << len << ", pieces of " << piece;
    }
  }
}

}  // namespace
}  // namespace kerec
