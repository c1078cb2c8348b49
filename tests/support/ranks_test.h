// Collective tests without mpiexec: TEST_P over the rank counts every collective algorithm is
// tested at (1, 2, 3, 4 and 7: odd counts and more ranks than blocks of some inputs), each run as
// threads in one process by dist::run_ranks (kerec/dist/thread_comm.h).
//
//   class PairsAtRanks : public test::AtRanks {};
//   TEST_P(PairsAtRanks, Same) { run([](dist::Comm& comm) { ... }); }
//   KEREC_AT_RANKS(PairsAtRanks);
#pragma once

#include <gtest/gtest.h>

#include <functional>

#include "kerec/dist/thread_comm.h"

namespace kerec::test {

class AtRanks : public ::testing::TestWithParam<int> {
 protected:
  int ranks() const { return GetParam(); }
  void run(const std::function<void(dist::Comm&)>& rank_main) const {
    dist::run_ranks(ranks(), rank_main);
  }
};

}  // namespace kerec::test

#define KEREC_AT_RANKS(suite)                         \
  INSTANTIATE_TEST_SUITE_P(                           \
      Ranks, suite, ::testing::Values(1, 2, 3, 4, 7), \
      [](const ::testing::TestParamInfo<int>& info) { return "np" + std::to_string(info.param); })
