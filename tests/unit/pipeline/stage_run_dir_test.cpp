#include "kerec/pipeline/stage_run_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {
namespace {

using Names = std::vector<std::string>;

TEST(StageRunDir, GivesArtifactPathsAndRecordsEachRead) {
  const RunDir run("/runs/r1");
  const StageRunDir view(run);
  EXPECT_EQ(view.artifact(artifacts::kVerdicts),
            std::filesystem::path("/runs/r1/judge/verdicts.h5"));
  EXPECT_EQ(run.path(artifacts::kVerdicts), view.artifact(artifacts::kVerdicts));
  (void)view.artifact(artifacts::kEntities);
  EXPECT_EQ(view.undeclared({artifacts::kVerdicts}), std::vector<Artifact>{artifacts::kEntities});
  EXPECT_TRUE(view.undeclared({artifacts::kEntities, artifacts::kVerdicts}).empty());
}

TEST(StageRunDir, AnUndeclaredReadFailsNamingTheStageAndArtifact) {
  const RunDir run("/runs/r1");
  const StageRunDir view(run);
  (void)view.artifact(artifacts::kPairs), (void)view.artifact(artifacts::kEntities);
  EXPECT_NO_THROW(view.require_declared("judge", {artifacts::kEntities, artifacts::kPairs}));
  try {
    view.require_declared("judge", {artifacts::kEntities});
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "stage judge read what its fingerprint does not cover, so it could be reused after "
              "a change there:\n  artifact pairs/pairs.h5, not in its upstream_artifacts()");
  }
}

TEST(StageRunDir, UpstreamStagesFollowFromTheArtifactsInTheOrderFirstNamed) {
  EXPECT_EQ(stages_of({artifacts::kGraph, artifacts::kItems, artifacts::kEntities,
                       artifacts::kBaselineRanker, artifacts::kGraph}),
            (Names{"graph", "extract", "train"}));
  // The fingerprint hashes the upstream stages in this order: a change of order would rerun
  // committed stages for nothing.
  EXPECT_EQ(find_stage("extract")->upstream(), Names{"ingest"});
  EXPECT_EQ(find_stage("judge")->upstream(), (Names{"extract", "pairs"}));
  EXPECT_EQ(find_stage("integrate")->upstream(), (Names{"extract", "graph", "train"}));
  EXPECT_EQ(find_stage("ab")->upstream(), (Names{"graph", "train", "export"}));
}

TEST(StageRunDir, EveryStageReadsOnlyArtifactsOfStagesBeforeIt) {
  Names before;
  for (const auto& stage : all_stages()) {
    for (const auto& a : stage->upstream_artifacts())
      EXPECT_NE(std::find(before.begin(), before.end(), a.stage), before.end())
          << stage->name() << " reads " << a.name() << ", not written by an earlier stage";
    before.push_back(stage->name());
  }
}

}  // namespace
}  // namespace kerec::pipeline
