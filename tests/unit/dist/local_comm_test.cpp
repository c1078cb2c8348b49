#include "kerec/dist/local_comm.h"

#include <gtest/gtest.h>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"

namespace kerec::dist {
namespace {

TEST(LocalComm, CollectivesAreIdentity) {
  LocalComm comm;
  std::vector<double> v{1.5, -2.0};
  allreduce(comm, std::span<double>(v), ReduceOp::kSum);
  EXPECT_EQ(v, (std::vector<double>{1.5, -2.0}));
  auto gathered = allgatherv<int64_t>(comm, std::vector<int64_t>{4, 5, 6});
  EXPECT_EQ(gathered, (std::vector<int64_t>{4, 5, 6}));
  auto exchanged = alltoallv<int32_t>(comm, {{7, 8}});
  ASSERT_EQ(exchanged.size(), 1u);
  EXPECT_EQ(exchanged[0], (std::vector<int32_t>{7, 8}));
}

TEST(LocalComm, AlltoallvRejectsWrongDestinationCount) {
  LocalComm comm;
  EXPECT_THROW(alltoallv<int32_t>(comm, {{1}, {2}}), std::invalid_argument);
}

TEST(Agree, LocalFailureBecomesRemoteErrorWithMessage) {
  LocalComm comm;
  try {
    run_agreed(comm, [] { throw InputError("items.tsv:3: column 'price': not a number"); });
    FAIL() << "expected RemoteError";
  } catch (const RemoteError& e) {
    EXPECT_STREQ(e.what(), "items.tsv:3: column 'price': not a number");
  }
  EXPECT_NO_THROW(run_agreed(comm, [] {}));
}

TEST(BlockOf, CoversRangeContiguouslyAndEvenly) {
  for (int parts = 1; parts <= 7; ++parts) {
    uint64_t next = 0;
    for (int r = 0; r < parts; ++r) {
      Block b = block_of(10, parts, r);
      EXPECT_EQ(b.begin, next);
      EXPECT_LE(b.end - b.begin, 10u / parts + 1);
      next = b.end;
    }
    EXPECT_EQ(next, 10u);
  }
  EXPECT_THROW(block_of(10, 2, 2), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::dist

namespace kerec::dist {
namespace {

TEST(Agree, CombinedMessagesNameFailingRanksOrTellACommonErrorOnce) {
  EXPECT_EQ(combine_messages({"", "bad row", ""}), "rank 1: bad row");
  EXPECT_EQ(combine_messages({"a", "", "b"}), "rank 0: a\nrank 2: b");
  EXPECT_EQ(combine_messages({"budget exceeded", "budget exceeded"}), "budget exceeded");
  EXPECT_EQ(combine_messages({"only rank"}), "only rank");
}

}  // namespace
}  // namespace kerec::dist
