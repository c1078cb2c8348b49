#include "kerec/pairs/candidates.h"

#include <gtest/gtest.h>

#include <set>

#include "../../support/extract_fixture.h"
#include "kerec/dist/local_comm.h"
#include "kerec/pairs/pairs_io.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

namespace fs = std::filesystem;
using Pairs = std::set<std::pair<int, int>>;

Pairs as_pairs(const std::vector<uint64_t>& keys) {
  Pairs p;
  for (uint64_t k : keys) p.insert({key_a(k), key_b(k)});
  return p;
}

// Six entities; 0 and 1 carry the traffic (head), the rest are tail.
class CandidatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kerec-candidates-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    for (int e = 0; e < 6; ++e)
      fixture_.add_entity("e" + std::to_string(e), e < 3 ? "food" : "toys");
    pop_ = Popularity(6);
    pop_.bills = {50, 40, 3, 3, 2, 2};
    config_.segment_boundaries = {0.8};
    config_.segment_names = {"head", "tail"};
    config_.strategy = {"all", "none", "none", "none"};
    config_.cooccur_min_count = 0;
  }
  void TearDown() override { fs::remove_all(dir_); }

  PairsResult run(const std::vector<uint64_t>& previous = {}) {
    test::write_extract_fixture(dir_, fixture_);
    const auto entities = extract::read_entity_table(dir_ / "entities.h5");
    const auto bills = extract::read_bill_block(dir_ / "bills.h5", entities.size(), comm_);
    return generate_pairs(comm_, config_, entities, pop_, bills, previous);
  }

  fs::path dir_;
  test::ExtractFixture fixture_;
  Popularity pop_;
  PairsConfig config_;
  dist::LocalComm comm_;
};

TEST_F(CandidatesTest, HeadToHeadAllWithoutSelfPairs) {
  const auto r = run();
  EXPECT_EQ(as_pairs(r.owned), (Pairs{{0, 1}, {1, 0}}));
  EXPECT_EQ(r.stats.same_entity_dropped, 2);
  EXPECT_EQ(r.stats.kept, 2);
  EXPECT_EQ(r.stats.complete, 30);
  EXPECT_EQ(r.stats.kept_pairs, (std::vector<int64_t>{2, 0, 0, 0}));
}

TEST_F(CandidatesTest, CategoryExclusionsAreDroppedAndCounted) {
  config_.strategy = {"all", "all", "none", "none"};
  config_.exclude_categories = {"food>toys"};
  const auto r = run();
  EXPECT_EQ(as_pairs(r.owned), (Pairs{{0, 1}, {0, 2}, {1, 0}, {1, 2}}));
  EXPECT_EQ(r.stats.category_dropped, 6);
  EXPECT_EQ(r.stats.matrix_pairs, (std::vector<int64_t>{2, 8, 0, 0}));
}

TEST_F(CandidatesTest, PreviousPairsAreDroppedButStillCovered) {
  const auto r = run({pair_key(0, 1), pair_key(4, 5)});
  EXPECT_EQ(as_pairs(r.owned), (Pairs{{1, 0}}));
  EXPECT_EQ(r.stats.previous_dropped, 1);
  EXPECT_EQ(as_pairs(r.candidates), (Pairs{{0, 1}, {1, 0}}));
}

TEST_F(CandidatesTest, CooccurrenceCountsBWithinTheWindowAfterA) {
  config_.strategy = {"none", "none", "none", "none"};
  config_.cooccur_min_count = 2;
  config_.cooccur_window_h = 1.0;
  // u1: 3 then 4 (30 min later) then 5 (2 h after 4); u2: 3 then 4, then 3 and 2 in one bill.
  fixture_.add_bill("u1", 0, {3});
  fixture_.add_bill("u2", 100, {3});
  fixture_.add_bill("u1", 1800, {4});
  fixture_.add_bill("u2", 200, {4});
  fixture_.add_bill("u1", 1800 + 7200, {5});
  fixture_.add_bill("u2", 300, {3, 2});
  const auto r = run();
  EXPECT_EQ(as_pairs(r.owned),
            (Pairs{{3, 4}}));  // (4, 3), (3, 2), (4, 2) seen once; (4, 5) outside
  EXPECT_EQ(r.stats.cooccur.kept, 1);
  EXPECT_EQ(r.stats.cooccur.same_entity, 1);   // u2: 3 after 3
  EXPECT_EQ(r.stats.cooccur.observations, 5);  // u1 3→4; u2 3→4, 3→2, 4→3, 4→2
  EXPECT_EQ(r.stats.cooccur_only, 1);
  config_.cooccur_min_count = 1;
  EXPECT_EQ(as_pairs(run().owned), (Pairs{{3, 4}, {3, 2}, {4, 3}, {4, 2}}));
}

TEST_F(CandidatesTest, MergesStrategiesOnceAndWritesThePairFile) {
  config_.cooccur_min_count = 1;
  fixture_.add_bill("u", 0, {0});
  fixture_.add_bill("u", 10, {1});
  fixture_.add_bill("u", 20, {5});
  const auto r = run();
  EXPECT_EQ(as_pairs(r.owned), (Pairs{{0, 1}, {0, 5}, {1, 0}, {1, 5}}));
  EXPECT_EQ(r.stats.duplicates_merged, 1);
  EXPECT_EQ(r.stats.cooccur_only, 2);
  write_pairs(dir_ / "pairs.h5", comm_, r.owned, 6, "sha");
  const auto file = read_pairs(dir_ / "pairs.h5");
  EXPECT_EQ(file.a, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(file.b, (std::vector<int32_t>{1, 5, 0, 5}));
  EXPECT_EQ(file.owner_offsets, (std::vector<int64_t>{0, 4}));
  const auto whole = read_pair_block(dir_ / "pairs.h5", 0, 1);  // as many owners as ranks
  EXPECT_EQ(whole.a, file.a);
  EXPECT_EQ(whole.total_rows, 4u);
  const auto second = read_pair_block(dir_ / "pairs.h5", 1, 3);  // else an even block: rows [2, 3)
  EXPECT_EQ(second.first_row, 2u);
  EXPECT_EQ(second.a, (std::vector<int32_t>{1}));
  EXPECT_EQ(second.b, (std::vector<int32_t>{0}));
  EXPECT_EQ(read_previous_pairs(dir_ / "pairs.h5"), r.owned);
  EXPECT_THROW(read_previous_pairs(dir_ / "bills.h5"), InputError);
}

TEST_F(CandidatesTest, TruthCoverageIsWeightedByAnchorTraffic) {
  const auto r = run();
  const std::vector<uint64_t> truth = {pair_key(0, 1), pair_key(2, 3), pair_key(1, 2)};
  const auto c = truth_coverage(comm_, truth, r.candidates, pop_.bills);
  EXPECT_EQ(c.relations, 3);
  EXPECT_EQ(c.covered, 1);
  EXPECT_DOUBLE_EQ(c.weighted, 50.0 / (50 + 3 + 40));
  EXPECT_DOUBLE_EQ(c.unweighted, 1.0 / 3);
}

}  // namespace
}  // namespace kerec::pairs
