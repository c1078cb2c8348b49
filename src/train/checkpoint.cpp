#include "kerec/train/checkpoint.h"

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "kerec/io/atomic.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

constexpr const char* kMagic = "kerec-checkpoint";

template <class Archive>
void body(Archive& ar, Checkpoint& c) {
  ar(c.model_sha256, c.config_toml, c.ranks, c.seed, c.step, c.epoch, c.step_in_epoch, c.dense, c.tables,
     c.optimizer_step, c.optimizer_dense, c.optimizer_tables, c.best_valid_auc, c.epochs_without_improvement,
     c.step_losses);
}

std::string file_name(int64_t step) {
  char name[64];
  std::snprintf(name, sizeof name, "step-%09lld.ckpt", static_cast<long long>(step));
  return name;
}

// Keeps the two newest step-*.ckpt files.
void prune(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".ckpt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (size_t i = 0; i + 2 < files.size(); ++i) std::filesystem::remove(files[i]);
}

// The archive's first bytes (endianness flag, then the magic string), checked before cereal reads
// any length prefix, so that a file that is not a checkpoint is never parsed.
std::string expected_prefix() {
  std::ostringstream out;
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(std::string(kMagic));
  }
  return out.str();
}

}  // namespace

std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& ckpt) {
  std::filesystem::create_directories(dir);
  std::ostringstream out;
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(std::string(kMagic), kCheckpointSchemaVersion, ckpt.model);
    body(ar, const_cast<Checkpoint&>(ckpt));  // cereal's ar() takes non-const references; nothing is changed
  }
  const auto path = dir / file_name(ckpt.step);
  io::write_file_atomic(path, out.str());
  io::write_file_atomic(dir / "LATEST", path.filename().string() + "\n");
  prune(dir);
  return path;
}

Checkpoint read_checkpoint(const std::filesystem::path& file, const std::string& expect_model) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(errno_message("open checkpoint " + file.string(), errno));
  const std::string prefix = expected_prefix();
  std::string head(prefix.size(), '\0');
  if (!in.read(head.data(), static_cast<std::streamsize>(head.size())) || head != prefix)
    throw InputError("checkpoint " + file.string() + ": not a kerec checkpoint");
  in.seekg(0);
  Checkpoint c;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    std::string magic;
    uint32_t version = 0;
    ar(magic);
    if (magic != kMagic) throw InputError("checkpoint " + file.string() + ": not a kerec checkpoint");
    ar(version, c.model);
    if (version != kCheckpointSchemaVersion)
      throw InputError("checkpoint " + file.string() + ": schema version " + std::to_string(version) +
                       ", this kerec reads version " + std::to_string(kCheckpointSchemaVersion));
    if (c.model != expect_model)
      throw InputError("checkpoint " + file.string() + " is for model '" + c.model + "', not '" + expect_model + "'");
    body(ar, c);
  } catch (const cereal::Exception& e) {
    throw InputError("checkpoint " + file.string() + ": truncated or corrupt (" + e.what() + ")");
  } catch (const std::length_error&) {  // a garbage length prefix
    throw InputError("checkpoint " + file.string() + ": corrupt (impossible length)");
  } catch (const std::bad_alloc&) {
    throw InputError("checkpoint " + file.string() + ": corrupt (impossible length)");
  }
  return c;
}

std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& dir) {
  std::ifstream in(dir / "LATEST");
  std::string name;
  if (!in || !std::getline(in, name) || name.empty()) return std::nullopt;
  return dir / name;
}

}  // namespace kerec::train
