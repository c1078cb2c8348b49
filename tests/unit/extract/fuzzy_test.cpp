// One-edit matching of Chinese names (fuzzy.h) and its place in the Extractor.
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
                                    {"tr", "天然护发素", {}, "care", 11},
                                    {"hw", "户外篮球", {}, "sports", 12},
                                    {"lq", "篮球", {}, "sports", 13},
                                    {"jp", "键盘", {}, "office", 14}},
                                   {});
}

std::vector<FuzzyMatch> match(const FuzzyMatcher& f, std::string_view s) {
  return f.match(text::tokenize_utf8(s));
}

// The Extractor (extractor.h) over a dictionary with the fuzzy matcher and no tagger.
struct FuzzyExtractor {
  explicit FuzzyExtractor(EntityDict d)
      : dict(std::move(d)),
        matcher(dict),
        features(matcher, 12, 0.5),
        linker(matcher, {2, 3}),
        fuzzy(matcher, 3),
        extractor(matcher, features, nullptr, linker, 0.5, &fuzzy) {}
  std::vector<Mention> extract(std::string_view text) {
    std::vector<Mention> out;
    UnknownMentions unknown;
    extractor.extract(text, out, counters, unknown);
    return out;
  }
  EntityDict dict;
  DictMatcher matcher;
  FeatureExtractor features;
  Linker linker;
  FuzzyMatcher fuzzy;
  Extractor extractor;
  ExtractCounters counters;
};

TEST(OneEdit, NamesTheEditAndRefusesTwo) {
  using E = EditKind;
  auto edit = [](std::u32string_view w, std::u32string_view d) { return one_edit(w, d); };
  ASSERT_TRUE(edit(U"笔纪本", U"笔记本"));
  EXPECT_EQ(edit(U"笔纪本", U"笔记本")->kind, E::kSubstitute);
  EXPECT_EQ(edit(U"葡萄杯酒", U"葡萄酒杯")->kind, E::kSwap);
  EXPECT_EQ(edit(U"葡萄杯酒", U"葡萄酒杯")->first, 2);
  EXPECT_EQ(edit(U"葡萄杯酒", U"葡萄酒杯")->last, 4);
  EXPECT_EQ(edit(U"瑜垫", U"瑜伽垫")->kind, E::kDrop);
  EXPECT_EQ(edit(U"瑜垫", U"瑜伽垫")->first, 1);
  EXPECT_EQ(edit(U"瑜垫", U"瑜伽垫")->last, 1);
  EXPECT_EQ(edit(U"瑜伽伽垫", U"瑜伽垫")->kind, E::kInsert);
  EXPECT_EQ(edit(U"瑜伽伽垫", U"瑜伽垫")->first, 2);
  EXPECT_EQ(edit(U"瑜伽垫子", U"瑜伽垫")->first, 3) << "an insertion at the end";
  EXPECT_FALSE(edit(U"瑜伽垫", U"瑜伽垫")) << "equal is no edit";
  EXPECT_FALSE(edit(U"瑜珈毯", U"瑜伽垫")) << "two substitutions";
  EXPECT_FALSE(edit(U"杯酒葡萄", U"葡萄酒杯"));
  EXPECT_FALSE(edit(U"伽垫瑜", U"瑜伽垫")) << "a rotation is not a swap";
  EXPECT_FALSE(edit(U"瑜", U"瑜伽垫")) << "two drops";
}

TEST(FuzzyMatcher, FindsSwapsDropsAndInsertions) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  const FuzzyMatcher f(m, 3);
  struct Case {
    const char* text;
    EditKind kind;
    int32_t first, last, edit_first, edit_last;
  };
  for (const Case& c : {Case{"星风笔本记支架", EditKind::kSwap, 2, 7, 3, 5},
                        Case{"星风笔记支架", EditKind::kDrop, 2, 6, 4, 4},
                        Case{"星风笔记本本支架", EditKind::kInsert, 2, 8, 5, 6}}) {
    const auto found = match(f, c.text);
    ASSERT_EQ(found.size(), 1u) << c.text;
    EXPECT_EQ(found[0].span.entity, 0) << c.text;
    EXPECT_EQ(found[0].span.first, c.first) << c.text;
    EXPECT_EQ(found[0].span.last, c.last) << c.text;
    EXPECT_EQ(found[0].edit.kind, c.kind) << c.text;
    EXPECT_EQ(found[0].edit.first, c.edit_first) << c.text;
    EXPECT_EQ(found[0].edit.last, c.edit_last) << c.text;
  }
  EXPECT_TRUE(match(f, "星风笔本支加").empty()) << "a drop and a substitution are two edits";
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
  EXPECT_EQ(found[0].edit.kind, EditKind::kSubstitute);
  EXPECT_EQ(found[0].edit.first, 3);
  EXPECT_EQ(found[0].edit.last, 4);
  EXPECT_TRUE(match(f, "星风笔记本支架").empty()) << "an exact match is the dictionary's";
  EXPECT_TRUE(match(f, "优朗首机").empty()) << "two-character names take no part";
  EXPECT_TRUE(match(f, "蓝绿杯").empty()) << "fits two entities";
  EXPECT_TRUE(match(f, "phone caes").empty());
}

