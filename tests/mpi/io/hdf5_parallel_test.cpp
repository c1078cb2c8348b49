// Parallel HDF5 at 1, 2 and 4 ranks: collective writes of arrays spread unevenly over the ranks
// (one rank contributes nothing) read back serially in rank order, and distributed reads of serial
// files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/local_comm.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {
namespace {

namespace fs = std::filesystem;

// Rank 1 contributes nothing; the others contribute different lengths, each longer than the small
// chunk size used below, so chunks straddle rank boundaries.
uint64_t length_of(int rank) { return rank == 1 ? 0 : 300 + 170 * static_cast<uint64_t>(rank); }

uint64_t offset_of(int rank) {
  uint64_t offset = 0;
  for (int r = 0; r < rank; ++r) offset += length_of(r);
  return offset;
}

int64_t int_at(uint64_t i) { return static_cast<int64_t>(i * i % 1000003) - 500000; }
double real_at(uint64_t i) { return 0.25 * static_cast<double>(i) - 3.0; }

template <class T>
std::vector<T> values(uint64_t begin, uint64_t end, T (*at)(uint64_t)) {
  std::vector<T> out;
  for (uint64_t i = begin; i < end; ++i) out.push_back(at(i));
  return out;
}

class Hdf5Parallel : public ::testing::Test {
 protected:
  // Rank 0 makes a fresh directory and tells the others its name.
  void SetUp() override {
    std::string dir;
    if (comm().rank() == 0) {
      std::string pattern = (fs::temp_directory_path() / "kerec_h5_mpi_XXXXXX").string();
      if (::mkdtemp(pattern.data()) != nullptr) dir = pattern;
    }
    dist::broadcast_string(comm(), dir, 0);  // empty if rank 0 failed: every rank fails below
    ASSERT_FALSE(dir.empty()) << "mkdtemp failed on rank 0";
    dir_ = dir;
  }
  void TearDown() override {
    comm().barrier();  // nobody still uses the files
    if (comm().rank() == 0) fs::remove_all(dir_);
  }

  static dist::Comm& comm() { return test::comm(); }

