#include "kerec/pipeline/stage_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {
namespace {

using Tables = std::vector<std::string>;

TEST(StageConfig, RecordsEveryTableReadButRunAndLog) {
  JobConfig job;
  StageConfig config(job);
  (void)config.run(), (void)config.log(), (void)config.config_sha256();
  EXPECT_EQ(config.tables_read(), Tables{});
  (void)config.llm(), (void)config.serving();
  EXPECT_EQ(config.tables_read(), (Tables{"llm", "export"}));
  (void)config.to_toml({"train", "eei"});
  EXPECT_EQ(config.tables_read(), (Tables{"llm", "train", "eei", "export"}));
}

TEST(StageConfig, AnUndeclaredReadFailsNamingTheStageTableAndFile) {
  const auto dir = std::filesystem::temp_directory_path() / "kerec_stage_config_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "items.tsv") << "item_id\ttitle\n";
  JobConfig job;
  job.input.dir = dir.string();
  StageConfig config(job);
  (void)config.llm(), (void)config.world();
  const auto items = config.input_path("items.tsv");
  (void)config.input_path("not_there.tsv");  // asked for, but there is nothing to read
  EXPECT_EQ(config.tables_read(), (Tables{"input", "world", "llm"}));
  EXPECT_NO_THROW(config.require_declared("judge", {"input", "world", "llm"}, {items}));
  EXPECT_EQ(config.undeclared({"input", "llm"}), Tables{"world"});
  EXPECT_EQ(config.unlisted_files({}), Tables{items});
  try {
    config.require_declared("judge", {"input", "llm"}, {});
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "stage judge read what its fingerprint does not cover, so it could be reused after "
              "a change there:\n  config table [world], not in its config_sections()\n  input "
              "file " +
                  items + ", not in its input_files()");
  }
  std::filesystem::remove_all(dir);
}

TEST(StageConfig, EveryStageDeclaresOnlyTablesThatExist) {
  const auto& names = StageConfig::table_names();
  for (const auto& stage : all_stages())
    for (const auto& table : stage->config_sections())
      EXPECT_NE(std::find(names.begin(), names.end(), table), names.end())
          << stage->name() << " declares [" << table << "]";
}

}  // namespace
}  // namespace kerec::pipeline
