// pairs/pairs.h5 (docs/artifacts.md "Pairs") and the readers of a previous pair set.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/pairs/extract_tables.h"

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

// Local: the pair keys of a previous pairs.h5 (/pairs/a, /pairs/b) or verdicts.h5 (/verdicts/a,
// /verdicts/b), sorted and unique. InputError naming the file if it has neither.
std::vector<uint64_t> read_previous_pairs(const std::filesystem::path& path);

// Local: the true complements of truth/complements.tsv (`a b strength`, entity_id strings) as pair
// keys of entity indices, sorted; relations naming an unknown entity_id are counted in `unknown`.
std::vector<uint64_t> read_truth_pairs(const std::string& complements_tsv,
                                       const EntityTable& entities, int64_t& unknown);

}  // namespace kerec::pairs
