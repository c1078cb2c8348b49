// Atomic commit: write_file_atomic, StagingDir (commit, replacement, abandonment) and the crash
// states find_committed resolves.
#include "kerec/io/atomic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kerec/util/error.h"

namespace kerec::io {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class AtomicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("kerec_atomic_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Names in dir_, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static void put(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  fs::path dir_;
};

TEST_F(AtomicTest, WriteFileAtomicCreatesAndReplacesWithoutLeavingTemporaries) {
  const fs::path path = dir_ / "manifest.json";
  write_file_atomic(path, "{\"v\": 1}\n");
  EXPECT_EQ(slurp(path), "{\"v\": 1}\n");
  write_file_atomic(path, std::string(100000, 'x'));
  EXPECT_EQ(slurp(path), std::string(100000, 'x'));
  write_file_atomic(path, "");
  EXPECT_EQ(slurp(path), "");
  EXPECT_THAT(entries(), ElementsAre("manifest.json"));
}

TEST_F(AtomicTest, StreamedWriteJoinsThePiecesAndAFailingProducerChangesNothing) {
  const fs::path path = dir_ / "model.ckpt";
  write_file_atomic_streamed(path, [](const AppendBytes& append) {
    for (int i = 0; i < 1000; ++i) append(std::to_string(i % 10));
  });
  EXPECT_EQ(slurp(path).size(), 1000u);
  EXPECT_EQ(slurp(path).substr(0, 12), "012345678901");
  EXPECT_THAT(
      [&] {
        write_file_atomic_streamed(path, [](const AppendBytes& append) {
          append("partial");
          throw std::runtime_error("producer failed");
        });
      },
      ::testing::ThrowsMessage<std::runtime_error>(HasSubstr("producer failed")));
  EXPECT_EQ(slurp(path).size(), 1000u);
  EXPECT_THAT(entries(), ElementsAre("model.ckpt"));
}

TEST_F(AtomicTest, WriteFileAtomicFailureNamesThePathAndLeavesNothingBehind) {
  const fs::path missing_dir = dir_ / "no_such_dir" / "x.json";
  EXPECT_THAT([&] { write_file_atomic(missing_dir, "abc"); },
              ::testing::ThrowsMessage<IoError>(::testing::AllOf(
                  HasSubstr(missing_dir.string()), HasSubstr("No such file or directory"))));

  // The rename fails because the target is a non-empty directory: the temporary must be removed.
  const fs::path occupied = dir_ / "occupied";
  fs::create_directories(occupied / "inside");
  EXPECT_THAT([&] { write_file_atomic(occupied, "abc"); },
              ::testing::ThrowsMessage<IoError>(HasSubstr("rename")));
  EXPECT_THAT(entries(), ElementsAre("occupied"));
  EXPECT_TRUE(fs::is_directory(occupied / "inside"));
}

TEST_F(AtomicTest, StagingDirCommitPublishesANewDirectory) {
  const fs::path final_path = dir_ / "graph";
  StagingDir staging(final_path);
  EXPECT_THAT(staging.path().filename().string(), StartsWith("graph.staging-"));
  EXPECT_TRUE(fs::is_directory(staging.path()));
  EXPECT_TRUE(fs::is_empty(staging.path()));
  EXPECT_FALSE(fs::exists(final_path));
  fs::create_directories(staging.path() / "shards");
  put(staging.path() / "graph.h5", "new graph");
  put(staging.path() / "shards" / "0.bin", "shard");

  staging.commit();
  EXPECT_TRUE(staging.committed());
  EXPECT_EQ(slurp(final_path / "graph.h5"), "new graph");
  EXPECT_EQ(slurp(final_path / "shards" / "0.bin"), "shard");
  EXPECT_THAT(entries(), ElementsAre("graph"));
  EXPECT_THROW(staging.commit(), std::logic_error);
}

TEST_F(AtomicTest, StagingDirCommitReplacesThePreviousVersion) {
  const fs::path final_path = dir_ / "model";
  fs::create_directories(final_path);
  put(final_path / "old_only.txt", "old");
  put(final_path / "weights", "old weights");
  fs::create_directories(dir_ / "model.old-stale");  // left by an earlier crash after step 3
  {
    StagingDir staging(final_path);
    put(staging.path() / "weights", "new weights");
    staging.commit();
  }
  EXPECT_EQ(slurp(final_path / "weights"), "new weights");
  EXPECT_FALSE(fs::exists(final_path / "old_only.txt"));
  EXPECT_THAT(entries(), ElementsAre("model"));
}

TEST_F(AtomicTest, AbandonedStagingDirIsRemovedAndTheOldVersionKept) {
  const fs::path final_path = dir_ / "model";
  fs::create_directories(final_path);
  put(final_path / "weights", "old weights");
  {
    StagingDir staging(final_path);
    put(staging.path() / "weights", "half written");
    EXPECT_THAT(entries(), ElementsAre("model", StartsWith("model.staging-")));
  }
  EXPECT_THAT(entries(), ElementsAre("model"));
  EXPECT_EQ(slurp(final_path / "weights"), "old weights");
}

TEST_F(AtomicTest, StagingDirsAreFreshAndMovable) {
  StagingDir a(dir_ / "x");
  StagingDir b(dir_ / "x");
  EXPECT_NE(a.path(), b.path());
  const fs::path a_path = a.path();
  StagingDir moved(std::move(a));
  EXPECT_EQ(moved.path(), a_path);
  put(moved.path() / "f", "1");
  moved.commit();
  EXPECT_EQ(slurp(dir_ / "x" / "f"), "1");

  const fs::path no_parent = dir_ / "missing" / "x";
  EXPECT_THAT([&] { StagingDir bad(no_parent); },
              ::testing::ThrowsMessage<IoError>(HasSubstr(no_parent.string() + ".staging-")));
}

TEST_F(AtomicTest, FindCommittedResolvesEveryCrashState) {
  const fs::path final_path = dir_ / "serving";
  EXPECT_EQ(find_committed(final_path), std::nullopt);  // nothing committed yet

  fs::create_directories(dir_ / "serving.staging-9-0-0");  // crash before the first commit
  EXPECT_EQ(find_committed(final_path), std::nullopt);

  fs::create_directories(dir_ / "serving.old-9-1-0");  // crash between the two renames
  EXPECT_EQ(find_committed(final_path), dir_ / "serving.old-9-1-0");

  fs::create_directories(final_path);  // crash after the new version was renamed into place
  EXPECT_EQ(find_committed(final_path), final_path);

  // The next commit cleans up the garbage next to the version it publishes.
  StagingDir staging(final_path);
  staging.commit();
  EXPECT_THAT(entries(), ElementsAre("serving", "serving.staging-9-0-0"));
}

TEST_F(AtomicTest, FsyncNamesThePathOnFailure) {
  put(dir_ / "f", "data");
  fsync_path(dir_ / "f");
  fsync_dir(dir_);
  EXPECT_THAT([&] { fsync_path(dir_ / "missing"); },
              ::testing::ThrowsMessage<IoError>(HasSubstr((dir_ / "missing").string())));
  EXPECT_THAT([&] { fsync_dir(dir_ / "f"); },
              ::testing::ThrowsMessage<IoError>(HasSubstr("Not a directory")));
}

}  // namespace
}  // namespace kerec::io
