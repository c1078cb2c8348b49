// The generated files: layout, headers, row counts, gold spans, determinism.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kerec/util/error.h"
#include "world_test_util.h"

namespace kerec::world {
namespace {

using test::read_tsv;

class WorldFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(test::temp_dir("files") / "world");
    summary_ = new WorldSummary(test::generate_local(test::small_config(*dir_)));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(dir_->parent_path());
    delete dir_;
    delete summary_;
  }
  static std::filesystem::path* dir_;
  static WorldSummary* summary_;
};
std::filesystem::path* WorldFilesTest::dir_ = nullptr;
WorldSummary* WorldFilesTest::summary_ = nullptr;

TEST_F(WorldFilesTest, HeadersAndRowCountsMatchTheSummary) {
  const std::filesystem::path& d = *dir_;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"items.tsv", "item_id title category price created_at"},
      {"bills.tsv", "user_id ts text amount"},
      {"exposures.tsv", "user_id ts item_id scene clicked converted amount"},
      {"entities.tsv", "entity_id name aliases category"},
      {"truth/complements.tsv", "a b strength"},
      {"truth/substitutes.tsv", "group_id entity_id"},
      {"truth/mentions.tsv", "source key start end entity_id kind"},
      {"truth/item_entities.tsv", "item_id entity_id"},
  };
  for (const auto& [file, header] : headers) {
    const auto rows = read_tsv(d / file);
    ASSERT_FALSE(rows.empty()) << file;
    std::string joined;
    for (const auto& f : rows[0]) joined += (joined.empty() ? "" : " ") + f;
    EXPECT_EQ(joined, header) << file;
    for (const auto& r : rows) EXPECT_EQ(r.size(), rows[0].size()) << file;
  }
  const WorldSummary& s = *summary_;
  EXPECT_EQ(read_tsv(d / "items.tsv").size() - 1, size_t(s.items));
  EXPECT_EQ(read_tsv(d / "bills.tsv").size() - 1, size_t(s.bills));
  EXPECT_EQ(read_tsv(d / "exposures.tsv").size() - 1, size_t(s.exposures));
  EXPECT_EQ(read_tsv(d / "entities.tsv").size() - 1, size_t(s.entities));
  EXPECT_EQ(read_tsv(d / "truth/complements.tsv").size() - 1, size_t(s.complement_relations));
  EXPECT_EQ(read_tsv(d / "truth/mentions.tsv").size() - 1, size_t(s.items + s.bills));
  EXPECT_EQ(s.entities, 100);
  EXPECT_EQ(s.items, 2500);
  EXPECT_EQ(s.users, 1000);
  EXPECT_NEAR(double(s.exposures), 50000.0, 5000.0);
  EXPECT_GT(s.clicks, 0);
  EXPECT_GT(s.conversions, 0);
  EXPECT_TRUE(std::filesystem::exists(d / "world.json"));
  EXPECT_TRUE(std::filesystem::exists(d / "truth/behaviour.json"));
  EXPECT_FALSE(std::filesystem::exists(d.string() + ".staging"));
}

// Every gold span's text is the entity's name, one of its dict aliases, one of its unseen aliases,
// or (misspelling) none of the dictionary strings.
TEST_F(WorldFilesTest, GoldSpansMatchTheirTexts) {
  const std::filesystem::path& d = *dir_;
  std::map<std::string, std::string> name_of, kind_of_alias;
  std::set<std::string> dict;
  for (const auto& r : read_tsv(d / "entities.tsv")) {
    name_of[r[0]] = r[1];
    dict.insert(r[1]);
    for (const auto& a : split(r[2], '|')) kind_of_alias[r[0] + "\t" + a] = "alias", dict.insert(a);
  }
  for (const auto& r : read_tsv(d / "truth/unseen_aliases.tsv"))
    kind_of_alias[r[0] + "\t" + r[1]] = "unseen_alias";
  std::map<std::string, std::string> titles;
  for (const auto& r : read_tsv(d / "items.tsv")) titles[r[0]] = r[1];
  const auto bills = read_tsv(d / "bills.tsv");
  size_t checked = 0;
  for (const auto& m : read_tsv(d / "truth/mentions.tsv")) {
    if (m[0] == "source") continue;
    const std::string& text =
        m[0] == "item" ? titles.at(m[1]) : bills.at(std::stoul(m[1]) - 1).at(2);
    const std::string span = test::code_point_substr(text, std::stoul(m[2]), std::stoul(m[3]));
    ASSERT_EQ(utf8_length(span), std::stoul(m[3]) - std::stoul(m[2])) << text;
    if (m[5] == "name") {
      EXPECT_EQ(span, name_of.at(m[4])) << text;
    } else if (m[5] == "alias" || m[5] == "unseen_alias") {
      EXPECT_EQ(kind_of_alias[m[4] + "\t" + span], m[5]) << text;
    } else {
      EXPECT_EQ(m[5], "misspelling");
      EXPECT_FALSE(dict.count(span)) << text;
    }
    ++checked;
  }
  EXPECT_EQ(checked, size_t(summary_->items + summary_->bills));
}

