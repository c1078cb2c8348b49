// TsvReader: header checks, field validation, bad-row policies, line endings, typed access.
#include "kerec/io/tsv.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include "../../support/temp_dir_test.h"

#include <bit>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "kerec/util/error.h"

namespace kerec::io {
namespace {

namespace fs = std::filesystem;

const std::string kItemsHeader = "item_id\ttitle\tcategory\tprice\tcreated_at\n";
const std::string kTime = kTimeForms;

using TsvReaderTest = test::TempDirTest;

// Reads every row; each row as its schema columns' raw text joined by '|'.
std::vector<std::string> read_rows(TsvReader& reader) {
  std::vector<std::string> rows;
  TsvRow row;
  while (reader.next(row)) {
    std::string joined;
    for (size_t c = 0; c < reader.schema().columns.size(); ++c) {
      joined += (c ? "|" : "") + std::string(row.str(c));
    }
    rows.push_back(joined);
  }
  return rows;
}

// The message of the InputError thrown by `body`, or "<no error>".
std::string input_error(const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

struct BadRowCase {
  const char* label;
  std::string data_lines;  // after the items header
  std::string message;     // after "PATH:"
};

TEST_F(TsvReaderTest, EveryBadRowFailsWithFileLineColumnAndReason) {
  const std::string good = "i0\tphone\tdigital\t499\t1700000000\n";
  const std::vector<BadRowCase> cases = {
      {"too few fields", "i1\tphone\tdigital\t9.5\n", "2: expected 5 fields, found 4"},
      {"too many fields", good + "i1\ta\tb\t1\t2\t3\n", "3: expected 5 fields, found 6"},
      {"not a time", "i1\tphone\tdigital\t9.5\tabc\n",
       "2: column 'created_at': not a time: 'abc'; expected " + kTime},
      {"trailing junk", "i1\tphone\tdigital\t9.5\t17x\n",
       "2: column 'created_at': not a time: '17x'; expected " + kTime},
      {"plus sign", "i1\tphone\tdigital\t9.5\t+17\n",
       "2: column 'created_at': not a time: '+17'; expected " + kTime},
      {"leading space", "i1\tphone\tdigital\t9.5\t 17\n",
       "2: column 'created_at': not a time: ' 17'; expected " + kTime},
      {"integer overflow", "i1\tphone\tdigital\t9.5\t99999999999999999999\n",
       "2: column 'created_at': integer out of range: '99999999999999999999'"},
      {"nan", "i1\tphone\tdigital\tnan\t1\n", "2: column 'price': not a finite number: 'nan'"},
      {"inf", good + good + "i1\tphone\tdigital\tinf\t1\n",
       "4: column 'price': not a finite number: 'inf'"},
      {"huge double", "i1\tphone\tdigital\t1e999\t1\n",
       "2: column 'price': number out of range: '1e999'"},
      {"double junk", "i1\tphone\tdigital\t9.5EUR\t1\n",
       "2: column 'price': not a number: '9.5EUR'"},
      {"negative price", "i1\tphone\tdigital\t-1\t1\n", "2: column 'price': negative: '-1'"},
      {"empty title", "i1\t\tdigital\t1\t1\n", "2: column 'title': empty"},
      {"empty id", good + "\tphone\tdigital\t1\t1\n", "3: column 'item_id': empty"},
      {"invalid UTF-8", "i1\tph\xC3(ne\tdigital\t1\t1\n",
       "2: column 'title': invalid UTF-8 at byte 2 of the field"},
      {"overlong UTF-8", "i1\tphone\t\xC0\xAF\t1\t1\n",
       "2: column 'category': invalid UTF-8 at byte 0 of the field"},
      {"NUL byte", good + std::string("i1\tpho\0ne\tdigital\t1\t1\n", 22),
       "3: column 'title': contains a NUL byte"},
      {"blank line", good + "\n" + good, "3: blank line"},
      {"blank CRLF line", good + "\r\n", "3: blank line"},
      {"long value is cut", "i1\tphone\tdigital\t1\t" + std::string(100, '7') + "x\n",
       "2: column 'created_at': not a time: '" + std::string(40, '7') + "...'; expected " + kTime},
  };
  for (const BadRowCase& c : cases) {
    const std::string path = write("items.tsv", kItemsHeader + c.data_lines);
    TsvReader reader(path, items_schema());
    EXPECT_EQ(input_error([&] { read_rows(reader); }), path + ":" + c.message) << c.label;
  }
}

TEST_F(TsvReaderTest, BoolColumnsAcceptOnlyZeroAndOne) {
  const std::string header = "user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"yes", "column 'clicked': expected 0 or 1: 'yes'"},
      {"01", "column 'clicked': expected 0 or 1: '01'"},
      {"2", "column 'clicked': expected 0 or 1: '2'"},
      {"", "column 'clicked': empty"},
  };
  for (const auto& [value, message] : cases) {
    const std::string path =
        write("exposures.tsv", header + "u1\t5\ti1\thome\t" + value + "\t0\t0\n");
    TsvReader reader(path, exposures_schema());
    EXPECT_EQ(input_error([&] { read_rows(reader); }), path + ":2: " + message) << value;
  }
  const std::string path = write("ok.tsv", header + "u1\t5\ti1\thome\t1\t0\t12.5\n");
  TsvReader reader(path, exposures_schema());
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_TRUE(row.flag(exposures_schema().index("clicked")));
  EXPECT_FALSE(row.flag(exposures_schema().index("converted")));
  EXPECT_DOUBLE_EQ(row.f64(exposures_schema().index("amount")), 12.5);
}

TEST_F(TsvReaderTest, HeaderErrors) {
  const std::string missing = write("missing.tsv", "item_id\ttitle\tcategory\tcreated_at\n");
  EXPECT_EQ(input_error([&] { TsvReader(missing, items_schema()); }),
            missing +
                ":1: missing column 'price' (header has: item_id, title, category, "
                "created_at)");
  const std::string empty = write("empty.tsv", "");
  EXPECT_EQ(input_error([&] { TsvReader(empty, items_schema()); }),
            empty +
                ": empty file, expected header with columns item_id, title, category, "
                "price, created_at");
  const std::string blank = write("blank.tsv", "\n");
  EXPECT_EQ(input_error([&] { TsvReader(blank, items_schema()); }),
            blank +
                ":1: empty header line, expected columns item_id, title, category, price, "
                "created_at");
  const std::string twice =
      write("twice.tsv", "item_id\ttitle\tcategory\tprice\tcreated_at\ttitle\n");
  EXPECT_EQ(input_error([&] { TsvReader(twice, items_schema()); }),
            twice + ":1: duplicate column 'title'");
  const std::string bad = write("bad.tsv", "item_id\tti\xFFtle\n");
  EXPECT_EQ(input_error([&] { TsvReader(bad, items_schema()); }),
            bad + ":1: header: invalid UTF-8 at byte 10");
}

TEST_F(TsvReaderTest, MissingFileIsAnIoErrorNamingThePath) {
  const std::string path = (dir_ / "nope.tsv").string();
  try {
    TsvReader reader(path, items_schema());
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(TsvReader(dir_.string(), items_schema()), IoError);  // a directory
}

TEST_F(TsvReaderTest, CrlfAndMissingFinalNewline) {
  const std::string path = write("crlf.tsv",
                                 "item_id\ttitle\tcategory\tprice\tcreated_at\r\n"
                                 "i1\tphone\tdigital\t1.5\t10\r\n"
                                 "i2\tcase\tdigital\t2\t20");
  TsvReader reader(path, items_schema());
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.i64(4), 10);
  EXPECT_EQ(row.line(), 2);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(0), "i2");
  EXPECT_EQ(row.i64(4), 20);
  EXPECT_EQ(row.line(), 3);
  EXPECT_FALSE(reader.next(row));
  EXPECT_FALSE(reader.next(row));  // stays at the end
  EXPECT_EQ(reader.stats().rows_ok, 2);
  EXPECT_EQ(reader.stats().bytes_read, static_cast<int64_t>(fs::file_size(path)));
}

// A UTF-8 byte order mark before the header (Excel and Notepad write one) is not part of a name.
TEST_F(TsvReaderTest, AByteOrderMarkBeforeTheHeaderIsSkipped) {
  const std::string path =
      write("bom.tsv", "\xEF\xBB\xBF" + kItemsHeader + "i1\tphone\tdigital\t1.5\t10\n");
  TsvReader reader(path, items_schema());
  EXPECT_EQ(read_rows(reader), std::vector<std::string>{"i1|phone|digital|1.5|10"});
}

TEST_F(TsvReaderTest, ExtraColumnsInAnyOrderAreIgnored) {
  const std::string path = write("extra.tsv",
                                 "created_at\tnote\tprice\ttitle\titem_id\tcategory\tjunk\n"
                                 "10\tfree text\t2.25\tphone\ti1\tdigital\t\xFF\xFE\n");
  TsvReader reader(path, items_schema());
  EXPECT_EQ(reader.stats().extra_columns, (std::vector<std::string>{"note", "junk"}));
  const TsvSchema& s = items_schema();
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(s.index("item_id")), "i1");
  EXPECT_EQ(row.str(s.index("title")), "phone");
  EXPECT_EQ(row.str(s.index("category")), "digital");
  EXPECT_DOUBLE_EQ(row.f64(s.index("price")), 2.25);
  EXPECT_EQ(row.i64(s.index("created_at")), 10);
  EXPECT_EQ(row.offset(), 50u);  // the header is 50 bytes
  EXPECT_FALSE(reader.next(row));
}

