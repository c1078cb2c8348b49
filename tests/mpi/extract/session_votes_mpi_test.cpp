// Session votes at 1, 2 and 4 ranks: items split in blocks, exposures read in byte ranges, so a
// session's rows land on different ranks before the exchange; every rank count gives the same
// votes.
#include "kerec/extract/session_votes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"

namespace kerec::extract {
namespace {

namespace fs = std::filesystem;

// i0..i4 and i9 are readable; i5..i8 are asked about.
const std::vector<std::vector<int32_t>> kReadable = {{1}, {1}, {2}, {2}, {3},
                                                     {},  {},  {},  {},  {1, 2}};

void write_exposures(const fs::path& path) {
  std::ofstream out(path);
  out << "user_id\tts\titem_id\tscene\tclicked\tconverted\tamount\n";
  auto row = [&](const char* user, int ts, const char* item, const char* scene) {
    out << user << '\t' << ts << '\t' << item << '\t' << scene << "\t0\t0\t0.00\n";
  };
  // Interleaved users so that every rank's byte range holds parts of several sessions.
  row("u1", 100, "i0", "search"), row("u2", 500, "i3", "search"), row("u3", 100, "i0", "search");
  row("u1", 110, "i5", "search"), row("u2", 510, "i6", "search"), row("u3", 110, "i7", "search");
  row("u1", 120, "i1", "search"), row("u2", 520, "i2", "search"), row("u3", 120, "i2", "search");
  row("u1", 130, "i0", "search"), row("u4", 100, "i0", "home"), row("u4", 110, "i8", "home");
  row("u1", 1000, "i2", "search"), row("u4", 120, "i1", "home"), row("u4", 300, "i8", "search");
  row("u1", 1010, "i6", "search"), row("u4", 400, "i4", "search"),
      row("u5", 100, "unknown", "search");
}

// Every rank's block of the items; all items ask when `all_ask`, else the unread ones. Returns the
// votes of all items, gathered.
std::vector<int32_t> vote_all(bool all_ask, SessionVoteStats& st) {
  dist::Comm& comm = kerec::test::comm();
  const fs::path dir = fs::temp_directory_path() / ("kerec-votes-np" + std::to_string(comm.size()));
  if (comm.rank() == 0) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    write_exposures(dir / "exposures.tsv");
  }
  comm.barrier();
  const dist::Block b = dist::block_of(kReadable.size(), comm.size(), comm.rank());
  std::vector<std::string> ids;
  std::vector<std::vector<int32_t>> readable;
  std::vector<uint8_t> target;
  for (uint64_t i = b.begin; i < b.end; ++i) {
    ids.push_back("i" + std::to_string(i));
    readable.push_back(kReadable[i]);
    target.push_back(all_ask || kReadable[i].empty());
  }
  const auto mine =
      vote_item_entities(comm, {&ids, &readable, &target}, (dir / "exposures.tsv").string(), {},
                         SessionVoteOptions{}, st);
  comm.barrier();
  if (comm.rank() == 0) fs::remove_all(dir);
  return dist::allgatherv(comm, std::span<const int32_t>(mine));
}

TEST(SessionVotesMpi, SameVotesAtAnyRankCount) {
  SessionVoteStats st;
  const auto all = vote_all(false, st);
  // i5: three votes for 1 in u1's first session. i6: one vote for 2 with u1, two with u2 → 2.
  // i7: a tie of 1 and 2. i8: home scene, and its search exposure is alone in its session.
  const std::vector<int32_t> want = {-1, -1, -1, -1, -1, 1, 2, -1, -1, -1};
  EXPECT_EQ(all, want);
  EXPECT_EQ(st.exposure_rows, 18);
  EXPECT_EQ(st.exposures_used, 14);  // search rows of known items
  EXPECT_EQ(st.targets, 4);
  EXPECT_EQ(st.targets_with_votes, 3);
  EXPECT_EQ(st.decided, 2);
}

// Every item asks; a readable item's own exposures do not vote for it.
TEST(SessionVotesMpi, ReadableItemsAskWithoutTheirOwnVotes) {
  SessionVoteStats st;
  const auto all = vote_all(true, st);
  // i0: its own two exposures in u1's session leave one vote for 1, and u3's session one for 2: a
  // tie. i1: the two exposures of i0 vote 1. i3: u2's session has one other item of 2, too few
  // votes (with its own, it would have two).
  const std::vector<int32_t> want = {-1, 1, -1, -1, -1, 1, 2, -1, -1, -1};
  EXPECT_EQ(all, want);
  EXPECT_EQ(st.targets, 10);
  EXPECT_EQ(st.decided, 3);
}

}  // namespace
}  // namespace kerec::extract