  fs::path dir_;
};

H5D_layout_t layout_of(const Group& group, const char* name) {
  Handle dcpl(H5Dget_create_plist(group.open_dataset(name).id()), Kind::kPropertyList);
  return H5Pget_layout(dcpl.id());
}

int filters_of(const Group& group, const char* name) {
  Handle dcpl(H5Dget_create_plist(group.open_dataset(name).id()), Kind::kPropertyList);
  return H5Pget_nfilters(dcpl.id());
}

TEST_F(Hdf5Parallel, CollectiveWritesReadBackSeriallyInRankOrder) {
  const int rank = comm().rank();
  const uint64_t begin = offset_of(rank), end = begin + length_of(rank);
  const uint64_t total = offset_of(comm().size());
  const fs::path path = dir_ / "graph.h5";
  const std::vector<std::string> names = {"kettle", "grüner Tee", ""};
  {
    File file = File::create(path, &comm());
    write_root_attrs(file, {.schema = "graph", .schema_version = 1, .config_sha256 = "c0ffee"});
    const std::vector<int64_t> ints = values<int64_t>(begin, end, int_at);
    write_distributed<int64_t>(file, "comp/targets", ints, comm(), {.chunk_elems = 128});
    write_distributed<int64_t>(file, "comp/targets_one_chunk", ints, comm());
    write_distributed<double>(file, "comp/weights", values<double>(begin, end, real_at), comm());
    write_distributed<int32_t>(file, "empty", {}, comm());
    // Empty contiguous datasets have no storage; parallel HDF5 fails a transfer to one.
    write_distributed<float>(file, "empty_floats", {}, comm());
    write<double>(file, "empty_replicated", std::vector<double>{});
    // Replicated writes: the same data on every rank, stored once.
    write<int64_t>(file, "shard_index", std::vector<int64_t>{0, 10, 20});
    write_matrix<float>(file, "emb", std::vector<float>{1, 2, 3, 4, 5, 6}, 3, 2);
    write_strings(file, "names", names);
    set_attr(file.open_dataset("comp/weights"), "unit", "score");
  }

  File file = File::open_read(path);  // serial, on every rank at once
  const std::vector<int64_t> all_ints = values<int64_t>(0, total, int_at);
  EXPECT_EQ(read<int64_t>(file, "comp/targets"), all_ints);
  EXPECT_EQ(read<int64_t>(file, "comp/targets_one_chunk"), all_ints);
  EXPECT_EQ(read<double>(file, "comp/weights"), values<double>(0, total, real_at));
  EXPECT_TRUE(read<int32_t>(file, "empty").empty());
  EXPECT_TRUE(read<float>(file, "empty_floats").empty());
  EXPECT_TRUE(read<double>(file, "empty_replicated").empty());
  EXPECT_EQ(read<int64_t>(file, "shard_index"), (std::vector<int64_t>{0, 10, 20}));
  EXPECT_EQ(read_matrix<float>(file, "emb").data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(read_strings(file, "names"), names);
  EXPECT_EQ(
      read_strings(file, "names", 1, 2),
      std::vector<std::string>(names.begin() + 1, names.end()));  // fixed-length when parallel
  EXPECT_EQ(get_attr<std::string>(file.open_dataset("comp/weights"), "unit"), "score");
  EXPECT_EQ(read_root_attrs(file, "graph").config_sha256, "c0ffee");
  EXPECT_EQ(layout_of(file, "comp/targets"), H5D_CHUNKED);
  EXPECT_EQ(filters_of(file, "comp/targets"), 2);  // shuffle + deflate, written collectively
  EXPECT_EQ(layout_of(file, "comp/weights"), H5D_CONTIGUOUS);
  EXPECT_EQ(filters_of(file, "comp/weights"), 0);
}

// Each rank writes its own strings (rank 1 none, the others of different lengths); the file holds
// them in rank order, as write_strings would from all of them; a NUL byte on one rank fails all.
TEST_F(Hdf5Parallel, DistributedStringsReadBackInRankOrder) {
  const int rank = comm().rank();
  std::vector<std::string> mine, all;
  for (int r = 0; r < comm().size(); ++r)
    for (int i = 0; r != 1 && i < 3 + r; ++i) {
      const std::string s = "u" + std::to_string(r) + std::string(static_cast<size_t>(i), 'x');
      all.push_back(s);
      if (r == rank) mine.push_back(s);
    }
  const fs::path path = dir_ / "bills.h5";
  {
    File file = File::create(path, &comm());
    write_strings_distributed(file, "bills/user", mine, comm());
    write_strings_distributed(file, "none", {}, comm());
    std::vector<std::string> bad = mine;
    if (rank == comm().size() - 1) bad.push_back(std::string("a\0b", 3));
    EXPECT_THAT([&] { write_strings_distributed(file, "bad", bad, comm()); },
                ::testing::ThrowsMessage<Hdf5Error>(::testing::HasSubstr(
                    "of rank " + std::to_string(comm().size() - 1) + " contains a NUL byte")));
  }
  File file = File::open_read(path);
  EXPECT_EQ(read_strings(file, "bills/user"), all);
  EXPECT_TRUE(read_strings(file, "none").empty());
}

TEST_F(Hdf5Parallel, DistributedReadsGiveEvenBlocksOrTheRequestedRanges) {
  const uint64_t n = 1001;
  const fs::path path = dir_ / "serial.h5";
  if (comm().rank() == 0) {
    File file = File::create(path);
    write<int64_t>(file, "v", values<int64_t>(0, n, int_at), {.chunk_elems = 100});
    write<double>(file, "w", values<double>(0, n, real_at));
  }
  comm().barrier();

  const int rank = comm().rank();
  const dist::Block block = dist::block_of(n, comm().size(), rank);
  // Overlapping ranges, and nothing for rank 1.
  const uint64_t first = 100 * static_cast<uint64_t>(rank), count = rank == 1 ? 0 : 250;
  for (bool parallel : {true, false}) {
    SCOPED_TRACE(parallel ? "opened in parallel" : "opened serially by every rank");
    File file = File::open_read(path, parallel ? &comm() : nullptr);
    const std::vector<int64_t> mine = read_distributed<int64_t>(file, "v", comm());
    EXPECT_EQ(mine, values<int64_t>(block.begin, block.end, int_at));
    EXPECT_EQ(dist::allgatherv<int64_t>(comm(), mine), values<int64_t>(0, n, int_at));
    EXPECT_EQ(read_distributed<double>(file, "w", comm(), first, count),
              values<double>(first, first + count, real_at));
    EXPECT_THROW(read_distributed<double>(file, "w", comm(), n - 1, 2), Hdf5Error);
  }
}

TEST_F(Hdf5Parallel, DistributedWritesNeedTheFilesCommunicator) {
  if (comm().size() == 1) GTEST_SKIP() << "needs more than one rank";
  {
    // A serial file per rank cannot take a write spread over several ranks.
    File own = File::create(dir_ / ("rank" + std::to_string(comm().rank()) + ".h5"));
    EXPECT_THAT([&] { write_distributed<int64_t>(own, "v", std::vector<int64_t>{1}, comm()); },
                ::testing::ThrowsMessage<Hdf5Error>(
                    ::testing::HasSubstr("needs a file opened in parallel")));
  }
  File shared = File::create(dir_ / "shared.h5", &comm());
  dist::LocalComm local;
  EXPECT_THROW(write_distributed<int64_t>(shared, "v", std::vector<int64_t>{1}, local), Hdf5Error);
}

}  // namespace
}  // namespace kerec::io::h5