TEST_F(TsvReaderTest, TypedAccessAndSchemaLookup) {
  const std::string path = write("entities.tsv",
                                 "entity_id\tname\taliases\tcategory\n"
                                 "e1\t\xE6\x89\x8B\xE6\x9C\xBA\tmobile|cellphone\tdigital\n"
                                 "e2\tcoffee\t\tfood\n");
  const TsvSchema& s = entities_schema();
  TsvReader reader(path, s);
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(s.index("name")), "\xE6\x89\x8B\xE6\x9C\xBA");
  EXPECT_EQ(row.str(s.index("aliases")), "mobile|cellphone");
  EXPECT_THROW(row.i64(s.index("name")), std::logic_error);
  EXPECT_THROW(row.str(17), std::out_of_range);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(s.index("aliases")), "");  // allow_empty
  EXPECT_THROW(s.index("nope"), std::out_of_range);
  EXPECT_EQ(items_schema().index("created_at"), 4u);
  EXPECT_THROW(TsvRow().str(0), std::logic_error);
}

// Numbers read back bit-for-bit as std::from_chars parses them, across the reader's fast paths
// (short plain decimals) and its fallback (exponents, long mantissas, extreme integers).
TEST_F(TsvReaderTest, NumbersParseExactlyLikeFromChars) {
  std::vector<std::string> prices = {"0",
                                     "-0",
                                     "0.1",
                                     ".5",
                                     "-.5",
                                     "1.",
                                     "007.50",
                                     "1e3",
                                     "1E-3",
                                     "2.5e+2",
                                     "123456789012345",
                                     "1234567890123456",
                                     "0.30000000000000004",
                                     "9007199254740993",
                                     "4.9e-324",
                                     "1.7976931348623157e308",
                                     "99.99",
                                     "0.000001"};
  std::vector<std::string> times = {
      "0", "-1", "123456789012345678", "9223372036854775807", "-9223372036854775808", "0001"};
  uint64_t state = 12345;
  for (int i = 0; i < 2000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const uint64_t digits = state >> 20;
    const int scale = static_cast<int>((state >> 8) % 18);
    std::string text = std::to_string(digits % 100000000000000000ULL);
    if (scale > 0 && static_cast<size_t>(scale) < text.size()) {
      text.insert(text.size() - static_cast<size_t>(scale), ".");
    }
    prices.push_back(text);
    times.push_back(std::to_string(static_cast<int64_t>(state)));
  }
  std::string content = "item_id\ttitle\tcategory\tprice\tcreated_at\n";
  const TsvSchema schema{"numbers",
                         {{"item_id"},
                          {"title"},
                          {"category"},
                          {"price", ColumnType::kDouble},
                          {"created_at", ColumnType::kInt64}}};
  const size_t rows = std::max(prices.size(), times.size());
  for (size_t i = 0; i < rows; ++i) {
    content += "i\tt\tc\t" + prices[i % prices.size()] + "\t" + times[i % times.size()] + "\n";
  }
  TsvReader reader(write("numbers.tsv", content), schema);
  TsvRow row;
  for (size_t i = 0; i < rows; ++i) {
    ASSERT_TRUE(reader.next(row));
    const std::string& price = prices[i % prices.size()];
    double want_price = 0;
    std::from_chars(price.data(), price.data() + price.size(), want_price);
    EXPECT_EQ(std::bit_cast<uint64_t>(row.f64(3)), std::bit_cast<uint64_t>(want_price)) << price;
    const std::string& time = times[i % times.size()];
    int64_t want_time = 0;
    std::from_chars(time.data(), time.data() + time.size(), want_time);
    EXPECT_EQ(row.i64(4), want_time) << time;
  }
}

