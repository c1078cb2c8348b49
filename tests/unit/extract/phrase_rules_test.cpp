#include "kerec/extract/phrase_rules.h"

#include <gtest/gtest.h>

namespace kerec::extract {
namespace {

TEST(Generalizations, SuffixesThatAreDictionaryStrings) {
  const auto dict =
      EntityDict::from_entities({{"0", "phone", {"cellphone"}, "phones", 2},
                                 {"1", "phone holder", {"phone stand"}, "phones", 3},
                                 {"2", "kids phone holder", {"kids cellphone stand"}, "phones", 4},
                                 {"3", "手机", {}, "phones", 5},
                                 {"4", "防摔手机", {}, "phones", 6}},
                                {});
  const DictMatcher m(dict);
  const auto gen = generalizations(m, dict.size());
  ASSERT_EQ(gen.size(), 5u);
  EXPECT_EQ(gen[0],
            (std::vector<int32_t>{0}));  // "cellphone" is one token: "phone" is no suffix of it
  EXPECT_EQ(gen[1], (std::vector<int32_t>{1}));     // "holder", "stand" are no dictionary strings
  EXPECT_EQ(gen[2], (std::vector<int32_t>{2, 1}));  // "phone holder"; "cellphone stand" is nothing
  EXPECT_EQ(gen[3], (std::vector<int32_t>{3}));
  EXPECT_EQ(gen[4], (std::vector<int32_t>{4, 3}));  // CJK suffixes are code points
}

}  // namespace
}  // namespace kerec::extract
