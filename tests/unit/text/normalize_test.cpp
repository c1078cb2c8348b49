#include "kerec/text/normalize.h"

#include <gtest/gtest.h>

#include "kerec/text/similarity.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::text {
namespace {

std::string norm(std::string_view s) { return utf8::encode(normalize(s)); }

TEST(Normalize, FoldsCaseWidthWhitespaceAndPunctuation) {
  EXPECT_EQ(norm("Phone  Case"), "phone case");
  EXPECT_EQ(norm("ＰＨＯＮＥ　ＣＡＳＥ"),
            "phone case");  // full-width letters and ideographic space
  EXPECT_EQ(norm("E-Reader,"), "e reader");
  EXPECT_EQ(norm("e\u2010reader"), "e reader");  // Unicode hyphen
  EXPECT_EQ(norm("CAFÉ Crème"), "café crème");
  EXPECT_EQ(norm("  \t"), "");
}

TEST(Normalize, CjkIsOneTokenPerCodePointWithoutSpaces) {
  const auto tokens = tokenize_utf8("【新品】防摔手机壳M码");
  ASSERT_EQ(tokens.size(), 9u);  // 新 品 防 摔 手 机 壳, m, 码; the brackets separate
  EXPECT_EQ(tokens[7].text, U"m");
  EXPECT_EQ(norm("防摔 手机壳"), "防摔手机壳");
  EXPECT_EQ(norm("ｉＰｈｏｎｅ手机壳"), "iphone手机壳");
}

TEST(Normalize, SpansAreOriginalCodePoints) {
  const auto tokens = tokenize_utf8("Order #12: Phone-Case");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[2].begin, 11);
  EXPECT_EQ(tokens[3].end, 21);
  const auto cjk = tokenize_utf8("订单：手机壳");
  EXPECT_EQ(cjk[2].begin, 3);
  EXPECT_TRUE(cjk[2].cjk);
}

TEST(Normalize, RejectsInvalidUtf8) { EXPECT_THROW(tokenize_utf8("bad \xff byte"), InputError); }

TEST(Similarity, DiceOfPaddedNgrams) {
  EXPECT_DOUBLE_EQ(similarity(U"phone case", U"phone case"), 1.0);
  EXPECT_DOUBLE_EQ(similarity(U"abc", U"xyz"), 0.0);
  const double misspelt = similarity(U"phnoe case", U"phone case");
  EXPECT_GT(misspelt, 0.5);
  EXPECT_GT(misspelt, similarity(U"phnoe case", U"phone"));
  EXPECT_GT(similarity(U"奶油扔酪", U"奶油奶酪", {1, 2}), similarity(U"奶油扔酪", U"奶茶", {1, 2}));
}

TEST(Similarity, IndexFindsTheClosestStringDeterministically) {
  NgramIndex index;
  index.add(U"phone", 0);
  index.add(U"phone case", 1);
  index.add(U"rugged phone case", 2);
  index.add(U"rugged phone case", 3);  // a tie: the earlier string wins
  auto hit = index.best(U"rugged phnoe case");
  EXPECT_EQ(hit.id, 2);
  EXPECT_DOUBLE_EQ(hit.score, similarity(U"rugged phnoe case", U"rugged phone case"));
  EXPECT_EQ(index.best(U"phone caes").id, 1);
  EXPECT_EQ(index.best(U"zzz").id, -1);
}

}  // namespace
}  // namespace kerec::text