TEST_F(TsvReaderTest, TimeColumnsTakeUnixSecondsOrIso8601RowByRow) {
  const std::vector<std::pair<std::string, int64_t>> good = {
      {"1796651100", 1796651100},
      {"-86400", -86400},
      {"2026-12-07", 1796601600},
      {"2026-12-07T13:45", 1796651100},
      {"2026-12-07T13:45:00", 1796651100},
      {"2026-12-07 13:45:00", 1796651100},
      {"2026-12-07T13:45:00Z", 1796651100},
      {"2026-12-07T13:45:00.999Z", 1796651100},
      {"2026-12-07T21:45:00+08:00", 1796651100},
      {"2026-12-07T21:45:00+0800", 1796651100},
      {"2026-12-07T21:45:00+08", 1796651100},
      {"2026-12-07T08:15:00-05:30", 1796651100},
      {"1970-01-01T00:00:00Z", 0},
      {"2024-02-29", 1709164800},
      {"1969-12-31T23:59:59Z", -1},
  };
  std::string content = kItemsHeader;
  for (const auto& [text, seconds] : good) content += "i\tt\tc\t1\t" + text + "\n";
  TsvReader reader(write("items.tsv", content), items_schema());
  TsvRow row;
  for (const auto& [text, seconds] : good) {
    ASSERT_TRUE(reader.next(row)) << text;
    EXPECT_EQ(row.i64(4), seconds) << text;
  }
  for (const std::string bad :
       {"2026-02-29", "2026-13-01", "2026-12-00", "2026-12-07T24:00", "2026-12-07T13:60",
        "2026-12-07T", "2026-12-07T13", "2026/12/07", "2026-12-7", "2026-12-07T13:45:00+8",
        "2026-12-07T13:45:00.", "2026-12-07T13:45:00+24:00", "26-12-07", "yesterday"}) {
    const std::string path =
        write("bad.tsv", kItemsHeader + "i\tt\tc\t1\t1\ni\tt\tc\t1\t" + bad + "\n");
    TsvReader bad_reader(path, items_schema());
    EXPECT_EQ(input_error([&] { read_rows(bad_reader); }),
              path + ":3: column 'created_at': not a time: '" + bad + "'; expected " + kTime)
        << bad;
  }
}

