// pairs/pairs.h5 (docs/artifacts.md "Pairs"): the candidate pairs a → b as int32 /pairs/a and
// /pairs/b grouped by owner rank, /pairs/owner_offsets (int64, R+1 for the R ranks of the pairs
// run); within an owner sorted by (a, b). Its writer and readers, and the reader of a previous pair
// set. This module is the only code that names its datasets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/output_files.h"

namespace kerec::pairs {

inline constexpr const char* kPairsSchema = "pairs";
inline constexpr int64_t kPairsSchemaVersion = 1;

// Collective: writes every rank's `owned` keys (sorted by (a, b)) as /pairs/a, /pairs/b (int32) in
// rank order, /pairs/owner_offsets (int64, size+1) and the root attributes; attribute `entities`
// on /pairs holds N. The file is parallel over `comm` (serial with one rank).
void write_pairs(const std::filesystem::path& path, dist::Comm& comm,
                 const std::vector<uint64_t>& owned, int64_t entity_count,
                 const std::string& config_sha256);

struct PairFile {
  std::vector<int32_t> a, b;
  std::vector<int64_t> owner_offsets;
};
// Local: the whole of a pairs.h5.
PairFile read_pairs(const std::filesystem::path& path);

// A reader's share of a pairs.h5: owner `rank`'s range when the file has `ranks` owners, else the
// even block dist::block_of(pairs, ranks, rank).
struct PairBlock {
  std::vector<int32_t> a, b;
  uint64_t first_row = 0, total_rows = 0;
};
// Local. InputError naming the file if /pairs/owner_offsets does not end at the pair count.
PairBlock read_pair_block(const std::filesystem::path& path, int rank, int ranks);

// Local: the pair keys of a previous pairs.h5 (/pairs/a, /pairs/b) or verdicts.h5 (/verdicts/a,
// /verdicts/b), sorted and unique. InputError naming the file if it has neither.
std::vector<uint64_t> read_previous_pairs(const std::filesystem::path& path);

// Local: the true complements of truth/complements.tsv (`a b strength`, entity_id strings) as pair
// keys of entity indices, sorted; relations naming an unknown entity_id are counted in `unknown`.
std::vector<uint64_t> read_truth_pairs(const std::string& complements_tsv,
                                       const extract::EntityTable& entities, int64_t& unknown);

}  // namespace kerec::pairs
