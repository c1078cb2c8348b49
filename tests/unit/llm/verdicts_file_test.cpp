#include "kerec/llm/verdicts_file.h"

#include <gtest/gtest.h>

#include "../../support/temp_dir_test.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

class VerdictsFileTest : public test::TempDirTest {
 protected:
  // Unsorted on purpose: the writer sorts by (a, b).
  VerdictRows rows() const {
    return {.a = {2, 0, 1, 0},
            .b = {0, 3, 2, 1},
            .verdict = {1, 0, 3, 2},
            .confidence = {0.9f, 0.2f, 0.0f, 0.5f},
            .reason = {"r20", "r03", "timeout after 6 attempts", "r01"}};
  }
  std::filesystem::path file() const { return dir_ / "verdicts.h5"; }
  void write(const VerdictRows& r) const {
    write_verdicts(file(), r, {.config_sha256 = "c", .llm_model = "m", .prompt_sha256 = "p"});
  }
};

TEST_F(VerdictsFileTest, WritesSortedAndReadsBackInBlocksThatCoverEveryRow) {
  write(rows());
  VerdictRows all;
  for (int r = 0; r < 3; ++r) {
    const auto b = read_verdict_block(file(), 4, r, 3);
    EXPECT_EQ(b.total_rows, 4);
    EXPECT_EQ(b.first_row, static_cast<int64_t>(all.size()));
    EXPECT_EQ(b.llm_model, "m");
    EXPECT_EQ(b.prompt_sha256, "p");
    all.a.insert(all.a.end(), b.a.begin(), b.a.end());
    all.b.insert(all.b.end(), b.b.begin(), b.b.end());
    all.verdict.insert(all.verdict.end(), b.verdict.begin(), b.verdict.end());
    all.reason.insert(all.reason.end(), b.reason.begin(), b.reason.end());
  }
  EXPECT_EQ(all.a, (std::vector<int32_t>{0, 0, 1, 2}));
  EXPECT_EQ(all.b, (std::vector<int32_t>{1, 3, 2, 0}));
  EXPECT_EQ(all.verdict, (std::vector<uint8_t>{2, 0, 3, 1}));
  EXPECT_EQ(all.reason,
            (std::vector<std::string>{"r01", "r03", "timeout after 6 attempts", "r20"}));
  std::vector<int32_t> a, b;
  read_verdict_pairs(file(), a, b);
  EXPECT_EQ(a, all.a);
  EXPECT_EQ(b, all.b);
  EXPECT_TRUE(is_verdicts_file(file()));
  const auto root = io::h5::read_root_attrs(io::h5::File::open_read(file()));
  EXPECT_EQ(root.schema, kVerdictsSchema);
  EXPECT_EQ(root.schema_version, kVerdictsSchemaVersion);
}

TEST_F(VerdictsFileTest, AReaderRefusesAPairOutsideTheEntitiesNamingTheRow) {
  write(rows());
  try {
    read_verdict_block(file(), 3, 0, 1);  // entity 3 does not exist
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("verdicts.h5: row 1: pair (0, 3) is outside the 3 "
                                         "entities"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(VerdictsFileTest, AReaderRefusesAnUnknownVerdictCodeAndAnotherSchema) {
  auto bad = rows();
  bad.verdict[0] = 7;
  write(bad);
  EXPECT_THROW(read_verdict_block(file(), 4, 0, 1), InputError);
  auto other = io::h5::File::create(dir_ / "other.h5");
  io::h5::write_root_attrs(other, {.schema = "pairs", .schema_version = 1});
  other.close();
  EXPECT_THROW(read_verdict_block(dir_ / "other.h5", 4, 0, 1), Hdf5Error);
  EXPECT_FALSE(is_verdicts_file(dir_ / "other.h5"));
}

TEST_F(VerdictsFileTest, TheWriterRefusesColumnsOfDifferentLengths) {
  auto bad = rows();
  bad.reason.pop_back();
  EXPECT_THROW(write(bad), std::invalid_argument);
}

}  // namespace
}  // namespace kerec::llm
