// Checkpoints: round trip, atomic LATEST, and clear errors for another model, schema or garbage.
#include <gtest/gtest.h>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "kerec/train/checkpoint.h"
#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  const auto dir =
      fs::temp_directory_path() / ("kerec-ckpt-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

Checkpoint sample(int64_t step) {
  Checkpoint c;
  c.model = "ranker";
  c.model_sha256 = "abc";
  c.ranks = 2;
  c.step = step;
  c.epoch = 1;
  c.step_in_epoch = 3;
  c.dense = {1.5f, -2.0f};
  c.tables = {{0.25f, 0.5f}, {}};
  c.optimizer_step = step;
  c.optimizer_dense = {{0.1f, 0.2f}};
  c.step_losses = {0.7, 0.6};
  return c;
}

TEST(TrainCheckpoint, RoundTripAndLatest) {
  const auto dir = temp_dir("roundtrip");
  EXPECT_FALSE(latest_checkpoint(dir));
  for (int64_t step : {5, 10, 15}) save_checkpoint(dir, sample(step));
  const auto latest = latest_checkpoint(dir);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->filename(), "step-000000015.ckpt");
  const Checkpoint c = read_checkpoint(*latest, "ranker");
  EXPECT_EQ(c.step, 15);
  EXPECT_EQ(c.dense, sample(15).dense);
  EXPECT_EQ(c.tables, sample(15).tables);
  EXPECT_EQ(c.optimizer_dense, sample(15).optimizer_dense);
  EXPECT_EQ(c.step_losses, sample(15).step_losses);
  EXPECT_EQ(c.step_in_epoch, 3);
  EXPECT_FALSE(fs::exists(dir / "step-000000005.ckpt")) << "only the two newest are kept";
  EXPECT_TRUE(fs::exists(dir / "step-000000010.ckpt"));
  fs::remove_all(dir);
}

// The file format did not change when saving began to stream from views: the bytes are cereal's
// archive of the owned vectors plus the XXH64 trailer. A table of 2.8 MB spans several of the
// writer's 1 MiB blocks.
TEST(TrainCheckpoint, StreamedBytesAreTheArchiveOfTheVectorsAndTheirChecksum) {
  const auto dir = temp_dir("bytes");
  Checkpoint c = sample(7);
  c.tables[0].resize(700000);
  for (size_t i = 0; i < c.tables[0].size(); ++i) c.tables[0][i] = 0.5f * static_cast<float>(i);
  c.optimizer_tables = {c.tables[0], {3.0f}};
  const auto path = save_checkpoint(dir, c);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  std::ostringstream expected;
  {
    cereal::PortableBinaryOutputArchive ar(expected);
    ar(std::string("kerec-checkpoint"), kCheckpointSchemaVersion, c.model);
    ar(c.model_sha256, c.config_toml, c.ranks, c.seed, c.step, c.epoch, c.step_in_epoch, c.dense,
       c.tables, c.optimizer_step, c.optimizer_dense, c.optimizer_tables, c.best_valid_auc,
       c.epochs_without_improvement, c.step_losses);
  }
  std::string want = expected.str();
  const uint64_t digest = xxh64(want.data(), want.size(), 0);
  want.append(reinterpret_cast<const char*>(&digest), sizeof digest);
  EXPECT_EQ(bytes.size(), want.size());
  EXPECT_TRUE(bytes == want);
  const Checkpoint back = read_checkpoint(path, "ranker");
  EXPECT_EQ(back.tables, c.tables);
  EXPECT_EQ(back.optimizer_tables, c.optimizer_tables);
  fs::remove_all(dir);
}

TEST(TrainCheckpoint, AnotherModelSchemaOrGarbageIsAClearError) {
  const auto dir = temp_dir("errors");
  const auto path = save_checkpoint(dir, sample(1));
  try {
    read_checkpoint(path, "eei");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is for model 'ranker', not 'eei'"), std::string::npos)
        << e.what();
  }
  {
    std::ofstream out(dir / "v2.ckpt", std::ios::binary);
    cereal::PortableBinaryOutputArchive ar(out);
    ar(std::string("kerec-checkpoint"), uint32_t{3}, std::string("ranker"));
  }
  EXPECT_THROW(
      {
        try {
          read_checkpoint(dir / "v2.ckpt", "ranker");
        } catch (const InputError& e) {
          EXPECT_NE(std::string(e.what()).find("schema version 3"), std::string::npos) << e.what();
          throw;
        }
      },
      InputError);
  std::ofstream(dir / "junk.ckpt") << "not a checkpoint at all";
  EXPECT_THROW(read_checkpoint(dir / "junk.ckpt", "ranker"), InputError);
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir / "cut.ckpt", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(read_checkpoint(dir / "cut.ckpt", "ranker"), InputError);
  // One changed byte in the weights, where cereal would read a different float without complaint.
  std::string flipped = bytes;
  flipped[bytes.size() - 40] ^= 0x10;
  std::ofstream(dir / "flip.ckpt", std::ios::binary) << flipped;
  try {
    read_checkpoint(dir / "flip.ckpt", "ranker");
    FAIL() << "a damaged checkpoint was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is damaged"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kerec::train
