// Lexicon, config validation, taxonomy and text helpers.
#include <gtest/gtest.h>

#include <set>

#include "kerec/util/error.h"
#include "kerec/world/lexicon.h"
#include "kerec/world/model.h"
#include "kerec/world/text.h"

namespace kerec::world {
namespace {

TEST(LexiconTest, BothLanguagesParseWithTheSameShape) {
  const Lexicon& en = lexicon(Language::kEn);
  const Lexicon& zh = lexicon(Language::kZh);
  ASSERT_GE(en.categories.size(), 15u);
  ASSERT_LE(en.categories.size(), 25u);
  EXPECT_EQ(en.categories.size(), zh.categories.size());
  EXPECT_EQ(en.heads.size(), zh.heads.size());
  std::set<std::string> en_names, zh_names;
  for (size_t h = 0; h < en.heads.size(); ++h) {
    EXPECT_TRUE(en_names.insert(en.heads[h].name).second) << en.heads[h].name;
    EXPECT_TRUE(zh_names.insert(zh.heads[h].name).second) << zh.heads[h].name;
    EXPECT_GE(utf8_length(zh.heads[h].name), 2u) << zh.heads[h].name;
    EXPECT_FALSE(en.heads[h].unseen.empty()) << en.heads[h].name;
    EXPECT_FALSE(zh.heads[h].unseen.empty()) << zh.heads[h].name;
  }
  EXPECT_GE(entity_capacity(en), 100000);
}

TEST(LexiconTest, SimilarCharPairsAreDistinctLookAlikes) {
  std::set<std::string> firsts;
  for (const std::string& pair : split(similar_char_pairs(), '|')) {
    const auto chars = utf8_chars(pair);
    ASSERT_EQ(chars.size(), 2u) << pair;
    EXPECT_NE(chars[0], chars[1]) << pair;
    EXPECT_TRUE(firsts.insert(std::string(chars[0])).second) << pair;
  }
  EXPECT_GT(firsts.size(), 100u);
}

TEST(WorldConfigTest, ValidateRejectsBadValuesNamingTheKey) {
  auto message = [](auto mutate) {
    WorldConfig c;
    mutate(c);
    try {
      c.validate();
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([](WorldConfig& c) { c.test_days = c.days; }).find("world.test_days"),
            std::string::npos);
  EXPECT_NE(message([](WorldConfig& c) { c.scale = 0; }).find("world.scale"), std::string::npos);
  EXPECT_NE(message([](WorldConfig& c) { c.language = "fr"; }).find("world.language"),
            std::string::npos);
  EXPECT_NE(message([](WorldConfig& c) { c.title_alias_rate = 0.9; }).find("title"),
            std::string::npos);
  EXPECT_EQ(message([](WorldConfig&) {}), "no error");
}

TEST(WorldConfigTest, SizesScaleAndKeepOneItemPerEntity) {
  WorldConfig c;
  c.scale = 0.01;
  c.items = 100;
  const WorldSizes s = world_sizes(c);
  EXPECT_EQ(s.entities, 20);
  EXPECT_EQ(s.items, 20);
  EXPECT_EQ(s.users, 200);
  EXPECT_EQ(s.exposures_target, 10000);
  EXPECT_EQ(s.end_ts - s.train_end_ts, 14 * 86400);
}

TEST(TaxonomyTest, EntityCountBeyondLexiconCapacityIsAConfigError) {
  WorldConfig c;
  c.entities = 10000000;
  try {
    build_taxonomy(c, world_sizes(c));
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("world.entities"), std::string::npos);
  }
}

TEST(TaxonomyTest, DemoScaleEntitiesAreUniqueAndMostlyShortNames) {
  WorldConfig c;
  const Taxonomy t = build_taxonomy(c, world_sizes(c));
  ASSERT_EQ(t.entities.size(), 2000u);
  std::set<std::string> names;
  double popularity = 0;
  int with_aliases = 0, with_unseen = 0;
  for (const Entity& e : t.entities) {
    EXPECT_TRUE(names.insert(e.name).second) << e.name;
    EXPECT_LE(e.level, 1) << e.name;
    EXPECT_GT(e.price_median, 0);
    with_aliases += !e.aliases.empty();
    with_unseen += !e.unseen.empty();
    EXPECT_LE(e.aliases.size(), 3u);
    EXPECT_LE(e.unseen.size(), 2u);
    popularity += e.popularity;
  }
  EXPECT_NEAR(popularity, 1.0, 1e-9);
  EXPECT_GT(with_aliases, 1000);
  EXPECT_GT(with_unseen, 1900);
  EXPECT_GT(t.substitute_groups.size(), 50u);
}

TEST(ComplementGraphTest, CuratedPairIsStrongOneWay) {
  WorldConfig c;
  const Taxonomy t = build_taxonomy(c, world_sizes(c));
  const ComplementGraph g = build_complements(t, c);
  auto plain = [&](const std::string& name) {
    for (const Entity& e : t.entities)
      if (e.name == name) return e.id;
    return -1;
  };
  const int32_t phone = plain("phone"), phone_case = plain("phone case");
  ASSERT_GE(phone, 0);
  ASSERT_GE(phone_case, 0);
  EXPECT_GE(g.strength(phone, phone_case), 0.75);
  EXPECT_LT(g.strength(phone_case, phone), 0.4);
  double edges_per_entity = double(g.edges()) / double(t.entities.size());
  EXPECT_GT(edges_per_entity, 2.0);
  EXPECT_LT(edges_per_entity, 10.0);
}

TEST(TextTest, Utf8Helpers) {
  EXPECT_EQ(utf8_length("手机壳 case"), 8u);
  EXPECT_TRUE(valid_utf8("咖啡豆"));
  EXPECT_FALSE(valid_utf8(std::string("\xe6\x89", 2)));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));
  EXPECT_EQ(utf8_chars("a手b").size(), 3u);
  EXPECT_EQ(split("a|b||c", '|'), (std::vector<std::string>{"a", "b", "", "c"}));
}

