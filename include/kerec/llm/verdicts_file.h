// judge/verdicts.h5, the judge stage's answers (docs/artifacts.md, "Verdicts"): one row per pair it
// was given, sorted by (a, b), as int32 /verdicts/a and /verdicts/b, uint8 /verdicts/verdict
// (llm::Verdict: 0 no, 1 yes, 2 uncertain, 3 unjudged), float32 /verdicts/confidence and strings
// /verdicts/reason (for an unjudged row, the cause); root attributes llm_model and prompt_sha256
// say which model and prompt answered. This module is the only code that names its datasets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/io/h5_attr.h"

namespace kerec::llm {

inline constexpr const char* kVerdictsSchema = "verdicts";
inline constexpr int64_t kVerdictsSchemaVersion = 1;

struct VerdictRows {
  std::vector<int32_t> a, b;     // entity indices of the pair a → b
  std::vector<uint8_t> verdict;  // llm::Verdict
  std::vector<float> confidence;
  std::vector<std::string> reason;
  size_t size() const { return a.size(); }
};

// One rank's even block (dist::block_of) of a verdicts file.
struct VerdictBlock : VerdictRows {
  std::string llm_model, prompt_sha256;  // the file's root attributes
  int64_t total_rows = 0;                // rows of the whole file
  int64_t first_row = 0;                 // the block's first row in the file
};

// Local (rank 0 of the judge stage). Writes `rows` sorted by (a, b); `root`'s schema and version
// are filled in. Throws std::invalid_argument if the columns differ in length.
void write_verdicts(const std::filesystem::path& path, const VerdictRows& rows,
                    io::h5::RootAttrs root);

// Local: rows dist::block_of(total, ranks, rank). InputError naming the file and row for a pair
// outside [0, entities), a verdict code above 3 or columns of different lengths; Hdf5Error for a
// missing dataset or a file of another schema.
VerdictBlock read_verdict_block(const std::filesystem::path& path, int64_t entities, int rank,
                                int ranks);

// Local: every row's pair (a[i], b[i]), for a later pair run that skips pairs judged before.
// Throws like read_verdict_block (without the range check: the entity count may have changed).
void read_verdict_pairs(const std::filesystem::path& path, std::vector<int32_t>& a,
                        std::vector<int32_t>& b);

// Whether `path` (an open-able HDF5 file) is a verdicts file, by its datasets.
bool is_verdicts_file(const std::filesystem::path& path);

}  // namespace kerec::llm
