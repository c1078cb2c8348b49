#include "kerec/dist/progress.h"

#include <gtest/gtest.h>

#include "kerec/dist/local_comm.h"

namespace kerec {
namespace {

TEST(Progress, HumanNumbersHaveThreeSignificantFigures) {
  EXPECT_EQ(Progress::human(999), "999");
  EXPECT_EQ(Progress::human(1234), "1.23k");
  EXPECT_EQ(Progress::human(45600), "45.6k");
  EXPECT_EQ(Progress::human(1200000), "1.20M");
  EXPECT_EQ(Progress::human(3.5e9), "3.50G");
}

TEST(Progress, FinishReturnsTheGlobalCount) {
  dist::LocalComm comm;
  Progress p(comm, "test", "rows", 10, 0.0);
  p.add(4);
  p.sync();
  p.add(6);
  EXPECT_EQ(p.finish(), 10u);
}

TEST(Progress, StepReportsWorkLeftUntilThisRankIsDone) {
  dist::LocalComm comm;
  Progress p(comm, "test", "rows", 0, 0.0);
  EXPECT_TRUE(p.step(false));
  EXPECT_FALSE(p.step(true));
}

}  // namespace
}  // namespace kerec
