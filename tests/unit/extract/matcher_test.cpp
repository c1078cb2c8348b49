#include "kerec/extract/matcher.h"

#include <gtest/gtest.h>

#include "kerec/extract/evaluate.h"
#include "kerec/extract/extractor.h"

namespace kerec::extract {
namespace {

EntityDict sample_dict() {
  return EntityDict::from_entities({{"p", "phone", {"cellphone"}, "phones", 2},
                                    {"pc", "phone case", {"phone cover"}, "phones", 3},
                                    {"rpc", "rugged phone case", {}, "phones", 4},
                                    {"sj", "手机", {}, "phones", 5},
                                    {"sjk", "手机壳", {"手机套"}, "phones", 6}},
                                   {});
}

std::vector<TokenSpan> match(const DictMatcher& m, std::string_view s) {
  return m.match(text::tokenize_utf8(s));
}

TEST(DictMatcher, LongestMatchFirst) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  auto spans = match(m, "Zentek Rugged Phone-Case, black");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].entity, 2);
  EXPECT_EQ(spans[0].first, 1);
  EXPECT_EQ(spans[0].last, 4);
  spans = match(m, "phone case and a cellphone");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].entity, 1);
  EXPECT_EQ(spans[1].entity, 0);
}

TEST(DictMatcher, LatinOnWordBoundariesCjkOnCodePoints) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  EXPECT_TRUE(match(m, "smartphone cases").empty());
  auto spans = match(m, "华派防摔手机壳红色");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].entity, 4);
  EXPECT_EQ(spans[0].first, 4);
  spans = match(m, "ＰＨＯＮＥ　ＣＯＶＥＲ");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].entity, 1);
}

TEST(Extractor, DictionaryOnlyReportsOriginalCodePointSpans) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  const FeatureExtractor features(m, 12, 0.5);
  const Linker linker(m, {2, 3});
  const Extractor ex(m, features, nullptr, linker, 0.5);
  std::vector<Mention> out;
  ExtractCounters c;
  UnknownMentions unknown;
  ex.extract("订单：防摔手机壳", out, c, unknown);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].begin, 5);
  EXPECT_EQ(out[0].end, 8);
  EXPECT_EQ(out[0].source, kDict);
  EXPECT_EQ(c.dict_mentions, 1);
}

TEST(Evaluator, SpansAndLinksByKind) {
  Evaluator ev;
  const GoldMention name{0, 5, 0, kName}, miss{2, 7, 1, kMisspelling};
  ev.add_row(std::vector{name}, std::vector{Mention{0, 0, 5, kDict}});  // right
  ev.add_row(std::vector{miss},
             std::vector{Mention{1, 2, 6, kTagger}});  // right entity, wrong span
  ev.add_row(std::vector{miss}, std::vector{Mention{0, 2, 7, kTagger}});  // wrong entity
  ev.add_row(std::vector{miss}, std::vector<Mention>{});                  // missed
  const auto r = ev.report();
  EXPECT_DOUBLE_EQ(r["name"]["link"]["f1"].get<double>(), 1.0);
  EXPECT_EQ(r["misspelling"]["link"]["gold"].get<int64_t>(), 3);
  EXPECT_EQ(r["misspelling"]["link"]["predicted"].get<int64_t>(), 2);
  EXPECT_EQ(r["misspelling"]["link"]["correct"].get<int64_t>(), 1);
  EXPECT_EQ(r["misspelling"]["span"]["correct"].get<int64_t>(), 1);
  EXPECT_DOUBLE_EQ(ev.link_f1({kMisspelling}), 2 * 0.5 * (1.0 / 3) / (0.5 + 1.0 / 3));
}

}  // namespace
}  // namespace kerec::extract
