// GoogleTest main for MPI tests. Rank 0 prints GoogleTest's output; the others stay silent. After
// each test the ranks agree on its result (a failure on any rank fails the test everywhere, and
// rank 0 names the ranks that failed), so the exit code is the same on every rank.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "kerec/dist/collectives.h"
#include "kerec/dist/mpi_comm.h"
#include "mpi_test.h"

namespace kerec::test {
namespace {

dist::MpiComm* g_comm = nullptr;

class CombineResults : public ::testing::EmptyTestEventListener {
  // Ranks other than 0 have no printer: their failures are printed here, with the rank.
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (g_comm->rank() == 0 || !result.failed()) return;
    std::fprintf(stderr, "[ rank %d   ] %s:%d: %s\n", g_comm->rank(),
                 result.file_name() ? result.file_name() : "?", result.line_number(),
                 result.summary());
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    const int32_t failed_here = info.result()->Failed() ? 1 : 0;
    auto flags = dist::allgatherv<int32_t>(*g_comm, std::span<const int32_t>(&failed_here, 1));
    std::string ranks;
    for (size_t r = 0; r < flags.size(); ++r)
      if (flags[r]) ranks += (ranks.empty() ? "" : ",") + std::to_string(r);
    if (!ranks.empty() && g_comm->rank() == 0)
      std::fprintf(stderr, "[ MPI      ] %s.%s failed on rank(s) %s of %d\n",
                   info.test_suite_name(), info.name(), ranks.c_str(), g_comm->size());
  }
};

}  // namespace

dist::Comm& comm() { return *g_comm; }

}  // namespace kerec::test

int main(int argc, char** argv) {
  kerec::dist::MpiRuntime runtime(argc, argv);
  kerec::dist::MpiComm comm;
  kerec::test::g_comm = &comm;
  ::testing::InitGoogleTest(&argc, argv);
  auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
  if (comm.rank() != 0) delete listeners.Release(listeners.default_result_printer());
  listeners.Append(new kerec::test::CombineResults);
  const int local = RUN_ALL_TESTS();
  const int worst = kerec::dist::allreduce_value<int32_t>(comm, local, kerec::dist::ReduceOp::kMax);
  return worst;
}
