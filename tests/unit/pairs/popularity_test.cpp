#include "kerec/pairs/popularity.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../../support/extract_fixture.h"
#include "kerec/dist/local_comm.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

namespace fs = std::filesystem;

class PopularityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kerec-popularity-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    test::ExtractFixture f;
    for (int e = 0; e < 3; ++e) f.add_entity("e" + std::to_string(e), "c");
    f.add_item("i0", {0});
    f.add_item("i1", {1, 1});  // one entity mentioned twice counts once
    f.add_item("i2", {0, 2});
    f.add_item("i3", {});
    f.add_bill("u", 10, {2});
    f.add_bill("u", 20, {2, 0});
    test::write_extract_fixture(dir_, f);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_exposures(const std::string& rows) {
    const auto path = (dir_ / "exposures.tsv").string();
    std::ofstream(path) << "user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\n" << rows;
    return path;
  }

  fs::path dir_;
  dist::LocalComm comm_;
};

TEST_F(PopularityTest, CountsEachDistinctEntityOfARow) {
  const auto exposures = write_exposures(
      "u\t1\ti0\thome\t1\t0\t0\n"
      "u\t2\ti2\thome\t1\t1\t9.5\n"
      "u\t3\ti1\thome\t0\t0\t0\n"
      "u\t4\tnope\thome\t1\t0\t0\n"
      "u\t5\ti3\thome\t0\t0\t0\n");
  const auto entities = extract::read_entity_table(dir_ / "entities.h5");
  const auto items = extract::read_item_table(dir_ / "items.h5", entities.size());
  const auto bills = extract::read_bill_block(dir_ / "bills.h5", entities.size(), comm_);
  ExposureTally tally;
  const auto pop = count_popularity(comm_, entities.size(), items, bills, exposures, {}, tally);
  EXPECT_EQ(pop.items, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(pop.bills, (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(pop.exposures, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(pop.clicks, (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(pop.conversions, (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(tally.rows, 5);
  EXPECT_EQ(tally.unknown_item, 1);
  EXPECT_EQ(tally.item_without_entity, 1);

  write_popularity(dir_ / "popularity.h5", pop, "abc");
  const auto back = read_popularity(dir_ / "popularity.h5");
  for (const auto& name : popularity_columns())
    EXPECT_EQ(back.column(name), pop.column(name)) << name;
}

TEST_F(PopularityTest, BadExposureRowFailsOrIsSkippedAndCounted) {
  const auto exposures = write_exposures("u\t1\ti0\thome\t1\t0\t0\nu\tx\ti0\thome\t1\t0\t0\n");
  const auto entities = extract::read_entity_table(dir_ / "entities.h5");
  const auto items = extract::read_item_table(dir_ / "items.h5", entities.size());
  const auto bills = extract::read_bill_block(dir_ / "bills.h5", entities.size(), comm_);
  ExposureTally tally;
  EXPECT_THROW(count_popularity(comm_, entities.size(), items, bills, exposures, {}, tally),
               RemoteError);
  io::BadRowPolicy skip{.mode = io::BadRowPolicy::Mode::kSkip, .max_skipped = 5};
  const auto pop = count_popularity(comm_, entities.size(), items, bills, exposures, skip, tally);
  EXPECT_EQ(tally.skipped_rows, 1);
  EXPECT_EQ(pop.exposures[0], 1);
}

TEST_F(PopularityTest, RejectsMentionsOfUnknownEntities) {
  EXPECT_THROW(extract::read_item_table(dir_ / "items.h5", 2), InputError);  // entity 2 with N = 2
  EXPECT_THROW(extract::read_entity_table(dir_ / "missing.h5"), IoError);
}

}  // namespace
}  // namespace kerec::pairs