TEST_F(TsvReaderTest, AllowedEmptyFieldsOfEveryTypeReadAsZero) {
  const TsvSchema schema{"optional",
                         {{"s", ColumnType::kString, true},
                          {"i", ColumnType::kInt64, true},
                          {"d", ColumnType::kDouble, true},
                          {"b", ColumnType::kBool01, true}}};
  TsvReader reader(write("optional.tsv", "s\ti\td\tb\n\t\t\t\nx\t-3\t2.5\t1\n"), schema);
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(0), "");
  EXPECT_EQ(row.str(1), "");
  EXPECT_EQ(row.i64(1), 0);
  EXPECT_EQ(row.f64(2), 0.0);
  EXPECT_FALSE(row.flag(3));
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.i64(1), -3);
  EXPECT_EQ(row.f64(2), 2.5);
  EXPECT_TRUE(row.flag(3));
  EXPECT_FALSE(reader.next(row));
}

TEST_F(TsvReaderTest, SkipModeKeepsEveryGoodRowAndCountsTheBadOnes) {
  std::string content = kItemsHeader;
  std::vector<std::string> expected;
  for (int i = 0; i < 60; ++i) {
    if (i % 3 == 1) {
      content += "i" + std::to_string(i) + "\tx\tc\tbad\t1\n";
    } else {
      content += "i" + std::to_string(i) + "\tx\tc\t1\t" + std::to_string(i) + "\n";
      expected.push_back("i" + std::to_string(i) + "|x|c|1|" + std::to_string(i));
    }
  }
  const std::string path = write("skip.tsv", content);
  TsvReader reader(path, items_schema(), {BadRowPolicy::Mode::kSkip, 20});
  EXPECT_EQ(read_rows(reader), expected);
  EXPECT_EQ(reader.stats().rows_ok, 40);
  EXPECT_EQ(reader.stats().rows_skipped, 20);
  ASSERT_EQ(reader.stats().skipped_messages.size(), kMaxSkippedMessages);
  EXPECT_EQ(reader.stats().skipped_messages[0], path + ":3: column 'price': not a number: 'bad'");
  EXPECT_EQ(reader.stats().skipped_messages[19], path + ":60: column 'price': not a number: 'bad'");
}

