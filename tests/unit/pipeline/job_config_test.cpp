#include "kerec/pipeline/job_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kerec/dist/local_comm.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {
namespace {

TEST(JobConfig, EmbeddedDemoJobLoadsAndOverridesApply) {
  dist::LocalComm comm;
  JobConfig job = load_job(comm, "", {"world.scale=0.5", "input.on_bad_row=skip"});
  EXPECT_EQ(job.run.dir, "runs/demo");
  EXPECT_DOUBLE_EQ(job.world.scale, 0.5);
  EXPECT_EQ(job.input.on_bad_row, "skip");
  EXPECT_EQ(job.input_path("items.tsv"), job.world.dir + "/items.tsv");
}

TEST(JobConfig, BadOverrideIsAConfigErrorOnEveryRank) {
  dist::LocalComm comm;
  try {
    load_job(comm, "", {"input.on_bad_row=maybe"});
    FAIL() << "expected an error";
  } catch (const RemoteError& e) {
    EXPECT_TRUE(e.config_error());
    EXPECT_NE(std::string(e.what()).find("key 'input.on_bad_row' has value 'maybe'"),
              std::string::npos);
  }
}

TEST(JobConfig, EffectiveTomlRoundTrips) {
  dist::LocalComm comm;
  JobConfig job = load_job(comm, "", {"world.seed=7"});
  const std::string path = testing::TempDir() + "/effective.toml";
  std::ofstream(path) << job.to_toml();
  JobConfig again = load_job(comm, path, {});
  EXPECT_EQ(again.to_toml(), job.to_toml());
  EXPECT_EQ(again.world.seed, 7);
}

TEST(JobConfig, DocsConfigMdIsCurrent) {
  std::ifstream in(std::string(KEREC_SOURCE_DIR) + "/docs/config.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), config_reference()) << "docs/config.md is stale: regenerate it with "
                                               "`build/kerec config --reference > docs/config.md`";
}

TEST(RunDir, ManifestRecordsStagesAtomically) {
  const std::string root = testing::TempDir() + "/rundir_test";
  std::filesystem::remove_all(root);
  RunDir run(root);
  run.create();
  EXPECT_TRUE(run.manifest().empty());
  run.record("ingest", {{"fingerprint", "abc"}});
  EXPECT_FALSE(run.committed("ingest"));  // recorded, but its folder does not exist
  std::filesystem::create_directories(run.stage_path("ingest"));
  ASSERT_TRUE(run.committed("ingest"));
  EXPECT_EQ(run.committed("ingest")->at("fingerprint"), "abc");
  std::ofstream(root + "/manifest.json") << "{ not json";
  EXPECT_THROW(run.manifest(), InputError);
}

}  // namespace
}  // namespace kerec::pipeline
