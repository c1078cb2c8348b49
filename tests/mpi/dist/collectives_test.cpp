// Collectives over real MPI at 1, 2 and 4 ranks, with empty, one-element and multi-chunk buffers. A
// communicator with a tiny chunk size drives the path that splits transfers above INT_MAX. What is
// built on the collectives (agreement, progress) is tested in-process at 1, 2, 3, 4 and 7 ranks:
// tests/unit/dist/thread_comm_test.cpp.
#include "kerec/dist/collectives.h"

#include <gtest/gtest.h>

#include <numeric>

#include "../../support/mpi_test.h"
#include "kerec/dist/mpi_comm.h"

namespace kerec::dist {
namespace {

class Collectives : public ::testing::TestWithParam<size_t> {
 protected:
  // max_chunk_bytes = GetParam(): the default, or 64 bytes to force many rounds.
  MpiComm comm_{GetParam()};
};

TEST_P(Collectives, AllreduceSumMaxMin) {
  const int r = comm_.rank(), n = comm_.size();
  for (size_t len : {size_t{0}, size_t{1}, size_t{1000}}) {
    std::vector<int64_t> sum(len), max(len), min(len);
    for (size_t i = 0; i < len; ++i) sum[i] = max[i] = min[i] = static_cast<int64_t>(i) * (r + 1);
    allreduce(comm_, std::span<int64_t>(sum), ReduceOp::kSum);
    allreduce(comm_, std::span<int64_t>(max), ReduceOp::kMax);
    allreduce(comm_, std::span<int64_t>(min), ReduceOp::kMin);
    for (size_t i = 0; i < len; ++i) {
      ASSERT_EQ(sum[i], static_cast<int64_t>(i) * n * (n + 1) / 2);
      ASSERT_EQ(max[i], static_cast<int64_t>(i) * n);
      ASSERT_EQ(min[i], static_cast<int64_t>(i));
    }
  }
  EXPECT_DOUBLE_EQ(allreduce_value(comm_, 0.5, ReduceOp::kSum), 0.5 * n);
}

TEST_P(Collectives, BroadcastVectorAndString) {
  std::vector<float> v;
  if (comm_.rank() == 0) v.assign(777, 2.5f);
  broadcast_vector(comm_, v, 0);
  EXPECT_EQ(v, std::vector<float>(777, 2.5f));
  std::string s = comm_.rank() == comm_.size() - 1 ? "from the last rank" : "";
  broadcast_string(comm_, s, comm_.size() - 1);
  EXPECT_EQ(s, "from the last rank");
}

TEST_P(Collectives, AllgathervConcatenatesInRankOrder) {
  const int r = comm_.rank();
  // Rank r contributes r*100 elements (rank 0 nothing), each equal to r.
  std::vector<int32_t> mine(static_cast<size_t>(r) * 100, r);
  std::vector<size_t> counts;
  auto all = allgatherv<int32_t>(comm_, mine, &counts);
  size_t at = 0;
  for (int q = 0; q < comm_.size(); ++q) {
    ASSERT_EQ(counts[q], static_cast<size_t>(q) * 100);
    for (size_t i = 0; i < counts[q]; ++i) ASSERT_EQ(all[at++], q);
  }
  EXPECT_EQ(at, all.size());
}

TEST_P(Collectives, GathervAndGatherStringsFillOnlyTheRoot) {
  const int r = comm_.rank(), n = comm_.size(), root = n - 1;
  std::vector<int32_t> mine(static_cast<size_t>(r) * 10, r);
  const auto all = gatherv<int32_t>(comm_, mine, root);
  const auto strings = gather_strings(comm_, std::string(static_cast<size_t>(r), 'x'), root);
  if (r != root) {
    EXPECT_TRUE(all.empty());
    EXPECT_TRUE(strings.empty());
    return;
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(n * (n - 1) / 2 * 10));
  ASSERT_EQ(strings.size(), static_cast<size_t>(n));
  size_t at = 0;
  for (int q = 0; q < n; ++q) {
    EXPECT_EQ(strings[q], std::string(static_cast<size_t>(q), 'x'));
    for (int i = 0; i < q * 10; ++i) ASSERT_EQ(all[at++], q);
  }
}

TEST_P(Collectives, AlltoallvDeliversEveryPart) {
  const int r = comm_.rank(), n = comm_.size();
  // Rank r sends (r+1)*(q+1)*10 elements to rank q, encoding (from, to, index).
  std::vector<std::vector<int64_t>> out(n);
  for (int q = 0; q < n; ++q)
    for (int i = 0; i < (r + 1) * (q + 1) * 10; ++i) out[q].push_back(r * 1000000 + q * 10000 + i);
  auto in = alltoallv(comm_, out);
  ASSERT_EQ(in.size(), static_cast<size_t>(n));
  for (int q = 0; q < n; ++q) {
    ASSERT_EQ(in[q].size(), static_cast<size_t>((q + 1) * (r + 1) * 10));
    for (size_t i = 0; i < in[q].size(); ++i)
      ASSERT_EQ(in[q][i], q * 1000000 + r * 10000 + int64_t(i));
  }
}

TEST_P(Collectives, AlltoallvWithEmptyParts) {
  std::vector<std::vector<uint8_t>> out(comm_.size());
  auto in = alltoallv(comm_, out);
  for (auto& part : in) EXPECT_TRUE(part.empty());
}

INSTANTIATE_TEST_SUITE_P(ChunkSizes, Collectives,
                         ::testing::Values(MpiComm::kDefaultMaxChunkBytes, size_t{64}));

}  // namespace
}  // namespace kerec::dist
