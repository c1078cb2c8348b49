#include "kerec/train/checkpoint.h"

#include <algorithm>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <streambuf>

#include "kerec/io/atomic.h"
#include "kerec/io/file_digest.h"
#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::train {
namespace {

constexpr const char* kMagic = "kerec-checkpoint";

// Written as cereal writes a std::vector<float>: a size tag, then the elements.
void save_floats(cereal::PortableBinaryOutputArchive& ar, std::span<const float> values) {
  ar(cereal::make_size_tag(static_cast<cereal::size_type>(values.size())));
  ar(cereal::binary_data(values.data(), values.size_bytes()));
}

// As cereal writes a std::vector<std::vector<float>>.
void save_float_lists(cereal::PortableBinaryOutputArchive& ar,
                      const std::vector<std::span<const float>>& lists) {
  ar(cereal::make_size_tag(static_cast<cereal::size_type>(lists.size())));
  for (const auto& list : lists) save_floats(ar, list);
}

// The fields in load_body's order, the float arrays from `a`.
void save_body(cereal::PortableBinaryOutputArchive& ar, const Checkpoint& c,
               const CheckpointArrays& a) {
  ar(c.model_sha256, c.config_toml, c.ranks, c.seed, c.step, c.epoch, c.step_in_epoch);
  save_floats(ar, a.dense);
  save_float_lists(ar, a.tables);
  ar(c.optimizer_step);
  save_float_lists(ar, a.optimizer_dense);
  save_float_lists(ar, a.optimizer_tables);
  ar(c.best_valid_auc, c.epochs_without_improvement, c.step_losses);
}

template <class Archive>
void load_body(Archive& ar, Checkpoint& c) {
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

// A streambuf that passes its bytes to `append` in blocks of kBlockBytes, hashing them on the way;
// finish() writes what is buffered, then the trailer. `append` may throw (IoError): cereal calls
// sputn() directly, so the exception reaches the caller.
class HashingSink : public std::streambuf {
 public:
  explicit HashingSink(const io::AppendBytes& append) : append_(append), buffer_(kBlockBytes) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  void finish() {
    drain();
    const uint64_t digest = hash_.digest();
    char trailer[kTrailerBytes];
    std::memcpy(trailer, &digest, kTrailerBytes);  // little-endian hosts (checksum.h)
    append_(std::string_view(trailer, kTrailerBytes));
  }

 protected:
  int_type overflow(int_type ch) override {
    drain();
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n > epptr() - pptr()) drain();
    if (n >= static_cast<std::streamsize>(buffer_.size())) {
      emit(s, static_cast<size_t>(n));
      return n;
    }
    std::memcpy(pptr(), s, static_cast<size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }

 private:
  static constexpr size_t kBlockBytes = 1 << 20;

  void emit(const char* s, size_t n) {
    hash_.update(s, n);
    append_(std::string_view(s, n));
  }
  void drain() {
    emit(pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  const io::AppendBytes& append_;
  std::vector<char> buffer_;
  Xxh64Stream hash_;
};

// Throws InputError naming `file` when its last 8 bytes are not the XXH64 of the rest.
void verify_trailer(const std::filesystem::path& file) {
  const auto size = static_cast<uint64_t>(std::filesystem::file_size(file));
  const uint64_t hashed = size >= kTrailerBytes ? size - kTrailerBytes : 0;
  const uint64_t digest = io::digest_file(file, hashed).xxh64;
  std::ifstream in(file, std::ios::binary);
  uint64_t stored = 0;
  if (size < kTrailerBytes || !in.seekg(static_cast<std::streamoff>(hashed)) ||
      !in.read(reinterpret_cast<char*>(&stored), kTrailerBytes) || stored != digest)
    throw InputError("checkpoint " + file.string() +
                     " is damaged (its XXH64 does not match its contents): "
                     "restore it, or delete it and LATEST in " +
                     file.parent_path().string() + " to train from the start");
}

}  // namespace

CheckpointArrays CheckpointArrays::of(const Checkpoint& ckpt) {
  CheckpointArrays a;
  a.dense = ckpt.dense;
  for (const auto& t : ckpt.tables) a.tables.emplace_back(t);
  for (const auto& t : ckpt.optimizer_dense) a.optimizer_dense.emplace_back(t);
  for (const auto& t : ckpt.optimizer_tables) a.optimizer_tables.emplace_back(t);
  return a;
}

std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& meta,
                                      const CheckpointArrays& arrays) {
  std::filesystem::create_directories(dir);
  const auto path = dir / file_name(meta.step);
  io::write_file_atomic_streamed(path, [&](const io::AppendBytes& append) {
    HashingSink sink(append);
    {
      std::ostream out(&sink);
      cereal::PortableBinaryOutputArchive ar(out);
      ar(std::string(kMagic), kCheckpointSchemaVersion, meta.model);
      save_body(ar, meta, arrays);
    }
    sink.finish();
  });
  io::write_file_atomic(dir / "LATEST", path.filename().string() + "\n");
  prune(dir);
  return path;
}

std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& ckpt) {
  return save_checkpoint(dir, ckpt, CheckpointArrays::of(ckpt));
}

Checkpoint read_checkpoint(const std::filesystem::path& file, const std::string& expect_model) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(errno_message("open checkpoint " + file.string(), errno));
  const std::string prefix = expected_prefix();
  std::string head(prefix.size() + sizeof(uint32_t), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (!in || head.compare(0, prefix.size(), prefix) != 0)
    throw InputError("checkpoint " + file.string() + ": not a kerec checkpoint");
  // The version (just after the magic) says whether a trailer follows; version 1 had none.
  uint32_t version = 0;
  {
    std::istringstream head_in(head);
    cereal::PortableBinaryInputArchive ar(head_in);
    std::string magic;
    ar(magic, version);
  }
  if (version != 1 && version != kCheckpointSchemaVersion)
    throw InputError("checkpoint " + file.string() + ": schema version " + std::to_string(version) +
                     ", this kerec reads versions 1 and " +
                     std::to_string(kCheckpointSchemaVersion));
  if (version >= 2) verify_trailer(file);
  in.seekg(0);
  Checkpoint c;
  try {
    cereal::PortableBinaryInputArchive ar(in);
    std::string magic;
    ar(magic, version, c.model);
    if (c.model != expect_model)
      throw InputError("checkpoint " + file.string() + " is for model '" + c.model + "', not '" +
                       expect_model + "'");
    load_body(ar, c);
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
