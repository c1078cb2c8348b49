#include "kerec/extract/entity_dict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

using ::testing::HasSubstr;

class DictFile : public ::testing::Test {
 protected:
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("kerec_dict_" + std::to_string(::getpid()) + "_" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".tsv");
  void TearDown() override { std::filesystem::remove(path); }
  void write(const std::string& rows) {
    std::ofstream(path) << "entity_id\tname\taliases\tcategory\n" << rows;
  }
  std::string error_of(const DictPolicy& policy, io::BadRowPolicy bad = {}) {
    try {
      EntityDict::load(path.string(), policy, bad);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(DictFile, LoadsInFileOrder) {
  write("7\tphone\tcellphone|mobile phone\tphones\n3\tphone case\t\tphones\n");
  const auto dict = EntityDict::load(path.string(), {});
  ASSERT_EQ(dict.size(), 2u);
  EXPECT_EQ(dict.entities()[0].entity_id, "7");
  EXPECT_EQ(dict.entities()[0].aliases.size(), 2u);
  EXPECT_EQ(dict.entities()[1].line, 3);
}

TEST_F(DictFile, DuplicateIdFailsNamingTheLineOrIsDropped) {
  write("1\tphone\t\tphones\n1\tcharger\t\tphones\n");
  EXPECT_THAT(error_of({}), HasSubstr(":3: column 'entity_id': duplicate id '1'"));
  const auto dict = EntityDict::load(path.string(), {.duplicate_id = "keep_first"});
  EXPECT_EQ(dict.size(), 1u);
  EXPECT_EQ(dict.stats().duplicate_ids, 1);
  EXPECT_THAT(dict.stats().messages.at(0), HasSubstr(":3:"));
}

TEST_F(DictFile, AliasClaimedByTwoEntitiesFailsOrStaysWithTheFirst) {
  write("1\tphone\tmobile\tphones\n2\ttablet\tMobile|pad\tcomputers\n");
  EXPECT_THAT(error_of({}),
              HasSubstr(":3: column 'aliases': 'Mobile' is already a name or alias of entity '1'"));
  const auto dict = EntityDict::load(path.string(), {.shared_alias = "keep_first"});
  ASSERT_EQ(dict.size(), 2u);
  EXPECT_EQ(dict.entities()[1].aliases, std::vector<std::string>{"pad"});
  EXPECT_EQ(dict.stats().shared_strings, 1);
}

TEST_F(DictFile, AliasEqualToAnotherEntitysNameIsShared) {
  write("1\tphone\t\tphones\n2\tcharger\tPHONE\tphones\n");
  EXPECT_THAT(error_of({}), HasSubstr(":3:"));
}

TEST_F(DictFile, EmptyNameFailsOrIsSkipped) {
  write("1\tphone\t\tphones\n2\t--\t\tphones\n");
  EXPECT_THAT(error_of({}), HasSubstr(":3: column 'name': empty name"));
  const auto dict = EntityDict::load(path.string(), {.empty_name = "skip"});
  EXPECT_EQ(dict.size(), 1u);
  EXPECT_EQ(dict.stats().empty_names, 1);
  write("1\tphone\t\tphones\n2\t\t\tphones\n");  // an empty field is a bad TSV row
  EXPECT_THAT(error_of({}), HasSubstr(":3: column 'name'"));
}

TEST_F(DictFile, InvalidUtf8FailsNamingTheLineOrIsSkippedAndCounted) {
  write(
      "1\tphone\t\tphones\n2\tch\xff"
      "rger\t\tphones\n3\ttent\t\toutdoor\n");
  EXPECT_THAT(error_of({}), HasSubstr(":3:"));
  io::BadRowPolicy skip;
  skip.mode = io::BadRowPolicy::Mode::kSkip;
  const auto dict = EntityDict::load(path.string(), {}, skip);
  EXPECT_EQ(dict.size(), 2u);
  EXPECT_EQ(dict.stats().bad_rows, 1);
}

TEST_F(DictFile, EmptyAliasesAndSelfDuplicatesAreCounted) {
  write("1\tphone\tcellphone||Phone|cellphone\tphones\n");
  const auto dict = EntityDict::load(path.string(), {});
  EXPECT_EQ(dict.entities()[0].aliases, std::vector<std::string>{"cellphone"});
  EXPECT_EQ(dict.stats().empty_aliases, 1);
  EXPECT_EQ(dict.stats().self_duplicates, 2);
}

}  // namespace
}  // namespace kerec::extract
