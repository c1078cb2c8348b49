// One-substitution matching of Chinese names (fuzzy.h) and its place in the Extractor.
#include "kerec/extract/fuzzy.h"

#include <gtest/gtest.h>

#include "kerec/dist/local_comm.h"
#include "kerec/extract/extractor.h"

namespace kerec::extract {
namespace {

EntityDict sample_dict() {
  return EntityDict::from_entities({{"bj", "笔记本支架", {}, "office", 2},
                                    {"fs", "防水耳机架", {}, "audio", 3},
                                    {"ej", "耳机架", {}, "audio", 4},
                                    {"sj", "手机", {}, "phones", 5},
                                    {"lb1", "蓝色杯", {}, "home", 6},
                                    {"lb2", "蓝包杯", {}, "home", 7},
                                    {"cb", "超薄手机", {}, "phones", 8},
                                    {"cbk", "超薄手机壳", {}, "phones", 9},
                                    {"hf", "护发素", {}, "care", 10},
                                    {"tr", "天然护发素", {}, "care", 11}},
                                   {});
}

std::vector<FuzzyMatch> match(const FuzzyMatcher& f, std::string_view s) {
  return f.match(text::tokenize_utf8(s));
}

TEST(FuzzyMatcher, FindsOneSubstitutionOfALongEnoughName) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  const FuzzyMatcher f(m, 3);
  auto found = match(f, "星风笔纪本支架");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].span.entity, 0);
  EXPECT_EQ(found[0].span.first, 2);
  EXPECT_EQ(found[0].span.last, 7);
  EXPECT_EQ(found[0].substituted, 3);
  EXPECT_TRUE(match(f, "星风笔记本支架").empty()) << "an exact match is the dictionary's";
  EXPECT_TRUE(match(f, "优朗首机").empty()) << "two-character names take no part";
  EXPECT_TRUE(match(f, "蓝绿杯").empty()) << "fits two entities";
  EXPECT_TRUE(match(f, "phone caes").empty());
}

TEST(FuzzyMatcher, ARareVariantIsAMisspellingACommonOneIsAWordOfItsOwn) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  FuzzyMatcher f(m, 3, 0.25);
  BigramCounts counts(12);
  for (int i = 0; i < 100; ++i) {
    counts.add_text(text::tokenize_utf8("天然护发素"));  // the modifier
    counts.add_text(text::tokenize_utf8("天禾按摩枪"));  // a brand that looks like it
    counts.add_text(text::tokenize_utf8("防水耳机架"));
  }
  counts.add_text(text::tokenize_utf8("是水耳机架"));  // one typo
  dist::LocalComm comm;
  counts.merge(comm);
  f.set_bigrams(&counts);
  EXPECT_EQ(counts.count(U'天', U'然'), 100);
  ASSERT_EQ(match(f, "润途是水耳机架").size(), 1u);
  EXPECT_EQ(match(f, "润途是水耳机架")[0].span.entity, 1);
  EXPECT_TRUE(match(f, "天禾护发素").empty()) << "天禾 is as common as 天然";
}

TEST(FuzzyMatcher, ExtractorReplacesAContainedShorterMentionOnlyWithOutsideSupport) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  const FeatureExtractor features(m, 12, 0.5);
  const Linker linker(m, {2, 3});
  const FuzzyMatcher f(m, 3);
  const Extractor ex(m, features, nullptr, linker, 0.5, &f);
  std::vector<Mention> out;
  ExtractCounters c;
  UnknownMentions unknown;
  ex.extract("润途是水耳机架", out, c, unknown);  // 是水 agrees with 防水 at 水
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 1);
  EXPECT_EQ(out[0].begin, 2);
  EXPECT_EQ(out[0].source, kFuzzy);
  EXPECT_EQ(c.fuzzy_replaced, 1);
  out.clear();
  ex.extract("极谷超薄手机绿色", out, c, unknown);  // only the substituted 绿 lies beyond 超薄手机
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 6);
  EXPECT_EQ(out[0].source, kDict);
  EXPECT_EQ(c.fuzzy_dropped, 1);
  EXPECT_EQ(c.fuzzy_mentions, 1);
}

}  // namespace
}  // namespace kerec::extract
