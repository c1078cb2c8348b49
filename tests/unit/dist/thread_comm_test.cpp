// ThreadComm (ranks as threads) and, over it, the typed collectives, agreement and progress at
// 1, 2, 3, 4 and 7 ranks. The MPI test (tests/mpi/dist/collectives_test.cpp) keeps what needs MPI:
// transfers split into chunks, and the same algorithms over MpiComm.
#include "kerec/dist/thread_comm.h"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>

#include "../../support/ranks_test.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/progress.h"
#include "kerec/util/error.h"

namespace kerec::dist {
namespace {

class ThreadCollectives : public test::AtRanks {};

TEST_P(ThreadCollectives, AllreduceSumMaxMinInEveryType) {
  run([](Comm& comm) {
    const int r = comm.rank(), n = comm.size();
    std::vector<int32_t> i32{r, -r};
    std::vector<uint64_t> u64{uint64_t(r) << 40};
    std::vector<float> f32{0.5f * r};
    std::vector<uint8_t> u8{uint8_t(r)};
    allreduce(comm, std::span<int32_t>(i32), ReduceOp::kSum);
    allreduce(comm, std::span<uint64_t>(u64), ReduceOp::kMax);
    allreduce(comm, std::span<float>(f32), ReduceOp::kMin);
    allreduce(comm, std::span<uint8_t>(u8), ReduceOp::kMax);
    EXPECT_EQ(i32, (std::vector<int32_t>{n * (n - 1) / 2, -n * (n - 1) / 2}));
    EXPECT_EQ(u64[0], uint64_t(n - 1) << 40);
    EXPECT_EQ(f32[0], 0.0f);
    EXPECT_EQ(u8[0], n - 1);
    EXPECT_DOUBLE_EQ(allreduce_value(comm, 0.25 * (r + 1), ReduceOp::kSum), 0.125 * n * (n + 1));
  });
}

TEST_P(ThreadCollectives, FloatSumIsTheSameOnEveryRankInRankOrder) {
  // 1e16 + 1 + ... in rank order: every rank must hold the very same bits.
  std::vector<double> sums(ranks());
  run([&](Comm& comm) {
    double x = comm.rank() == 0 ? 1e16 : 1.0;
    sums[comm.rank()] = allreduce_value(comm, x, ReduceOp::kSum);
  });
  for (double s : sums) EXPECT_EQ(s, sums[0]);
}

TEST_P(ThreadCollectives, BroadcastFromEveryRoot) {
  run([](Comm& comm) {
    for (int root = 0; root < comm.size(); ++root) {
      std::string s = comm.rank() == root ? "from " + std::to_string(root) : "";
      broadcast_string(comm, s, root);
      ASSERT_EQ(s, "from " + std::to_string(root));
    }
  });
}

TEST_P(ThreadCollectives, AllgathervConcatenatesInRankOrderWithEmptyParts) {
  run([](Comm& comm) {
    std::vector<int32_t> mine(static_cast<size_t>(comm.rank()) * 3, comm.rank());
    std::vector<size_t> counts;
    const auto all = allgatherv<int32_t>(comm, mine, &counts);
    size_t at = 0;
    for (int q = 0; q < comm.size(); ++q) {
      ASSERT_EQ(counts[q], static_cast<size_t>(q) * 3);
      for (size_t i = 0; i < counts[q]; ++i) ASSERT_EQ(all[at++], q);
    }
    EXPECT_EQ(at, all.size());
  });
}

TEST_P(ThreadCollectives, AlltoallvDeliversEveryPart) {
  run([](Comm& comm) {
    const int r = comm.rank(), n = comm.size();
    std::vector<std::vector<int64_t>> out(n);
    for (int q = 0; q < n; ++q)
      for (int i = 0; i < (r + q) % 3; ++i) out[q].push_back(r * 10000 + q * 100 + i);
    const auto in = alltoallv(comm, out);
    ASSERT_EQ(in.size(), static_cast<size_t>(n));
    for (int q = 0; q < n; ++q) {
      ASSERT_EQ(in[q].size(), static_cast<size_t>((q + r) % 3));
      for (size_t i = 0; i < in[q].size(); ++i)
        EXPECT_EQ(in[q][i], q * 10000 + r * 100 + int64_t(i));
    }
  });
}

TEST_P(ThreadCollectives, AgreementNamesTheFailingRank) {
  run([](Comm& comm) {
    const int failing = comm.size() - 1;
    try {
      run_agreed(comm, [&] {
        if (comm.rank() == failing) throw InputError("bills.tsv:9: column 'ts': not an integer");
      });
      ADD_FAILURE() << "expected RemoteError";
    } catch (const RemoteError& e) {
      const std::string prefix = comm.size() > 1 ? "rank " + std::to_string(failing) + ": " : "";
      EXPECT_EQ(std::string(e.what()), prefix + "bills.tsv:9: column 'ts': not an integer");
    }
    EXPECT_NO_THROW(agree(comm, ""));
  });
}

TEST_P(ThreadCollectives, ProgressStepsUntilTheBusiestRankIsDone) {
  run([](Comm& comm) {
    Progress progress(comm, "items", "items", 0, 1e9);
    int batches_left = comm.rank() + 1, steps = 0;
    bool more = true;
    while (more) {
      if (batches_left > 0) --batches_left, progress.add(10);
      ++steps;
      more = progress.step(batches_left == 0);
    }
    EXPECT_EQ(steps, comm.size());
    EXPECT_EQ(progress.finish(), static_cast<uint64_t>(5 * comm.size() * (comm.size() + 1)));
  });
}

TEST_P(ThreadCollectives, ARankThatThrowsEndsTheOthersWaitsWithItsOwnError) {
  // Rank 0 (the last to fail at 1 rank) throws; the others are in a barrier and must not hang.
  try {
    run([](Comm& comm) {
      if (comm.rank() == comm.size() - 1) throw InputError("rank-local failure");
      comm.barrier();
    });
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "rank-local failure");
  }
}

TEST_P(ThreadCollectives, ARankThatReturnsEarlyBreaksTheGroupInsteadOfHanging) {
  if (ranks() == 1) GTEST_SKIP() << "one rank cannot be left waiting";
  try {
    run([](Comm& comm) {
      if (comm.rank() == 0) return;  // as a failed ASSERT_* in one rank does
      comm.barrier();
    });
    FAIL() << "expected CommError";
  } catch (const CommError& e) {
    EXPECT_NE(std::string(e.what()).find("rank 0 returned while others call a collective"),
              std::string::npos)
        << e.what();
  }
}

TEST_P(ThreadCollectives, AbortEndsEveryRank) {
  std::atomic<int> reached_after{0};
  EXPECT_THROW(run([&](Comm& comm) {
                 if (comm.rank() == 0) comm.abort(3);
                 comm.barrier();
                 ++reached_after;
               }),
               CommError);
  EXPECT_EQ(reached_after.load(), 0);
}

TEST_P(ThreadCollectives, MismatchedAllreduceCountsAreAnError) {
  if (ranks() == 1) GTEST_SKIP() << "needs two ranks";
  EXPECT_THROW(run([](Comm& comm) {
                 std::vector<int64_t> v(comm.rank() == 1 ? 2 : 1);
                 allreduce(comm, std::span<int64_t>(v), ReduceOp::kSum);
               }),
               CommError);
}

KEREC_AT_RANKS(ThreadCollectives);

}  // namespace
}  // namespace kerec::dist
