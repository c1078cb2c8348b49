// Bill events posted at run time (user_events.h): newest first, bounded per user and in users,
// and safe under concurrent posts.
#include "kerec/serve/user_events.h"

#include <gtest/gtest.h>

#include <thread>

namespace kerec::serve {
namespace {

TEST(UserEvents, NewestFirstAndBoundedPerUser) {
  UserEvents ev(3, 100);
  ev.add(1, 10, {"a"});
  ev.add(1, 30, {"c"});
  ev.add(1, 20, {"b1", "b2"});
  const auto got = ev.of(1);
  ASSERT_EQ(got.size(), 3u) << "the oldest is forgotten";
  EXPECT_EQ(got[0].entity_id, "c");
  EXPECT_EQ(got[0].ts, 30);
  EXPECT_EQ(got[2].ts, 20);
  EXPECT_TRUE(ev.of(2).empty());
}

TEST(UserEvents, ForgetsTheLeastRecentlyPostedUsers) {
  UserEvents ev(4, 16);  // one user per shard
  for (uint64_t u = 0; u < 64; ++u) ev.add(u, static_cast<int64_t>(u), {"x"});
  EXPECT_EQ(ev.users(), 16);
  EXPECT_EQ(ev.forgotten_users(), 48);
  EXPECT_TRUE(ev.of(0).empty());
  EXPECT_EQ(ev.of(63).size(), 1u);
}

TEST(UserEvents, ConcurrentPostsAreAllKept) {
  UserEvents ev(1000, 1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) ev.add(static_cast<uint64_t>(i % 10), t * 1000 + i, {"e"});
    });
  for (auto& th : threads) th.join();
  size_t total = 0;
  for (uint64_t u = 0; u < 10; ++u) total += ev.of(u).size();
  EXPECT_EQ(total, 800u);
}

}  // namespace
}  // namespace kerec::serve
