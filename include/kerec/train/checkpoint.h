// Checkpoints (docs/design.md §3 `model/`): everything a run needs to continue exactly where it
// stopped.
//
// Layout: CHECKPOINT_DIR/step-000000123.ckpt files and CHECKPOINT_DIR/LATEST (the name of the
// newest complete checkpoint). Each file is a cereal portable binary archive starting with the
// magic "kerec-checkpoint", the schema version and the model name, so that a file from another
// model or schema version is rejected with a clear message before anything else is read. The last 8
// bytes are the XXH64 of the rest (since version 2), checked before the body is parsed. Files are
// written atomically (io::write_file_atomic), then LATEST is replaced atomically; the two newest
// are kept.
//
// The RNG state: every random draw of training comes from a counter-based stream keyed by (seed,
// purpose, epoch or step, rank), so (seed, step, epoch, step_in_epoch) is the whole RNG state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kerec::train {

inline constexpr uint32_t kCheckpointSchemaVersion = 2;  // 2: an XXH64 trailer (1 is still read)

struct Checkpoint {
  std::string model;         // "ranker"
  std::string model_sha256;  // hash of the model-shaping config keys: another shape is rejected
  std::string config_toml;   // the effective [train] config, embedded for the record
  int32_t ranks = 0;         // the data cursor is per rank: resume needs the same rank count
  uint64_t seed = 0;
  int64_t step = 0;                        // optimizer steps done
  int64_t epoch = 0;                       // the epoch the next step belongs to
  int64_t step_in_epoch = 0;               // steps of that epoch already done
  std::vector<float> dense;                // the ParamStore's flat values
  std::vector<std::vector<float>> tables;  // each table's weights, row-major
  int64_t optimizer_step = 0;
  std::vector<std::vector<float>> optimizer_dense, optimizer_tables;
  double best_valid_auc = -1.0;
  int64_t epochs_without_improvement = 0;
  std::vector<double> step_losses;  // the global loss of every step so far
};

// The float arrays of a checkpoint as views. Saving writes them straight from these views into
// the file (streamed, hashed on the way), so it costs no copy of the model: a copy of a large
// model and its optimizer moments, then the archive in memory, would hold the model several times
// over on the writing rank.
struct CheckpointArrays {
  std::span<const float> dense;
  std::vector<std::span<const float>> tables, optimizer_dense, optimizer_tables;

  static CheckpointArrays of(const Checkpoint& ckpt);  // views of ckpt's own arrays
};

// Writes `meta` with `arrays` as dir/step-<step>.ckpt (atomically) and updates dir/LATEST; the
// float arrays of `meta` itself are not read. Returns the file path. The bytes equal those of a
// Checkpoint holding copies of the arrays.
std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& meta,
                                      const CheckpointArrays& arrays);
// save_checkpoint(dir, ckpt, CheckpointArrays::of(ckpt)).
std::filesystem::path save_checkpoint(const std::filesystem::path& dir, const Checkpoint& ckpt);

// Reads one checkpoint file. InputError naming the file when it is not a kerec checkpoint, has
// another schema version, fails its checksum, or belongs to another model ("checkpoint F is for
// model 'x', not 'y'").
Checkpoint read_checkpoint(const std::filesystem::path& file, const std::string& expect_model);

// The checkpoint LATEST names, or nullopt when the directory has none.
std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& dir);

}  // namespace kerec::train
