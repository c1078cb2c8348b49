// TsvReader parts on real ranks: rank r reads part r of comm.size() (and, for more boundaries, the
// parts r, r + size, ... of 2 * size + 1). Gathered in part order, the rows equal the whole file,
// each once, with exact line numbers; for gzip input too (contiguous blocks of lines).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/tsv.h"
#include "kerec/util/rng.h"

namespace kerec::io {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kColumns = {"item_id", "title", "category", "price", "created_at"};

struct Row {
  std::string id;
  std::string title;
};

// The same rows on every rank: varied title lengths, some longer than the reader's 1 MiB buffer.
std::vector<Row> make_rows(int count) {
  Rng rng(2024, "tsv_split_test");
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) {
    size_t title_bytes = 1 + rng.uniform_int(400);
    if (i % 700 == 350) title_bytes = (1 << 20) + rng.uniform_int(1 << 20);
    const auto letter = static_cast<char>('a' + i % 26);
    rows.push_back({"i" + std::to_string(i), std::string(title_bytes, letter)});
  }
  return rows;
}

void write_rows(const std::string& path, const std::vector<Row>& rows) {
  TsvWriter writer(path, kColumns);
  for (size_t i = 0; i < rows.size(); ++i) {
    writer.field(rows[i].id).field(rows[i].title).field("cat").field(0.5).field(i).end_row();
  }
  writer.close();
}

// "line:id\n" for every row of one part; the title length is checked on the way.
std::string read_part(const std::string& path, const std::vector<Row>& rows, int part, int parts) {
  TsvReader reader(path, items_schema(), {}, part, parts);
  std::string out;
  TsvRow row;
  while (reader.next(row)) {
    const auto index = static_cast<size_t>(row.i64(4));
    EXPECT_LT(index, rows.size());
    if (index < rows.size()) {
      EXPECT_EQ(row.str(1).size(), rows[index].title.size());
    }
    out += std::to_string(row.line()) + ":" + std::string(row.str(0)) + "\n";
  }
  return out;
}

std::string expected_lines(const std::vector<Row>& rows, size_t first, size_t step) {
  std::string out;
  for (size_t i = first; i < rows.size(); i += step) {
    out += std::to_string(i + 2) + ":" + rows[i].id + "\n";
  }
  return out;
}

class TsvSplitMpi : public ::testing::Test {
 protected:
  void SetUp() override {
    dist::Comm& comm = test::comm();
    std::string dir;
    if (comm.rank() == 0) {
      dir = (fs::temp_directory_path() / ("kerec_tsv_split_mpi_" + std::to_string(::getpid())))
                .string();
      fs::create_directories(dir);
      write_rows(dir + "/items.tsv", rows_);
      write_rows(dir + "/items.tsv.gz", rows_);
    }
    dist::broadcast_string(comm, dir, 0);
    dir_ = dir;
    comm.barrier();
  }
  void TearDown() override {
    test::comm().barrier();
    if (test::comm().rank() == 0) fs::remove_all(dir_);
  }

  const std::vector<Row> rows_ = make_rows(3000);
  std::string dir_;
};

TEST_F(TsvSplitMpi, OnePartPerRankCoversTheFileInOrder) {
  dist::Comm& comm = test::comm();
  const std::string mine = read_part(dir_ + "/items.tsv", rows_, comm.rank(), comm.size());
  const std::vector<std::string> all = dist::allgather_strings(comm, mine);
  std::string joined;
  for (const std::string& part : all) joined += part;
  EXPECT_EQ(joined, expected_lines(rows_, 0, 1));
}

TEST_F(TsvSplitMpi, SeveralPartsPerRankCoverTheFileInOrder) {
  dist::Comm& comm = test::comm();
  const int parts = 2 * comm.size() + 1;
  std::vector<std::string> by_part(static_cast<size_t>(parts));
  for (int round = 0; round * comm.size() < parts; ++round) {
    const int part = round * comm.size() + comm.rank();
    const std::string mine = part < parts ? read_part(dir_ + "/items.tsv", rows_, part, parts) : "";
    const std::vector<std::string> all = dist::allgather_strings(comm, mine);
    for (int r = 0; r < comm.size() && round * comm.size() + r < parts; ++r) {
      by_part[static_cast<size_t>(round * comm.size() + r)] = all[static_cast<size_t>(r)];
    }
  }
  std::string joined;
  for (const std::string& part : by_part) joined += part;
  EXPECT_EQ(joined, expected_lines(rows_, 0, 1));
}

TEST_F(TsvSplitMpi, GzipPartsReadContiguousBlocksInRankOrder) {
  dist::Comm& comm = test::comm();
  const std::string mine = read_part(dir_ + "/items.tsv.gz", rows_, comm.rank(), comm.size());
  std::string joined;
  for (const std::string& part : dist::allgather_strings(comm, mine)) joined += part;
  EXPECT_EQ(joined, expected_lines(rows_, 0, 1));
  const int64_t rows_here = static_cast<int64_t>(std::count(mine.begin(), mine.end(), '\n'));
  EXPECT_EQ(dist::allreduce_value<int64_t>(comm, rows_here, dist::ReduceOp::kSum),
            static_cast<int64_t>(rows_.size()));
}

}  // namespace
}  // namespace kerec::io
