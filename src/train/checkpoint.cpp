#include "kerec/train/checkpoint.h"

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "kerec/io/atomic.h"
#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

constexpr const char* kMagic = "kerec-checkpoint";

template <class Archive>
void body(Archive& ar, Checkpoint& c) {
  ar(c.model_sha256, c.config_toml, c.ranks, c.seed, c.step, c.epoch, c.step_in_epoch, c.dense,
     c.tables, c.optimizer_step, c.optimizer_dense, c.optimizer_tables, c.best_valid_auc,
     c.epochs_without_improvement, c.step_losses);
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

// Since schema version 2 the file ends with the XXH64 of everything before it (8 bytes, little
// endian), checked before the body is parsed: a damaged checkpoint is refused, never resumed from.
constexpr size_t kTrailerBytes = 8;

void append_trailer(std::string& bytes) {
  const uint64_t digest = xxh64(bytes.data(), bytes.size(), 0);
  char trailer[kTrailerBytes];
  std::memcpy(trailer, &digest, kTrailerBytes);  // little-endian hosts (checksum.h)
  bytes.append(trailer, kTrailerBytes);
}

// Throws InputError when the trailer does not match; returns the bytes without it.
std::string without_trailer(std::string bytes, const std::filesystem::path& file) {
  uint64_t stored = 0;
  if (bytes.size() >= kTrailerBytes)
    std::memcpy(&stored, bytes.data() + bytes.size() - kTrailerBytes, kTrailerBytes);
  if (bytes.size() < kTrailerBytes ||
      stored != xxh64(bytes.data(), bytes.size() - kTrailerBytes, 0))
    throw InputError("checkpoint " + file.string() +
                     " is damaged (its XXH64 does not match its contents): "
                     "restore it, or delete it and LATEST in " +
                     file.parent_path().string() + " to train from the start");
  bytes.resize(bytes.size() - kTrailerBytes);
  return bytes;
}

}  // namespace

std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& ckpt) {
  std::filesystem::create_directories(dir);
  std::ostringstream out;
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(std::string(kMagic), kCheckpointSchemaVersion, ckpt.model);
    body(ar, const_cast<Checkpoint&>(
                 ckpt));  // cereal's ar() takes non-const references; nothing is changed
  }
  std::string bytes = out.str();
  append_trailer(bytes);
  const auto path = dir / file_name(ckpt.step);
  io::write_file_atomic(path, bytes);
  io::write_file_atomic(dir / "LATEST", path.filename().string() + "\n");
  prune(dir);
  return path;
}

Checkpoint read_checkpoint(const std::filesystem::path& file, const std::string& expect_model) {
  std::ifstream file_in(file, std::ios::binary);
  if (!file_in) throw IoError(errno_message("open checkpoint " + file.string(), errno));
  std::string bytes((std::istreambuf_iterator<char>(file_in)), std::istreambuf_iterator<char>());
  const std::string prefix = expected_prefix();
  if (bytes.compare(0, prefix.size(), prefix) != 0)
    throw InputError("checkpoint " + file.string() + ": not a kerec checkpoint");
  // The version (just after the magic) says whether a trailer follows; version 1 had none.
  uint32_t version = 0;
  {
    std::istringstream head(bytes.substr(0, prefix.size() + sizeof version));
    cereal::PortableBinaryInputArchive ar(head);
    std::string magic;
    ar(magic, version);
  }
  if (version != 1 && version != kCheckpointSchemaVersion)
    throw InputError("checkpoint " + file.string() + ": schema version " + std::to_string(version) +
                     ", this kerec reads versions 1 and " +
                     std::to_string(kCheckpointSchemaVersion));
  if (version >= 2) bytes = without_trailer(std::move(bytes), file);
  std::istringstream in(std::move(bytes));
  Checkpoint c;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    std::string magic;
    ar(magic, version, c.model);
    if (c.model != expect_model)
      throw InputError("checkpoint " + file.string() + " is for model '" + c.model + "', not '" +
                       expect_model + "'");
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
