// Candidate entities for LLM linking (extract/link_candidates.h).
#include "kerec/extract/link_candidates.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace kerec::extract {
namespace {

EntityDict dict_of(const std::string& rows) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("kerec-cand-" + std::to_string(::getpid()) + ".tsv");
  std::ofstream(path) << "entity_id\tname\taliases\tcategory\n" << rows;
  EntityDict d = EntityDict::load(path.string(), {}, {});
  std::filesystem::remove(path);
  return d;
}

TEST(CandidateIndex, RanksBySharedRareFeaturesAndLeavesOutStrangers) {
  const EntityDict d = dict_of(
      "0\t洗发水\t\tc\n1\t天然洗发水\t\tc\n2\t天然面霜\t\tc\n3\t蓝牙耳机\t\tc\n"
      "4\tgaming phone case\t\tc\n5\tphone\tmobile\tc\n");
  const CandidateIndex index(d);
  const auto zh = index.top("天然洗着水", 10);
  ASSERT_GE(zh.size(), 3u);
  EXPECT_EQ(zh[0], 1);  // 天 然 洗 水: four shared characters
  EXPECT_EQ(std::count(zh.begin(), zh.end(), 3), 0);
  const auto en = index.top("gamng phone caes", 2);
  ASSERT_EQ(en.size(), 2u);
  EXPECT_EQ(en[0], 4);
  EXPECT_EQ(index.top("mobil", 1), std::vector<int32_t>{5});  // through the alias
  EXPECT_TRUE(index.top("xyz", 5).empty());
}

TEST(CandidateIndex, FeaturesAreCjkCharactersAndWordTrigrams) {
  EXPECT_EQ(CandidateIndex::features(U"雨伞").size(), 2u);
  EXPECT_EQ(CandidateIndex::features(U"cap").size(), 3u);  // ^ca cap ap$
  EXPECT_EQ(CandidateIndex::features(U"ab").size(), 2u);   // ^ab ab$
  EXPECT_EQ(CandidateIndex::features(U"雨 雨").size(), 1u);
}

}  // namespace
}  // namespace kerec::extract
