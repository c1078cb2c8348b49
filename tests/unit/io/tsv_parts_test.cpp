// TsvReader parts: for any number of parts, every data line is read by exactly one part, in file
// order, with correct line numbers, whatever the line lengths (including lines longer than the
// reader's 1 MiB buffer) and line endings.
#include <gtest/gtest.h>
#include <zlib.h>

#include <unistd.h>
#include "../../support/temp_dir_test.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kerec/io/tsv.h"
#include "kerec/util/rng.h"

namespace kerec::io {
namespace {

namespace fs = std::filesystem;

const std::string kHeader = "item_id\ttitle\tcategory\tprice\tcreated_at";

// A data line as the test sees it: its 1-based line number and its item id.
struct Line {
  int64_t line = 0;
  std::string id;
  bool operator==(const Line&) const = default;
};

struct FileSpec {
  int rows = 0;
  std::vector<size_t> long_title_bytes;  // titles of these lengths at spread-out rows
  bool crlf = false;
  bool final_newline = true;
  int blank_every = 0;  // > 0: a blank line (a bad row) after every n-th row
};

// Builds the file text and the good lines it holds.
std::string make_file(const FileSpec& spec, uint64_t seed, std::vector<Line>& good) {
  Rng rng(seed);
  const std::string eol = spec.crlf ? "\r\n" : "\n";
  std::string text = kHeader + eol;
  int64_t line = 2;
  for (int i = 0; i < spec.rows; ++i) {
    size_t title_bytes = 1 + rng.uniform_int(300);
    const size_t n_long = spec.long_title_bytes.size();
    for (size_t k = 0; k < n_long; ++k) {
      if (static_cast<size_t>(i) == (k + 1) * static_cast<size_t>(spec.rows) / (n_long + 1)) {
        title_bytes = spec.long_title_bytes[k];
      }
    }
    const std::string id = "i" + std::to_string(i);
    std::string title(title_bytes, static_cast<char>('a' + i % 26));
    if (title_bytes > 4 && i % 5 == 0) title.replace(1, 2, "\xC3\xA9");  // é: 2 bytes
    text += id + "\t" + title + "\tcat\t1.5\t" + std::to_string(i) + eol;
    good.push_back({line++, id});
    if (spec.blank_every > 0 && i % spec.blank_every == spec.blank_every - 1) {
      text += eol;
      ++line;
    }
  }
  if (!spec.final_newline) text.resize(text.size() - eol.size());
  return text;
}

using TsvSplitTest = test::TempDirTest;

std::vector<Line> read_part(const std::string& path, int part, int parts, TsvStats* stats = nullptr,
                            BadRowPolicy policy = {}) {
  TsvReader reader(path, items_schema(), policy, part, parts);
  std::vector<Line> lines;
  TsvRow row;
  while (reader.next(row)) {
    lines.push_back({row.line(), std::string(row.str(0))});
    EXPECT_EQ(row.i64(4), std::stoll(lines.back().id.substr(1)));  // created_at = row index
  }
  if (stats) *stats = reader.stats();
  return lines;
}

// Parts 1..7 read back `good`, concatenated in part order, with no duplicates.
void expect_parts_cover(const std::string& path, const std::vector<Line>& good) {
  for (int parts = 1; parts <= 7; ++parts) {
    std::vector<Line> all;
    for (int part = 0; part < parts; ++part) {
      const std::vector<Line> lines = read_part(path, part, parts);
      all.insert(all.end(), lines.begin(), lines.end());
    }
    ASSERT_EQ(all.size(), good.size()) << "parts " << parts;
    EXPECT_TRUE(all == good) << "parts " << parts;
  }
}

TEST_F(TsvSplitTest, VariedLineLengthsIncludingLinesLongerThanTheBuffer) {
  std::vector<Line> good;
  const FileSpec spec{3000, {1536 * 1024, 5 * 1024 * 1024 / 2, 1024 * 1024}, false, true, 0};
  const std::string path = write("varied.tsv", make_file(spec, 7, good));
  expect_parts_cover(path, good);
}

TEST_F(TsvSplitTest, CrlfWithoutFinalNewline) {
  std::vector<Line> good;
  const std::string path = write("crlf.tsv", make_file({500, {1 << 21}, true, false, 0}, 11, good));
  expect_parts_cover(path, good);
}

TEST_F(TsvSplitTest, TinyFilesAndMoreRangesThanBytes) {
  std::vector<Line> good;
  expect_parts_cover(write("three.tsv", make_file({3, {}, false, true, 0}, 3, good)), good);
  good.clear();
  expect_parts_cover(write("one.tsv", make_file({1, {}, false, false, 0}, 3, good)), good);
  expect_parts_cover(write("header_only.tsv", kHeader + "\n"), {});
  expect_parts_cover(write("header_no_newline.tsv", kHeader), {});
  // A header longer than most parts' ranges: those parts own no line at all.
  const std::string wide = kHeader + "\t" + std::string(5000, 'x') + "\n" + "i0\tt\tc\t1\t0\tw\n";
  expect_parts_cover(write("wide_header.tsv", wide), {{2, "i0"}});
}

// With up to file-size + 2 parts, every byte offset is some part's range start and end, so lines
// beginning exactly at, just before and just after a boundary are all exercised.
TEST_F(TsvSplitTest, EveryByteOffsetAsABoundary) {
  std::string text = kHeader + "\n";
  std::vector<Line> good;
  for (int i = 0; i < 12; ++i) {
    text += "i" + std::to_string(i) + "\t" + std::string(static_cast<size_t>(1 + i % 4), 't') +
            "\tc\t1\t" + std::to_string(i) + "\n";
    good.push_back({i + 2, "i" + std::to_string(i)});
  }
  const std::string path = write("small.tsv", text);
  for (int parts = 1; parts <= static_cast<int>(text.size()) + 2; ++parts) {
    std::vector<Line> all;
    for (int part = 0; part < parts; ++part) {
      const std::vector<Line> lines = read_part(path, part, parts);
      all.insert(all.end(), lines.begin(), lines.end());
    }
    ASSERT_TRUE(all == good) << "parts " << parts;
  }
}

TEST_F(TsvSplitTest, PartsReadLittleMoreThanTheirOwnBytes) {
  std::vector<Line> good;
  const std::string path = write("big.tsv", make_file({60000, {}, false, true, 0}, 5, good));
  const auto size = static_cast<int64_t>(fs::file_size(path));
  ASSERT_GT(size, 8 << 20);
  for (int parts : {2, 3}) {
    for (int part = 0; part < parts; ++part) {
      TsvStats stats;
      read_part(path, part, parts, &stats);
      EXPECT_LT(stats.bytes_read, size / parts + (2 << 20)) << part << " of " << parts;
    }
  }
}

TEST_F(TsvSplitTest, BadRowsAreCountedOnceWithExactLineNumbers) {
  std::vector<Line> good;
  const std::string path = write("blank.tsv", make_file({400, {}, false, true, 50}, 9, good));
  for (int parts = 1; parts <= 7; ++parts) {
    int64_t skipped = 0;
    std::vector<Line> all;
    for (int part = 0; part < parts; ++part) {
      TsvStats stats;
      const std::vector<Line> lines =
          read_part(path, part, parts, &stats, {BadRowPolicy::Mode::kSkip, 100});
      all.insert(all.end(), lines.begin(), lines.end());
      skipped += stats.rows_skipped;
      for (const std::string& message : stats.skipped_messages) {
        // Blank lines follow rows 49, 99, ...: line 2 + 50k + (k - 1) + 50 for the k-th (1-based).
        const int64_t line = std::stoll(message.substr(path.size() + 1));
        EXPECT_EQ((line - 2) % 51, 50) << message;
        EXPECT_EQ(message, path + ":" + std::to_string(line) + ": blank line");
      }
    }
    EXPECT_EQ(skipped, 8) << "parts " << parts;
    EXPECT_TRUE(all == good) << "parts " << parts;
  }
}

// The same for gzip parts, which count the whole stream's lines first: a bad row is reported by
// the part that owns it, once, with its line number (CRLF line ends).
TEST_F(TsvSplitTest, GzipBadRowsAreCountedOnceWithExactLineNumbers) {
  std::vector<Line> good;
  const std::string text = make_file({400, {}, true, true, 50}, 9, good);
  const std::string path = (dir_ / "blank.tsv.gz").string();
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);
  for (int parts = 1; parts <= 7; ++parts) {
    int64_t skipped = 0;
    std::vector<Line> all;
    for (int part = 0; part < parts; ++part) {
      TsvStats stats;
      const std::vector<Line> lines =
          read_part(path, part, parts, &stats, {BadRowPolicy::Mode::kSkip, 100});
      all.insert(all.end(), lines.begin(), lines.end());
      skipped += stats.rows_skipped;
      for (const std::string& message : stats.skipped_messages) {
        const int64_t line = std::stoll(message.substr(path.size() + 1));
        EXPECT_EQ((line - 2) % 51, 50) << message;
      }
    }
    EXPECT_EQ(skipped, 8) << "parts " << parts;
    EXPECT_TRUE(all == good) << "parts " << parts;
  }
}

TEST_F(TsvSplitTest, GzipPartsReadContiguousBlocksOfLines) {
  std::vector<Line> good;
  const std::string text = make_file({2000, {1 << 21}, false, true, 0}, 13, good);
  const std::string path = (dir_ / "items.tsv.gz").string();
  {
    TsvWriter writer(path, {"item_id", "title", "category", "price", "created_at"});
    size_t at = text.find('\n') + 1;
    while (at < text.size()) {
      const size_t eol = text.find('\n', at);
      std::vector<std::string_view> fields;
      std::string_view line(text.data() + at, eol - at);
      for (size_t tab; (tab = line.find('\t')) != std::string_view::npos;) {
        fields.push_back(line.substr(0, tab));
        line.remove_prefix(tab + 1);
      }
      fields.push_back(line);
      writer.write_row(fields);
      at = eol + 1;
    }
    writer.close();
  }
  for (int parts = 1; parts <= 7; ++parts) {
    size_t total = 0;
    for (int part = 0; part < parts; ++part) {
      const size_t n = good.size(), begin = part * n / parts, end = (part + 1) * n / parts;
      const std::vector<Line> expected(good.begin() + static_cast<int64_t>(begin),
                                       good.begin() + static_cast<int64_t>(end));
      const std::vector<Line> lines = read_part(path, part, parts);
      EXPECT_TRUE(lines == expected) << part << " of " << parts;
      total += lines.size();
    }
    EXPECT_EQ(total, good.size());
  }
}

}  // namespace
}  // namespace kerec::io
