#include "kerec/util/resources.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace kerec {
namespace {

constexpr int64_t kMiB = 1 << 20;

// Touches every page so the block is resident.
std::unique_ptr<char[]> resident_block(int64_t bytes) {
  auto block = std::make_unique<char[]>(bytes);
  std::memset(block.get(), 1, bytes);
  return block;
}

TEST(Resources, PeakCountsMemoryTouched) {
  const int64_t before = peak_rss_bytes();
  auto block = resident_block(64 * kMiB);
  EXPECT_GE(peak_rss_bytes(), before + 60 * kMiB);
}

TEST(Resources, ResetRestartsThePeakAfterMemoryIsFreed) {
  auto block = resident_block(96 * kMiB);
  const int64_t with_block = peak_rss_bytes();
  block.reset();  // above the mmap threshold: returned to the OS at once
  if (!reset_peak_rss()) GTEST_SKIP() << "this kernel refuses /proc/self/clear_refs";
  EXPECT_LE(peak_rss_bytes(), with_block - 64 * kMiB);
  auto again = resident_block(8 * kMiB);
  EXPECT_LE(peak_rss_bytes(), with_block - 64 * kMiB);
}

TEST(Resources, CpuSecondsGrowsWithWork) {
  const double before = cpu_seconds();
  volatile double x = 0;
  for (int i = 0; i < 20'000'000; ++i) x = x + 1e-9 * i;
  EXPECT_GT(cpu_seconds(), before);
}

}  // namespace
}  // namespace kerec
