// Per-entity popularity (docs/design.md §2.2 step 2): how many bills, exposures, clicks,
// conversions and items mention each entity, summed across ranks with allreduce so every rank holds
// the same table.
//
// Counting rules: a bill or item counts once for each *distinct* entity it mentions; an exposure
// (and its click and conversion) counts once for each distinct entity of its item. An exposure
// whose item_id is not in extract/items.h5, or whose item mentions no entity, is counted in
// ExposureTally and nowhere else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/output_files.h"
#include "kerec/io/tsv.h"

namespace kerec::pairs {

struct Popularity {
  std::vector<int64_t> bills, exposures, clicks, conversions, items;  // by entity index

  explicit Popularity(size_t entity_count = 0);
  size_t size() const { return bills.size(); }
  // The column called `name` (one of popularity_columns()); ConfigError for another name.
  const std::vector<int64_t>& column(std::string_view name) const;
  std::vector<int64_t>& column(std::string_view name);
};

// "bills", "exposures", "clicks", "conversions", "items": the columns and the dataset names.
const std::vector<std::string>& popularity_columns();

// What happened to the exposure rows, summed over ranks.
struct ExposureTally {
  int64_t rows = 0;                           // rows read and valid
  int64_t skipped_rows = 0;                   // bad rows skipped (input.on_bad_row = "skip")
  int64_t unknown_item = 0;                   // item_id not in extract/items.h5
  int64_t item_without_entity = 0;            // the item mentions no entity
  std::vector<std::string> skipped_examples;  // rank 0's first messages
};

// Collective. `entity_count` is N. Counts this rank's block of the items, its bills and its part of
// exposures.tsv (TsvReader part = rank), then sums across ranks. A bad exposure row fails on every
// rank (RemoteError) under policy kFail; under kSkip more than policy.max_skipped rows in total
// fail.
Popularity count_popularity(dist::Comm& comm, size_t entity_count, const extract::ItemTable& items,
                            const extract::BillBlock& bills, const std::string& exposures_tsv,
                            const io::BadRowPolicy& policy, ExposureTally& tally);

// popularity/popularity.h5: int64 datasets /popularity/<column>, root schema "popularity".
inline constexpr const char* kPopularitySchema = "popularity";
inline constexpr int64_t kPopularitySchemaVersion = 1;
// Local: writes a serial file (call on one rank).
void write_popularity(const std::filesystem::path& path, const Popularity& popularity,
                      const std::string& config_sha256);
// Local. Hdf5Error if the schema differs or the columns have different lengths.
Popularity read_popularity(const std::filesystem::path& path);

}  // namespace kerec::pairs