TEST(TextTest, DictIndexFindsWholeWordMatchesOutsideTheSpan) {
  DictIndex en(false);
  en.add("phone case");
  en.add("phone");
  const std::string t = "Zentek phone case black";
  EXPECT_FALSE(en.has_match_outside(t, 7, 17));  // "phone case" is the span; "phone" overlaps it
  EXPECT_TRUE(en.has_match_outside("Phone stand for phone case", 16, 26));
  EXPECT_FALSE(en.has_match_outside("smartphone", 0, 0));  // not at a word start
  DictIndex zh(true);
  zh.add("手机");
  EXPECT_TRUE(zh.has_match_outside("极光智能手机", 0, 0));
  EXPECT_FALSE(zh.has_match_outside("极光手机壳", 6, 15));
}

TEST(TextTest, MisspellingsDifferAndAvoidTheDictionary) {
  DictIndex dict(false);
  dict.add("coffee beans");
  Rng rng(1);
  for (int i = 0; i < 50; ++i) {
    const std::string typo = misspell("coffee beans", false, dict, rng);
    ASSERT_FALSE(typo.empty());
    EXPECT_NE(typo, "coffee beans");
    EXPECT_EQ(typo[0], 'c');
  }
  EXPECT_EQ(misspell("tv", false, dict, rng), "");
  DictIndex zh(true);
  const std::string typo = misspell("咖啡豆", true, zh, rng);
  EXPECT_GE(utf8_length(typo), 2u);  // one edit: a drop, an insertion, a swap or a substitution
  EXPECT_LE(utf8_length(typo), 4u);
  EXPECT_NE(typo, "咖啡豆");
  EXPECT_TRUE(valid_utf8(typo));
}

TEST(TextTest, EachTypoKindMakesItsEdit) {
  const DictIndex none(true);
  Rng rng(3);
  auto only = [](double TypoMix::*kind) {
    TypoMix mix{0, 0, 0, 0};
    mix.*kind = 1;
    return mix;
  };
  for (int i = 0; i < 20; ++i) {
    const std::string swapped = misspell("葡萄酒杯", true, none, rng, only(&TypoMix::swap));
    EXPECT_EQ(utf8_length(swapped), 4u) << swapped;
    EXPECT_NE(swapped, "葡萄酒杯");
    EXPECT_EQ(utf8_length(misspell("瑜伽垫", true, none, rng, only(&TypoMix::drop))), 2u);
    EXPECT_EQ(utf8_length(misspell("瑜伽垫", true, none, rng, only(&TypoMix::insert))), 4u);
    EXPECT_EQ(utf8_length(misspell("瑜伽", true, none, rng, only(&TypoMix::drop))), 2u)
        << "two characters cannot lose one: a substitution instead";
    EXPECT_EQ(misspell("coffee beans", false, none, rng, only(&TypoMix::drop)).size(), 11u);
    EXPECT_EQ(misspell("coffee beans", false, none, rng, only(&TypoMix::insert)).size(), 13u);
  }
}

}  // namespace
}  // namespace kerec::world
