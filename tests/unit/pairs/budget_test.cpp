#include "kerec/pairs/budget.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "../../support/ranks_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/pairs/strategy.h"

namespace kerec::pairs {
namespace {

constexpr int32_t kEntities = 60;

// Every pair a → b, a != b, of kEntities entities; traffic with many ties (small integers), and
// every fifth pair co-occurring 1-3 times.
struct World {
  std::vector<uint64_t> pairs;
  std::vector<PairCount> cooccur;
  std::vector<int64_t> traffic;
  World() {
    for (int32_t e = 0; e < kEntities; ++e) traffic.push_back((e * 7) % 5);
    for (int32_t a = 0; a < kEntities; ++a)
      for (int32_t b = 0; b < kEntities; ++b)
        if (a != b) pairs.push_back(pair_key(a, b));
    for (size_t i = 0; i < pairs.size(); i += 5)
      cooccur.push_back({pairs[i], static_cast<int64_t>(1 + i % 3)});
  }
  int64_t count(uint64_t key) const {
    for (const auto& pc : cooccur)
      if (pc.key == key) return pc.count;
    return 0;
  }
  // The top `k` by priority, computed in one place.
  std::vector<uint64_t> top(size_t k) const {
    std::vector<uint64_t> sorted = pairs;
    const auto prio = [&](uint64_t key) { return pair_priority(key, count(key), traffic); };
    std::sort(sorted.begin(), sorted.end(),
              [&](uint64_t x, uint64_t y) { return prio(x) > prio(y); });
    sorted.resize(std::min(k, sorted.size()));
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }
  // This rank's part (owner_of), sorted.
  std::vector<uint64_t> owned(const std::vector<uint64_t>& keys, const dist::Comm& comm) const {
    std::vector<uint64_t> out;
    for (uint64_t k : keys)
      if (owner_of(k, comm.size()) == comm.rank()) out.push_back(k);
    return out;
  }
  std::vector<PairCount> owned_counts(const dist::Comm& comm) const {
    std::vector<PairCount> out;
    for (const auto& pc : cooccur)
      if (owner_of(pc.key, comm.size()) == comm.rank()) out.push_back(pc);
    return out;
  }
};

TEST(PairPriority, EvidenceFirstThenExpectedTrafficThenTheSmallerKey) {
  const std::vector<int64_t> traffic = {10, 0, 3, 3, 99};
  const auto p = [&](int32_t a, int32_t b, int64_t n) {
    return pair_priority(pair_key(a, b), n, traffic);
  };
  EXPECT_GT(p(1, 2, 1), p(0, 2, 0));  // any evidence beats traffic alone
  EXPECT_GT(p(1, 2, 3), p(1, 3, 2));  // n²/w(b): 9/4 > 4/4
  EXPECT_GT(p(1, 2, 2), p(1, 4, 3));  // 4/4 > 9/100: b popular enough to explain the count
  EXPECT_GT(p(0, 2, 0), p(2, 3, 0));  // no evidence: traffic 11·4 > 4·4
  EXPECT_GT(p(2, 3, 0), p(3, 2, 0));  // tie on traffic: the smaller key first
}

class Budget : public test::AtRanks {};

TEST_P(Budget, KeepsExactlyTheGlobalTopPairsAtAnyRankCount) {
  const World w;
  for (const int64_t k : {int64_t{1}, int64_t{7}, int64_t{500}, int64_t{3539}}) {
    std::mutex mutex;
    std::vector<uint64_t> kept_all;
    run([&](dist::Comm& comm) {
      auto owned = w.owned(w.pairs, comm);
      BudgetStats st;
      const auto dropped = apply_pair_budget(comm, k, w.traffic, w.owned_counts(comm), owned, st);
      EXPECT_EQ(st.kept, k);
      EXPECT_EQ(st.offered, static_cast<int64_t>(w.pairs.size()));
      EXPECT_EQ(st.dropped + st.kept, st.offered);
      EXPECT_TRUE(std::is_sorted(owned.begin(), owned.end()));
      EXPECT_EQ(owned.size() + dropped.size(), w.owned(w.pairs, comm).size());
      std::lock_guard lock(mutex);
      kept_all.insert(kept_all.end(), owned.begin(), owned.end());
    });
    std::sort(kept_all.begin(), kept_all.end());
    EXPECT_EQ(kept_all, w.top(static_cast<size_t>(k))) << "max_pairs " << k;
  }
}

TEST_P(Budget, NoBudgetOrALargerOneKeepsEverything) {
  const World w;
  for (const int64_t k : {int64_t{0}, static_cast<int64_t>(w.pairs.size())}) {
    run([&](dist::Comm& comm) {
      auto owned = w.owned(w.pairs, comm);
      const auto before = owned;
      BudgetStats st;
      EXPECT_TRUE(apply_pair_budget(comm, k, w.traffic, {}, owned, st).empty());
      EXPECT_EQ(owned, before);
      EXPECT_EQ(st.kept, static_cast<int64_t>(w.pairs.size()));
      EXPECT_EQ(st.max_pairs, k);
    });
  }
}

KEREC_AT_RANKS(Budget);

}  // namespace
}  // namespace kerec::pairs
