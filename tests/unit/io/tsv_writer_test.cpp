// TsvWriter: plain and gzip round trips through TsvReader, refused fields, close semantics.
#include <gtest/gtest.h>

#include <unistd.h>
#include "../../support/temp_dir_test.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace kerec::io {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kExposureColumns = {"user_id", "ts",        "item_id", "scene",
                                                   "clicked", "converted", "amount"};

using TsvWriterTest = test::TempDirTest;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes rows with both APIs, reads them back and compares values.
void round_trip(const std::string& file, int rows) {
  TsvWriter writer(file, kExposureColumns);
  for (int i = 0; i < rows; ++i) {
    const double amount = i % 3 == 0 ? 0.1 * i + 1.0 / 3.0 : 0.0;
    if (i % 2 == 0) {
      writer.field("u" + std::to_string(i)).field(int64_t{1700000000} + i).field("it\xC3\xA9m");
      writer.field("home").field(i % 3 == 0).field(false).field(amount).end_row();
    } else {
      writer.write_row({"u" + std::to_string(i), std::to_string(1700000000 + i), "it\xC3\xA9m",
                        "home", "0", "0", "0"});
    }
  }
  EXPECT_EQ(writer.rows_written(), rows);
  writer.close();

  const TsvSchema& s = exposures_schema();
  TsvReader reader(file, s);
  TsvRow row;
  for (int i = 0; i < rows; ++i) {
    ASSERT_TRUE(reader.next(row)) << i;
    EXPECT_EQ(row.str(s.index("user_id")), "u" + std::to_string(i));
    EXPECT_EQ(row.i64(s.index("ts")), 1700000000 + i);
    EXPECT_EQ(row.str(s.index("item_id")), "it\xC3\xA9m");
    EXPECT_EQ(row.flag(s.index("clicked")), i % 2 == 0 && i % 3 == 0);
    const double amount = i % 2 == 0 && i % 3 == 0 ? 0.1 * i + 1.0 / 3.0 : 0.0;
    EXPECT_EQ(row.f64(s.index("amount")), amount) << "doubles round-trip exactly";
    EXPECT_EQ(row.line(), i + 2);
  }
  EXPECT_FALSE(reader.next(row));
}

TEST_F(TsvWriterTest, PlainRoundTrip) {
  round_trip(path("exposures.tsv"), 1000);
  EXPECT_EQ(slurp(path("exposures.tsv")).substr(0, 55),
            "user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\nu0\t17");
}

TEST_F(TsvWriterTest, GzipRoundTripBeyondTheBuffer) {
  const std::string file = path("exposures.tsv.gz");
  round_trip(file, 60000);  // several MiB of text: several buffer flushes
  const std::string bytes = slurp(file);
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  TsvReader reader(file, exposures_schema());
  EXPECT_TRUE(reader.gzip());
}

TEST_F(TsvWriterTest, RefusesBadFieldsAndDropsOnlyThatRow) {
  const std::string file = path("bills.tsv");
  TsvWriter writer(file, {"user_id", "ts", "text", "amount"});
  writer.write_row({"u1", "1", "coffee", "3.5"});
  EXPECT_THROW(writer.write_row({"u2", "2", "a\tb", "1"}), InputError);
  EXPECT_THROW(writer.write_row({"u2", "2", "a\nb", "1"}), InputError);
  EXPECT_THROW(writer.write_row({"u2", "2", "a\rb", "1"}), InputError);
  EXPECT_THROW(writer.write_row({"u2", "2", "\xFF", "1"}), InputError);
  EXPECT_THROW(writer.write_row({"u2", "2", "x"}), InputError);
  EXPECT_THROW(writer.write_row({"u2", "2", "x", "1", "extra"}), InputError);
  EXPECT_THROW(writer.field("u3").field(int64_t{3}).field("x").field(std::nan("")), InputError);
  try {
    writer.write_row({"u2", "2", "tab\there", "1"});
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              file + ": row 2 (line 3): field 3 contains a tab: 'tab\there'");
  }
  writer.field("u4").field(int64_t{4}).field("tea").field(-2.25).end_row();
  writer.field(std::string("u5")).field(uint64_t{5}).field("cake").field(7).end_row();
  writer.close();
  EXPECT_EQ(slurp(file),
            "user_id\tts\ttext\tamount\nu1\t1\tcoffee\t3.5\nu4\t4\ttea\t-2.25\n"
            "u5\t5\tcake\t7\n");
}

TEST_F(TsvWriterTest, CloseSemantics) {
  const std::string file = path("close.tsv");
  {
    TsvWriter writer(file, {"a", "b"});
    writer.write_row({"1", "2"});
  }  // the destructor closes and flushes
  EXPECT_EQ(slurp(file), "a\tb\n1\t2\n");

  TsvWriter writer(file, {"a", "b"});
  writer.field("only one");
  EXPECT_THROW(writer.close(), InputError);  // an unfinished row is reported, not written
  EXPECT_EQ(slurp(file), "a\tb\n");
  EXPECT_NO_THROW(writer.close());  // idempotent
  EXPECT_THROW(writer.write_row({"1", "2"}), std::logic_error);
}

TEST_F(TsvWriterTest, CreationErrors) {
  EXPECT_THROW(TsvWriter(path("no/such/dir/x.tsv"), {"a"}), IoError);
  EXPECT_THROW(TsvWriter(path("h.tsv"), {"a", "b\tc"}), InputError);
  EXPECT_THROW(TsvWriter(path("h.tsv"), {"a", ""}), InputError);
  EXPECT_THROW(TsvWriter(path("h.tsv"), {}), std::invalid_argument);
}

TEST_F(TsvWriterTest, PartWithoutHeaderAndFixedPointFields) {
  const std::string file = path("part.tsv");
  TsvWriter part(file, {"item", "price"}, TsvWriter::Header::kOmit);
  part.field("i1").fixed(9.999, 2).end_row();
  part.field("i2").fixed(-0.5, 4).end_row();
  EXPECT_THROW(part.field("i3").end_row(), InputError);  // the header still sets the field count
  part.close();
  EXPECT_EQ(slurp(file), "i1\t10.00\ni2\t-0.5000\n");
  EXPECT_EQ(part.rows_written(), 2);
}

TEST_F(TsvWriterTest, MoveAssignmentClosesTheOldFile) {
  TsvWriter first(path("first.tsv"), {"a"});
  first.write_row({"1"});
  first = TsvWriter(path("second.tsv"), {"b"});
  EXPECT_EQ(slurp(path("first.tsv")), "a\n1\n");
  first.write_row({"2"});
  first.close();
  EXPECT_EQ(slurp(path("second.tsv")), "b\n2\n");
}

}  // namespace
}  // namespace kerec::io