TEST(FuzzyMatcher, ARareVariantIsAMisspellingACommonOneIsAWordOfItsOwn) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  FuzzyMatcher f(m, 3, 0.25);
  CorpusCounts counts(12);
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
  // A drop or a swap is judged by the pairs it makes against those it breaks.
  ASSERT_EQ(match(f, "润途防耳机架").size(), 1u);
  EXPECT_EQ(match(f, "润途防耳机架")[0].edit.kind, EditKind::kDrop);
  ASSERT_EQ(match(f, "润途防水机耳架").size(), 1u);
  EXPECT_EQ(match(f, "润途防水机耳架")[0].edit.kind, EditKind::kSwap);
}

TEST(FuzzyMatcher, ExtractorTakesASwapAroundAShorterMention) {
  FuzzyExtractor ex(sample_dict());
  const ExtractCounters& c = ex.counters;
  std::vector<Mention> out;
  out = ex.extract("佳途外户篮球M码");  // the swapped 外户 are the name's own
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 10);
  EXPECT_EQ(out[0].begin, 2);
  EXPECT_EQ(out[0].end, 6);
  EXPECT_EQ(out[0].source, kFuzzy);
  out = ex.extract("乐维盘键藏青色");  // a two-character name swapped
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 12);
  EXPECT_EQ(out[0].begin, 2);
}

TEST(FuzzyMatcher, AnEditAtTheEdgeIsJudgedWithTheTextBesideIt) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  FuzzyMatcher f(m, 3, 0.25);
  CorpusCounts counts(12);
  for (int i = 0; i < 100; ++i) {
    counts.add_text(text::tokenize_utf8("极谷超薄手机壳"));
    counts.add_text(text::tokenize_utf8("绿色"));  // a word
  }
  dist::LocalComm comm;
  counts.merge(comm);
  f.set_bigrams(&counts);
  // 超薄手机绿 is not 超薄手机壳 substituted: 绿色 is a common pair. (An insertion at the edge,
  // 超薄手机 + 绿, is the dictionary's match of 超薄手机, not a misspelling.)
  EXPECT_TRUE(match(f, "极谷超薄手机绿色").empty());
  ASSERT_EQ(match(f, "极谷超薄手机绿").size(), 1u) << "with nothing after 绿, a substitution";
  EXPECT_EQ(match(f, "极谷超薄手机绿")[0].span.entity, 7);
  EXPECT_TRUE(match(f, "极谷超薄手机壳").empty()) << "exact";
  EXPECT_TRUE(match(f, "极谷超薄手机壳子").empty()) << "an insertion at the end";
}

TEST(FuzzyMatcher, ExtractorReplacesAContainedShorterMentionOnlyWithOutsideSupport) {
  FuzzyExtractor ex(sample_dict());
  const ExtractCounters& c = ex.counters;
  std::vector<Mention> out;
  out = ex.extract("润途是水耳机架");  // 是水 agrees with 防水 at 水
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 1);
  EXPECT_EQ(out[0].begin, 2);
  EXPECT_EQ(out[0].source, kFuzzy);
  EXPECT_EQ(c.fuzzy_replaced, 1);
  out = ex.extract("极谷超薄手机绿色");  // only the substituted 绿 lies beyond 超薄手机
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 6);
  EXPECT_EQ(out[0].source, kDict);
  EXPECT_EQ(c.fuzzy_dropped, 1);
  EXPECT_EQ(c.fuzzy_mentions, 1);
}

