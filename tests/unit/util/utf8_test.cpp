#include "kerec/util/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kerec/util/error.h"

namespace kerec::utf8 {
namespace {

// Encodes with an explicit byte count, so the test can build overlong forms on purpose.
std::string encode_with_length(char32_t cp, int length) {
  if (length == 1) return std::string(1, static_cast<char>(cp));
  static const unsigned char kLead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
  std::string out(static_cast<size_t>(length), '\0');
  for (int k = length - 1; k > 0; --k) {
    out[static_cast<size_t>(k)] = static_cast<char>(0x80 | (cp & 0x3F));
    cp >>= 6;
  }
  out[0] = static_cast<char>(kLead[length] | cp);
  return out;
}

TEST(Utf8, ValidTextOfEveryLength) {
  EXPECT_TRUE(is_valid(""));
  EXPECT_TRUE(is_valid("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(is_valid("caf\xC3\xA9"));                           // é
  EXPECT_TRUE(is_valid("\xE6\x89\x8B\xE6\x9C\xBA\xE5\xA3\xB3"));  // 手机壳
  EXPECT_TRUE(is_valid("\xF0\x9F\x93\xB1 phone"));                // U+1F4F1
  EXPECT_TRUE(is_valid("\xF4\x8F\xBF\xBF"));                      // U+10FFFF
  EXPECT_TRUE(is_valid("\xED\x9F\xBF"));                          // U+D7FF
  EXPECT_TRUE(is_valid("\xEE\x80\x80"));                          // U+E000
}

struct BadCase {
  const char* label;
  std::string text;
  size_t offset;
};

TEST(Utf8, IllFormedSequencesReportTheirOffset) {
  const std::vector<BadCase> cases = {
      {"stray continuation", "ab\x80", 2},
      {"overlong 2-byte C0", "\xC0\xAF", 0},
      {"overlong 2-byte C1", "x\xC1\xBF", 1},
      {"overlong 3-byte", "\xE0\x80\xAF", 0},
      {"overlong 3-byte upper edge", "\xE0\x9F\xBF", 0},
      {"overlong 4-byte", "\xF0\x8F\xBF\xBF", 0},
      {"surrogate high", "ok\xED\xA0\x80", 2},
      {"surrogate low", "\xED\xBF\xBF", 0},
      {"above U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"F5 lead", "\xF5\x80\x80\x80", 0},
      {"FF byte", "abcdefghij\xFF", 10},
      {"truncated 2-byte at end", "abc\xC3", 3},
      {"truncated 3-byte at end", "\xE6\x89", 0},
      {"truncated 4-byte at end", "\xF0\x9F\x93", 0},
      {"missing continuation", "\xC3(", 0},
      {"second error is not reported first", "\xC3\xA9\xC3(\x80", 2},
  };
  for (const BadCase& c : cases) {
    EXPECT_FALSE(is_valid(c.text)) << c.label;
    EXPECT_EQ(first_invalid(c.text), c.offset) << c.label;
    try {
      decode(c.text);
      ADD_FAILURE() << c.label << ": decode did not throw";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), "invalid UTF-8 at byte " + std::to_string(c.offset))
          << c.label;
    }
  }
}

TEST(Utf8, FastPathFindsABadByteAtEveryPosition) {
  for (size_t length = 1; length <= 40; ++length) {
    for (size_t bad = 0; bad < length; ++bad) {
      std::string text(length, 'a');
      text[bad] = '\x80';
      ASSERT_EQ(first_invalid(text), bad) << "length " << length;
    }
    EXPECT_EQ(first_invalid(std::string(length, 'a')), npos);
  }
}

TEST(Utf8, EveryScalarValueRoundTrips) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string bytes;
    append(bytes, cp);
    ASSERT_EQ(first_invalid(bytes), npos) << std::hex << static_cast<unsigned>(cp);
    const std::u32string back = decode(bytes);
    ASSERT_EQ(back.size(), 1u);
    ASSERT_EQ(back[0], cp);
  }
}

TEST(Utf8, EveryOverlongFormIsRejected) {
  const char32_t limits[] = {0, 0x80, 0x800, 0x10000};  // smallest code point needing 1..4 bytes
  for (int length = 2; length <= 4; ++length) {
    for (char32_t cp = 0; cp < limits[length - 1]; cp += 7) {
      const std::string bytes = encode_with_length(cp, length);
      ASSERT_EQ(first_invalid(bytes), 0u)
          << "length " << length << " cp " << static_cast<unsigned>(cp);
    }
  }
}

TEST(Utf8, EncodeRejectsSurrogatesAndOutOfRange) {
  std::string out = "keep";
  EXPECT_THROW(append(out, 0xD800), InputError);
  EXPECT_THROW(append(out, 0xDFFF), InputError);
  EXPECT_THROW(append(out, 0x110000), InputError);
  EXPECT_EQ(out, "keep");
  EXPECT_THROW(encode(U"a\U0010FFFF\xD800"), InputError);
}

TEST(Utf8, EncodeDecodeMixedScripts) {
  const std::u32string text = U"Phone \u624B\u673A\u58F3 caf\u00E9 \U0001F4F1";
  const std::string bytes = encode(text);
  EXPECT_EQ(bytes, "Phone \xE6\x89\x8B\xE6\x9C\xBA\xE5\xA3\xB3 caf\xC3\xA9 \xF0\x9F\x93\xB1");
  EXPECT_EQ(decode(bytes), text);
  EXPECT_EQ(decode(""), U"");
}

}  // namespace
}  // namespace kerec::utf8
