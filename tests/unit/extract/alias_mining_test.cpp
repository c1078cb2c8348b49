#include "kerec/extract/alias_mining.h"

#include <gtest/gtest.h>

#include <map>

namespace kerec::extract {
namespace {

EntityDict sample_dict() {
  return EntityDict::from_entities({{"p", "phone", {"cellphone"}, "phones", 2},
                                    {"rp", "rugged phone", {}, "phones", 3},
                                    {"sp", "slim phone", {}, "phones", 4},
                                    {"pc", "phone case", {}, "phones", 5},
                                    {"rpc", "rugged phone case", {}, "phones", 6},
                                    {"sj", "手机", {}, "phones", 7},
                                    {"fsj", "防摔手机", {}, "phones", 8}},
                                   {});
}

std::optional<RuleObservation> align(const DictMatcher& m, std::string_view title, int32_t first,
                                     int32_t last, std::vector<std::u32string> entity_strings) {
  const auto tokens = text::tokenize_utf8(title);
  return align_mention(tokens, TokenSpan{first, last, -1}, entity_strings, dictionary_strings(m));
}

TEST(AlignMention, ModifiersInsideOrBeforeTheSpanAreStripped) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  // "Zentek rugged smartphone red": the span is "rugged smartphone" or only "smartphone".
  for (int32_t first : {1, 2}) {
    const auto obs = align(m, "Zentek rugged smartphone red", first, 3, {U"rugged phone"});
    ASSERT_TRUE(obs);
    EXPECT_EQ(obs->from, U"smartphone");
    EXPECT_EQ(obs->to, U"phone");
  }
  // Without the modifiers in the title, the whole span stands for the whole name.
  const auto bare = align(m, "Zentek handset red", 1, 2, {U"phone", U"cellphone"});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->from, U"handset");
  EXPECT_EQ(bare->to, U"phone");
  // CJK: modifiers are code points.
  const auto zh = align(m, "华派防摔智能机红色", 2, 7, {U"防摔手机"});
  ASSERT_TRUE(zh);
  EXPECT_EQ(zh->from, U"智能机");
  EXPECT_EQ(zh->to, U"手机");
}

TEST(AlignMention, TheSpanThatIsTheNameTeachesNothing) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  EXPECT_FALSE(align(m, "Zentek phone red", 1, 2, {U"phone"}));
}

TEST(AcceptRules, SupportAndShareDecide) {
  MiningStats st;
  std::vector<RuleObservation> obs = {
      {U"smartphone", U"phone"},      {U"smartphone", U"phone"},
      {U"smartphone", U"phone case"}, {U"handset", U"phone"},  // support 1
      {U"shell", U"phone"},           {U"shell", U"phone"},
      {U"shell", U"phone case"},      {U"shell", U"phone case"}};  // a tie: share 0.5
  const auto rules = accept_rules(obs, 2, 0.6, st);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].from, U"smartphone");
  EXPECT_EQ(rules[0].to, U"phone");
  EXPECT_EQ(rules[0].support, 2);
  EXPECT_EQ(rules[0].observations, 3);
  EXPECT_EQ(st.observations, 8);
  EXPECT_EQ(st.distinct_from, 3);
  EXPECT_EQ(st.rules_rejected, 2);
}

TEST(ExpandRules, EveryStringEndingInTheTargetGetsTheAlias) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  MiningStats st;
  const std::vector<AliasRule> rules = {{U"smartphone", U"phone", 2, 2},
                                        {U"智能机", U"手机", 3, 3}};
  const auto mined = expand_rules(m, rules, st);
  std::map<std::u32string, int32_t> got;
  for (const auto& a : mined.aliases) got[a.text] = a.entity;
  // "phone case" ends in "case", not in "phone": no alias for it.
  const std::map<std::u32string, int32_t> want = {{U"smartphone", 0},
                                                  {U"rugged smartphone", 1},
                                                  {U"slim smartphone", 2},
                                                  {U"智能机", 5},
                                                  {U"防摔智能机", 6}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(st.aliases, 5);
}

TEST(ExpandRules, ConflictsAreDroppedAndDictionaryStringsKept) {
  const auto dict = sample_dict();
  const DictMatcher m(dict);
  MiningStats st;
  // rugged phone → phone makes "rugged phone" from "phone": a dictionary string, not added.
  // device → phone and device → slim phone both make "device": from phone (entity 0) and from slim
  // phone (entity 2), so it is dropped.
  const std::vector<AliasRule> rules = {{U"rugged phone", U"phone", 2, 2},
                                        {U"device", U"phone", 2, 2},
                                        {U"device", U"slim phone", 2, 2}};
  const auto mined = expand_rules(m, rules, st);
  std::map<std::u32string, int32_t> got;
  for (const auto& a : mined.aliases) got[a.text] = a.entity;
  EXPECT_EQ(got.count(U"rugged phone"), 0u);
  EXPECT_EQ(got.count(U"device"), 0u);
  EXPECT_EQ(got.at(U"slim device"), 2);
  EXPECT_EQ(got.at(U"rugged device"), 1);
  EXPECT_GE(st.aliases_in_dictionary, 1);
  EXPECT_EQ(st.aliases_conflicting, 1);
}

TEST(DictMatcherMined, MinedAliasesMatchLongestFirstAndAreMarked) {
  const auto dict = sample_dict();
  const std::vector<MinedAlias> mined = {{U"rugged smartphone", 1},
                                         {U"phone", 3}};  // the second is a dict string
  const DictMatcher m(dict, mined);
  auto spans = m.match(text::tokenize_utf8("Zentek Rugged Smartphone, red phone"));
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].entity, 1);
  EXPECT_TRUE(spans[0].mined);
  EXPECT_EQ(spans[1].entity, 0);
  EXPECT_FALSE(spans[1].mined);
  EXPECT_EQ(m.strings().size(), DictMatcher(dict).strings().size());
}

TEST(DropContextAliases, AnAliasBesideOtherNamesInMostBillsIsContext) {
  const auto dict = sample_dict();
  const DictMatcher plain(dict);
  MinedAliases mined;  // sorted by text
  mined.aliases = {{U"smartphone", 0}, {U"便利", 3}};
  mined.rule = {0, 1};
  const DictMatcher with_mined(dict, mined.aliases);
  const std::vector<std::string> bills = {
      "天天便利手机",  "天天便利防摔手机",
      "天天便利手机",  "便利",  // a shop name
      "smartphone x1", "Shop smartphone",
      "smartphone",    "phone case and smartphone"};  // once beside another entity
  AliasUse use;
  count_alias_use(bills, with_mined, mined, use);
  ASSERT_EQ(use.matches.size(), 2u);
  EXPECT_EQ(use.matches[0], 4);
  EXPECT_EQ(use.beside_other[0], 1);
  EXPECT_EQ(use.matches[1], 4);
  EXPECT_EQ(use.beside_other[1], 3);
  EXPECT_EQ(drop_context_aliases(mined, use, 3, 0.5), 1);
  ASSERT_EQ(mined.aliases.size(), 1u);
  EXPECT_EQ(mined.aliases[0].text, U"smartphone");
  EXPECT_EQ(mined.rule[0], 0u);
}

TEST(DropContextAliases, TooFewBillsDecideNothing) {
  MinedAliases mined;
  mined.aliases = {{U"便利", 6}};
  mined.rule = {0};
  const AliasUse use{{2}, {2}};
  EXPECT_EQ(drop_context_aliases(mined, use, 3, 0.5), 0);
  EXPECT_EQ(mined.aliases.size(), 1u);
}

}  // namespace
}  // namespace kerec::extract