TEST_F(TsvReaderTest, SkipBudgetExceededThrowsWithCountAndFirstMessage) {
  std::string content = kItemsHeader + "i0\tx\tc\t1\t1\n";
  for (int i = 0; i < 10; ++i) content += "short\n";
  const std::string path = write("budget.tsv", content);
  TsvReader reader(path, items_schema(), {BadRowPolicy::Mode::kSkip, 3});
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(input_error([&] { reader.next(row); }),
            path +
                ": skip budget exceeded: 4 bad rows skipped, more than max_skipped = 3; "
                "first: " +
                path + ":3: expected 5 fields, found 1");
  TsvReader none(path, items_schema(), {BadRowPolicy::Mode::kSkip, 0});
  EXPECT_NE(input_error([&] { read_rows(none); }).find("skip budget exceeded: 1 bad rows"),
            std::string::npos);
}

TEST_F(TsvReaderTest, LinesLongerThanTheBuffer) {
  const std::string long_title(3 * 1024 * 1024 + 17, 'L');
  const std::string path =
      write("long.tsv", kItemsHeader + "i1\t" + long_title + "\tc\t1\t1\n" +
                            "i2\tshort\tc\t2\t2\n" + "i3\t" + long_title + "\tc\t3\t3");
  TsvReader reader(path, items_schema());
  TsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(1).size(), long_title.size());
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(1), "short");
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.str(1).size(), long_title.size());
  EXPECT_EQ(row.i64(4), 3);
  EXPECT_EQ(row.line(), 4);
  EXPECT_FALSE(reader.next(row));
}

TEST_F(TsvReaderTest, MislabelledAndCorruptGzip) {
  const std::string plain = write("plain.tsv.gz", kItemsHeader);
  EXPECT_NE(input_error([&] { TsvReader(plain, items_schema()); }).find("not gzip-compressed"),
            std::string::npos);
  const std::string corrupt = write("corrupt.tsv.gz", std::string("\x1f\x8b\x08\x00garbage", 11));
  EXPECT_NE(input_error([&] {
              read_rows(*std::make_unique<TsvReader>(corrupt, items_schema()));
            }).find(corrupt + ": "),
            std::string::npos);
}

TEST_F(TsvReaderTest, ProgrammingErrorsAreInvalidArguments) {
  const std::string path = write("x.tsv", kItemsHeader);
  EXPECT_THROW(TsvReader(path, items_schema(), {}, 2, 2), std::invalid_argument);
  EXPECT_THROW(TsvReader(path, items_schema(), {}, -1, 2), std::invalid_argument);
  EXPECT_THROW(TsvReader(path, items_schema(), {}, 0, 0), std::invalid_argument);
  EXPECT_THROW(TsvReader(path, TsvSchema{"none", {}}), std::invalid_argument);
  EXPECT_THROW(TsvReader(path, TsvSchema{"twice", {{"item_id"}, {"item_id"}}}),
               std::invalid_argument);
}

TEST(CheckSkippedTotal, TheBudgetHoldsForTheWholeFile) {
  BadRowPolicy skip{BadRowPolicy::Mode::kSkip, 2, "input.max_bad_rows"};
  EXPECT_NO_THROW(check_skipped_total(skip, 2, "x/exposures.tsv"));
  try {
    check_skipped_total(skip, 3, "x/exposures.tsv");
    FAIL() << "no error over the budget";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "x/exposures.tsv: 3 bad rows over all ranks, more than input.max_bad_rows = 2");
  }
  EXPECT_NO_THROW(
      check_skipped_total(BadRowPolicy{}, 3, "x/exposures.tsv"));  // kFail stopped at the first row
}

}  // namespace
}  // namespace kerec::io
