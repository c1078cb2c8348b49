// The run directory's safety net: committed files are checked against the sizes and XXH64s the
// manifest recorded (damage named per file), a file of another run is checked through that run's
// manifest, one job at a time holds the lock, and staging folders of dead jobs are removed.
#include "kerec/pipeline/run_dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace kerec::pipeline {
namespace {

namespace fs = std::filesystem;

struct TempRun {
  fs::path root =
      fs::temp_directory_path() / ("kerec-rundir-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  RunDir run{root};
  TempRun() {
    fs::remove_all(root);
    run.create();
    fs::create_directories(root / "judge" / "sub");
    std::ofstream(root / "judge" / "verdicts.h5") << std::string(5000, 'v');
    std::ofstream(root / "judge" / "sub" / "part.tsv") << "a\tb\n1\t2\n";
    run.record("judge", {{"fingerprint", "f"}, {"files", RunDir::digest_folder(root / "judge")}});
  }
  ~TempRun() { fs::remove_all(root); }
};

void overwrite(const fs::path& path, std::streamoff at, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(at);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(RunDir, CommittedFilesMatchUntilOneIsDamagedTruncatedOrRemoved) {
  TempRun t;
  EXPECT_EQ(t.run.damage("judge"), "");
  EXPECT_NO_THROW(t.run.verify("judge"));
  overwrite(t.root / "judge" / "verdicts.h5", 2000, std::string(64, '\0'));
  EXPECT_NE(t.run.damage("judge").find("verdicts.h5 has xxh64"), std::string::npos)
      << t.run.damage("judge");
  try {
    t.run.verify("judge");
    FAIL() << "expected DamagedArtifact";
  } catch (const DamagedArtifact& e) {
    EXPECT_NE(std::string(e.what()).find("kerec run --stages judge --force"), std::string::npos)
        << e.what();
  }
  fs::resize_file(t.root / "judge" / "sub" / "part.tsv", 3);
  EXPECT_NE(t.run.damage("judge").find("part.tsv has 3 bytes"), std::string::npos)
      << t.run.damage("judge");
  fs::remove(t.root / "judge" / "sub" / "part.tsv");
  EXPECT_NE(t.run.damage("judge").find("is missing"), std::string::npos) << t.run.damage("judge");
}

TEST(RunDir, AnEntryWithoutFilesIsNotChecked) {
  TempRun t;
  t.run.record("judge", {{"fingerprint", "f"}});  // as written by an older kerec
  overwrite(t.root / "judge" / "verdicts.h5", 0, "xx");
  EXPECT_EQ(t.run.damage("judge"), "");
}

TEST(RunDir, AFileOfARunIsCheckedThroughThatRunsManifest) {
  TempRun t;
  EXPECT_TRUE(verify_recorded_file(t.root / "judge" / "verdicts.h5"));
  std::ofstream(t.root / "judge" / "extra.txt") << "not recorded";
  EXPECT_FALSE(verify_recorded_file(t.root / "judge" / "extra.txt"));
  overwrite(t.root / "judge" / "verdicts.h5", 10, "!");
  EXPECT_THROW(verify_recorded_file(t.root / "judge" / "verdicts.h5"), DamagedArtifact);
}

// A child process (another job) cannot take the lock while this process holds it, and gets the
// holder's description; once released, it can.
TEST(RunLock, OneJobAtATime) {
  TempRun t;
  const auto child_tries = [&] {
    const pid_t pid = ::fork();
    if (pid == 0) {
      try {
        RunLock lock(t.run);
        ::_exit(0);
      } catch (const RunDirInUse& e) {
        ::_exit(std::string(e.what()).find("pid " + std::to_string(::getppid())) !=
                        std::string::npos
                    ? 3
                    : 4);
      } catch (...) {
        ::_exit(5);
      }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
  };
  {
    RunLock held(t.run);
    EXPECT_EQ(child_tries(), 3);
  }
  EXPECT_EQ(child_tries(), 0);
}

TEST(RunDir, StagingFoldersOfDeadJobsAreRemovedAndNothingElse) {
  TempRun t;
  fs::create_directories(t.root / "graph.staging-123-1-abcd" / "x");
  const auto removed = remove_stale_staging(t.run);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0], "graph.staging-123-1-abcd");
  EXPECT_FALSE(fs::exists(t.root / "graph.staging-123-1-abcd"));
  EXPECT_TRUE(fs::exists(t.root / "judge" / "verdicts.h5"));
}

}  // namespace
}  // namespace kerec::pipeline
