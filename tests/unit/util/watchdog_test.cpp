// The watchdog: a marked call past its kind's limit is reported once, naming the call, the object
// and the rank; calls within the limit, and kinds without a limit, never are.
#include "kerec/util/watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace kerec::watchdog {
namespace {

struct Reports {
  std::mutex mutex;
  std::vector<std::string> messages;
  std::function<void(const std::string&)> handler() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      messages.push_back(m);
    };
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
};

TEST(Watchdog, ACallPastItsLimitIsReportedOnceWithCallObjectAndRank) {
  Reports reports;
  start({.read_s = 0.3, .collective_s = 0}, 3, reports.handler());
  { const WatchedCall quick(Kind::kRead, "H5Dread", "quick.h5:/a"); }
  {
    const WatchedCall unlimited(Kind::kCollective, "MPI_Allreduce", "the world communicator");
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
  }
  EXPECT_EQ(reports.count(), 0u);
  {
    const WatchedCall stuck(Kind::kRead, "H5Aread", "bad.h5:/schema");
    for (int i = 0; i < 50 && reports.count() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // still stuck: no second report
  }
  stop();
  ASSERT_EQ(reports.count(), 1u);
  const std::string& m = reports.messages[0];
  EXPECT_NE(m.find("rank 3: H5Aread on bad.h5:/schema has not returned"), std::string::npos) << m;
  EXPECT_NE(m.find("run.stuck_read_s"), std::string::npos) << m;
}

}  // namespace
}  // namespace kerec::watchdog
