#include "kerec/dist/counters.h"

#include <gtest/gtest.h>

#include <array>

#include "../../support/ranks_test.h"

namespace kerec::dist {
namespace {

struct Stats {
  int64_t rows = 0, skipped = 0, first = 0, last = 0;
  static constexpr auto counters() {
    return std::array{Counter<Stats>{"rows", &Stats::rows},
                      Counter<Stats>{"bad_rows_skipped", &Stats::skipped},
                      Counter<Stats>{"first_ts", &Stats::first, ReduceOp::kMin},
                      Counter<Stats>{"last_ts", &Stats::last, ReduceOp::kMax}};
  }
};

class Counters : public test::AtRanks {};

TEST_P(Counters, EachCounterIsCombinedByItsOwnOp) {
  run([](Comm& comm) {
    const int64_t r = comm.rank(), n = comm.size();
    Stats s{.rows = 10 * (r + 1), .skipped = r, .first = 100 + r, .last = 200 + r};
    reduce_counters(comm, s);
    EXPECT_EQ(s.rows, 5 * n * (n + 1));
    EXPECT_EQ(s.skipped, n * (n - 1) / 2);
    EXPECT_EQ(s.first, 100);
    EXPECT_EQ(s.last, 200 + n - 1);
  });
}

KEREC_AT_RANKS(Counters);

TEST(CountersJson, UsesTheDeclaredNamesInDeclarationOrderOfValues) {
  const Stats s{.rows = 7, .skipped = 1, .first = 3, .last = 9};
  EXPECT_EQ(
      counters_json(s),
      (nlohmann::json{{"rows", 7}, {"bad_rows_skipped", 1}, {"first_ts", 3}, {"last_ts", 9}}));
}

}  // namespace
}  // namespace kerec::dist