TEST_F(WorldFilesTest, DictAliasesNeverCollideBetweenEntities) {
  std::map<std::string, std::string> owner;
  for (const auto& r : read_tsv(*dir_ / "entities.tsv")) {
    if (r[0] == "entity_id") continue;
    std::vector<std::string> strings = split(r[2], '|');
    strings.push_back(r[1]);
    for (const auto& s : strings) {
      const auto [it, inserted] = owner.emplace(ascii_lower(s), r[0]);
      EXPECT_TRUE(inserted || it->second == r[0]) << s << " of " << r[0] << " and " << it->second;
    }
  }
  for (const auto& r : read_tsv(*dir_ / "truth/unseen_aliases.tsv")) {
    if (r[0] == "entity_id") continue;
    EXPECT_FALSE(owner.count(ascii_lower(r[1]))) << "unseen alias in dict: " << r[1];
  }
}

TEST_F(WorldFilesTest, TitleMentionRatesAreWithinTolerance) {
  std::map<std::string, double> share;
  double n = 0;
  for (const auto& m : read_tsv(*dir_ / "truth/mentions.tsv")) {
    if (m[0] == "item") share[m[5]] += 1, n += 1;
  }
  const WorldConfig c;
  EXPECT_NEAR(share["misspelling"] / n, c.title_misspelling_rate, 0.02);
  EXPECT_NEAR(share["unseen_alias"] / n, c.title_unseen_alias_rate, 0.03);
  EXPECT_NEAR(share["alias"] / n, c.title_alias_rate, 0.05);
}

TEST_F(WorldFilesTest, ComplementStrengthsAreInRangeAndSomeAsymmetric) {
  std::map<std::pair<std::string, std::string>, double> s;
  for (const auto& r : read_tsv(*dir_ / "truth/complements.tsv")) {
    if (r[0] == "a") continue;
    const double v = std::stod(r[2]);
    EXPECT_GT(v, 0.0);
    EXPECT_LE(v, 1.0);
    EXPECT_NE(r[0], r[1]);
    s[{r[0], r[1]}] = v;
  }
  int one_way = 0, unequal = 0;
  for (const auto& [pair, v] : s) {
    const auto back = s.find({pair.second, pair.first});
    one_way += back == s.end();
    unequal += back != s.end() && back->second != v;
  }
  EXPECT_GT(one_way, 0);
  EXPECT_GT(unequal, 0);
}

TEST_F(WorldFilesTest, SameSeedIsByteIdenticalAndOtherSeedDiffers) {
  const auto again = test::temp_dir("files-again") / "world";
  test::generate_local(test::small_config(again));
  for (const char* f : {"items.tsv", "bills.tsv", "exposures.tsv", "entities.tsv", "world.json",
                        "truth/complements.tsv", "truth/mentions.tsv", "truth/behaviour.json"}) {
    EXPECT_EQ(test::read_file(*dir_ / f), test::read_file(again / f)) << f;
  }
  WorldConfig other = test::small_config(again);
  other.seed = 7;
  test::generate_local(other);  // replaces the earlier world at the same dir
  EXPECT_NE(test::read_file(*dir_ / "items.tsv"), test::read_file(again / "items.tsv"));
  EXPECT_NE(test::read_file(*dir_ / "exposures.tsv"), test::read_file(again / "exposures.tsv"));
  std::filesystem::remove_all(again.parent_path());
}

TEST(WorldTinyTest, TinyScaleStillProducesAConsistentWorld) {
  const auto dir = test::temp_dir("tiny") / "world";
  WorldConfig c = test::small_config(dir);
  c.scale = 0.001;  // 2 entities, 50 items, 20 users, ~1000 exposures
  const WorldSummary s = test::generate_local(c);
  EXPECT_EQ(s.entities, 2);
  EXPECT_EQ(s.users, 20);
  EXPECT_EQ(test::read_tsv(dir / "exposures.tsv").size() - 1, size_t(s.exposures));
  EXPECT_EQ(test::read_tsv(dir / "truth/mentions.tsv").size() - 1, size_t(s.items + s.bills));
  std::filesystem::remove_all(dir.parent_path());
}

TEST(WorldReplaceTest, RefusesToReplaceADirectoryThatIsNotAWorld) {
  const auto dir = test::temp_dir("replace") / "precious";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "keep me";
  WorldConfig c = test::small_config(dir);
  c.scale = 0.01;
  // The refusal is agreed across ranks, so it arrives as RemoteError carrying the IoError's text.
  try {
    test::generate_local(c);
    ADD_FAILURE() << "expected a refusal";
  } catch (const RemoteError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to replace"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.txt"));
  std::filesystem::remove_all(dir.parent_path());
}

TEST(WorldZhTest, TitlesAreSpaceFreeValidUtf8) {
  const auto dir = test::temp_dir("zh") / "world";
  WorldConfig c = test::small_config(dir, "zh");
  c.scale = 0.02;
  test::generate_local(c);
  int cjk_titles = 0;
  for (const auto& r : test::read_tsv(dir / "items.tsv")) {
    if (r[0] == "item_id") continue;
    EXPECT_TRUE(valid_utf8(r[1])) << r[1];
    EXPECT_EQ(r[1].find(' '), std::string::npos) << r[1];
    cjk_titles += utf8_length(r[1]) < r[1].size();
  }
  EXPECT_GT(cjk_titles, 0);
  for (const auto& r : test::read_tsv(dir / "bills.tsv")) EXPECT_TRUE(valid_utf8(r[2])) << r[2];
  for (const auto& r : test::read_tsv(dir / "entities.tsv"))
    EXPECT_TRUE(valid_utf8(r[1]) && valid_utf8(r[2]));
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace kerec::world
