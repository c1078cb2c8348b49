// Phrase rules at 1, 2 and 4 ranks: items split in blocks, so a phrase's items sit on different
// ranks before the exchange; every rank count gives the same rules. The votes are given, as the
// session votes would give them; each group of items shows one accepted or rejected case.
#include "kerec/extract/phrase_rules.h"

#include <gtest/gtest.h>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/utf8.h"

namespace kerec::extract {
namespace {

enum : int32_t {
  kPhone,
  kHolder,
  kKidsHolder,
  kTshirt,
  kHoodie,
  kRemover,
  kSponge,
  kWeiyi,
  kCollar
};

EntityDict dict() {
  return EntityDict::from_entities({{"0", "phone", {}, "phones", 2},
                                    {"1", "phone holder", {"phone stand"}, "phones", 3},
                                    {"2", "kids phone holder", {}, "phones", 4},
                                    {"3", "t-shirt", {}, "clothing", 5},
                                    {"4", "hoodie", {}, "clothing", 6},
                                    {"5", "makeup remover", {}, "beauty", 7},
                                    {"6", "makeup sponge", {}, "beauty", 8},
                                    {"7", "卫衣", {"连帽衫"}, "clothing", 9},
                                    {"8", "dog collar", {}, "pets", 10}},
                                   {});
}

struct Item {
  std::string title;
  std::vector<std::pair<std::string, int32_t>> read;  // dictionary mentions: text, entity
  int32_t vote = -1;
};

std::vector<Item> items() {
  return {
      // An item without a vote still counts: "pet choker" stands beside a dog collar here, so it
      // may be context (its key is live on this item's rank only through the others' votes).
      {"Nori pet choker with dog collar", {{"dog collar", kCollar}}, -1},
      // "phone cradle" is read as phone but votes phone holder; phone items vote phone.
      {"Acme phone cradle red", {{"phone", kPhone}}, kHolder},
      {"Bolt phone cradle", {{"phone", kPhone}}, kHolder},
      {"Cyra phone cradle 2-pack", {{"phone", kPhone}}, kHolder},
      {"Dax kids phone cradle", {{"phone", kPhone}}, kKidsHolder},
      {"Acme phone black", {{"phone", kPhone}}, kPhone},
      {"Bolt phone", {{"phone", kPhone}}, kPhone},
      {"Cyra phone 128gb", {{"phone", kPhone}}, kPhone},
      {"Dax phone", {{"phone", kPhone}}, kPhone},
      // t-shirt items vote hoodie anyway (hoodie searches show t-shirts): "t-shirt size" explains
      // nothing.
      {"Acme t-shirt size M", {{"t-shirt", kTshirt}}, kHoodie},
      {"Bolt t-shirt size L", {{"t-shirt", kTshirt}}, kHoodie},
      {"Cyra t-shirt size S", {{"t-shirt", kTshirt}}, kHoodie},
      {"Dax t-shirt blue", {{"t-shirt", kTshirt}}, kHoodie},
      {"Eon t-shirt", {{"t-shirt", kTshirt}}, kHoodie},
      {"Fay t-shirt grey", {{"t-shirt", kTshirt}}, kHoodie},
      // "yuki makeup" would take the place of "makeup remover"; "makeup egg" is the alias.
      {"Yuki makeup egg", {}, kSponge},
      {"Yuki makeup egg pink", {}, kSponge},
      {"Yuki makeup egg 2-pack", {}, kSponge},
      {"Zora makeup egg", {}, kSponge},
      {"Kiko makeup egg white", {}, kSponge},
      {"Yuki makeup remover", {{"makeup remover", kRemover}}, kRemover},
      {"Yuki makeup remover 1L", {{"makeup remover", kRemover}}, kRemover},
      {"Yuki makeup sponge", {{"makeup sponge", kSponge}}, kSponge},
      {"Yuki makeup sponge blue", {{"makeup sponge", kSponge}}, kSponge},
      // CJK: 帽衫 alone stands for 卫衣, and inside 连帽衫 the dictionary reads it already.
      {"华派帽衫红色", {}, kWeiyi},
      {"优尚帽衫", {}, kWeiyi},
      {"康品蓝色帽衫", {}, kWeiyi},
      {"星朗连帽衫", {{"连帽衫", kWeiyi}}, kWeiyi},
      {"恒家连帽衫银色", {{"连帽衫", kWeiyi}}, kWeiyi},
      {"Aro pet choker", {}, kCollar},
      {"Bix pet choker red", {}, kCollar},
      {"Cal pet choker", {}, kCollar},
  };
}

// Code points of `mention` in `title`.
Mention mention_in(const std::string& title, const std::string& mention, int32_t entity) {
  const std::u32string t = utf8::decode(title), m = utf8::decode(mention);
  const auto at = static_cast<int32_t>(t.find(m));
  return Mention{entity, at, at + static_cast<int32_t>(m.size()), kDict};
}

TEST(PhraseRulesMpi, SameRulesAtAnyRankCount) {
  dist::Comm& comm = kerec::test::comm();
  const auto all = items();
  const dist::Block b = dist::block_of(all.size(), comm.size(), comm.rank());
  TextRows rows;
  std::vector<int32_t> votes;
  for (uint64_t i = b.begin; i < b.end; ++i) {
    rows.texts.push_back(all[i].title);
    for (const auto& [text, entity] : all[i].read)
      rows.mentions.push_back(mention_in(all[i].title, text, entity));
    rows.mention_offsets.push_back(static_cast<int64_t>(rows.mentions.size()));
    votes.push_back(all[i].vote);
  }
  const auto d = dict();
  const DictMatcher matcher(d);
  PhraseRuleStats st;
  const auto rules =
      mine_phrase_rules(comm, {&rows, &votes}, matcher, d.size(), PhraseRuleOptions{}, st);
  std::vector<std::pair<std::u32string, std::u32string>> got;
  for (const auto& r : rules) got.emplace_back(r.from, r.to);
  // "yuki makeup egg" is right, and kept beside "makeup egg": it has too few of its votes to drop
  // it.
  const std::vector<std::pair<std::u32string, std::u32string>> want = {
      {U"makeup egg", U"makeup sponge"},
      {U"phone cradle", U"phone holder"},
      {U"phone cradle", U"phone stand"},
      {U"yuki makeup egg", U"makeup sponge"},
      {U"帽衫", U"卫衣"},
      {U"帽衫", U"连帽衫"}};
  EXPECT_EQ(got, want);
  ASSERT_EQ(rules.size(), want.size());
  EXPECT_EQ(rules[1].support, 4);  // the kids phone holder item votes phone holder too
  EXPECT_EQ(rules[1].observations, 4);
  EXPECT_EQ(rules[0].support, 5);
  EXPECT_EQ(st.rules, 4);
  EXPECT_GE(st.rejected_lift, 1);     // "t-shirt size"
  EXPECT_GE(st.rejected_context, 2);  // "yuki makeup", "pet choker"
  EXPECT_GE(st.dominated, 2);  // "cradle" in "phone cradle", "egg" and "makeup" in "makeup egg"
}

}  // namespace
}  // namespace kerec::extract