TEST(FuzzyMatcher, AnEdgeDropNeedsAPrefixOfOneNameOnly) {
  const auto dict = EntityDict::from_entities({{"ye", "儿童运动鞋", {}, "shoes", 2},
                                               {"yd", "运动水壶", {}, "sports", 3},
                                               {"lq", "蓝牙耳机", {}, "audio", 4},
                                               {"ls", "蓝牙耳塞", {}, "audio", 5}},
                                              {});
  const DictMatcher m(dict);
  FuzzyMatcher f(m, 3, 0.25);
  CorpusCounts counts(12);
  for (int i = 0; i < 40; ++i) {
    counts.add_text(text::tokenize_utf8("儿童运动鞋"));
    counts.add_text(text::tokenize_utf8("运动水壶运动服运动包"));  // 动 goes on in many ways
    counts.add_text(text::tokenize_utf8("蓝牙耳机"));
  }
  dist::LocalComm comm;
  counts.merge(comm);
  f.set_bigrams(&counts);
  ASSERT_EQ(match(f, "欧仕儿童运动M码").size(), 1u) << "only 儿童运动鞋 begins with 儿童运动";
  EXPECT_EQ(match(f, "欧仕儿童运动M码")[0].edit.kind, EditKind::kDrop);
  EXPECT_TRUE(match(f, "欧仕儿童运动服").empty()) << "动服 is a common pair: another word";
  EXPECT_TRUE(match(f, "蓝牙耳M码").empty()) << "two names begin with 蓝牙耳";
}

EntityDict latin_dict() {
  return EntityDict::from_entities({{"gpc", "gaming phone case", {}, "phones", 2},
                                    {"pc", "phone case", {}, "phones", 3},
                                    {"mp", "mini projector", {}, "tv", 4},
                                    {"mw", "men's wallet", {}, "bags", 5},
                                    {"ww", "women's wallet", {}, "bags", 6}},
                                   {});
}

TEST(FuzzyMatcher, CorrectsAMisspeltLatinWordBeforeTheDictionaryReads) {
  const auto dict = latin_dict();
  const DictMatcher m(dict);
  const FuzzyMatcher f(m, 3);
  ASSERT_TRUE(f.active());
  const auto found = match(f, "Axiton gamng phone case");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].span.entity, 0);
  EXPECT_EQ(found[0].span.first, 1);
  EXPECT_EQ(found[0].span.last, 4);
  EXPECT_EQ(found[0].edit.kind, EditKind::kDrop);
  EXPECT_EQ(found[0].edit.first, 1);
  EXPECT_EQ(found[0].edit.last, 1) << "a corrected word agrees but for one letter";
  EXPECT_TRUE(match(f, "Axiton gaming phone case").empty()) << "no word to correct";
  EXPECT_TRUE(match(f, "Axiton gamnig phone casw").size() == 1u) << "a swap, then a substitution";
  EXPECT_TRUE(match(f, "Axiton gmnig phone").empty()) << "two edits";
  EXPECT_TRUE(match(f, "Zentek pen case").empty()) << "words under four letters take no part";
}

TEST(FuzzyMatcher, ACommonWordIsNotTakenForATypo) {
  const auto dict = latin_dict();
  const DictMatcher m(dict);
  FuzzyMatcher f(m, 3, 0.25);
  CorpusCounts counts(12);
  for (int i = 0; i < 40; ++i) {
    counts.add_text(text::tokenize_utf8("mini projector"));
    counts.add_text(text::tokenize_utf8("mint tea"));  // mint is a word of its own
  }
  counts.add_text(text::tokenize_utf8("minu projector"));  // one typo
  dist::LocalComm comm;
  counts.merge(comm);
  f.set_bigrams(&counts);
  EXPECT_EQ(counts.word(U"mint"), 40);
  EXPECT_TRUE(match(f, "Lumio mint projector").empty());
  ASSERT_EQ(match(f, "Lumio minu projector").size(), 1u);
  EXPECT_EQ(match(f, "Lumio minu projector")[0].span.entity, 2);
}

TEST(FuzzyMatcher, ExtractorPrefersTheCorrectedLongerName) {
  FuzzyExtractor ex(latin_dict());
  const ExtractCounters& c = ex.counters;
  std::vector<Mention> out;
  out = ex.extract("Axiton gamng phone case");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity, 0);
  EXPECT_EQ(out[0].begin, 7);
  EXPECT_EQ(out[0].source, kFuzzy);
  EXPECT_EQ(c.fuzzy_replaced, 1);
}

}  // namespace
}  // namespace kerec::extract
