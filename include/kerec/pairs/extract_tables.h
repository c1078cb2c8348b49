// Readers of the extract stage's artifacts, as the contract of docs/artifacts.md states them
// ("Entity index", "Extracted mentions"): extract/entities.h5, extract/items.h5, extract/bills.h5.
//
// Entities are numbered 0..N-1 (the entity index); every table below refers to them by that int32.
// Errors: a missing file or dataset, a wrong type or an entity index outside [0, N) throws
// Hdf5Error / InputError naming the file and the dataset.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"

namespace kerec::pairs {

// Dataset paths of extract/entities.h5 (one string per entity index).
inline constexpr const char* kEntityIdDataset = "entities/entity_id";
inline constexpr const char* kEntityNameDataset = "entities/name";
inline constexpr const char* kEntityAliasesDataset = "entities/aliases";
inline constexpr const char* kEntityCategoryDataset = "entities/category";

struct EntityTable {
  std::vector<std::string> ids;         // the user's entity_id, by entity index
  std::vector<std::string> categories;  // category, by entity index
  size_t size() const { return ids.size(); }
};

// Rows and their entities as CSR: row r mentions entity[offsets[r] .. offsets[r+1]).
// A row may mention no entity, or one entity several times.
struct MentionCsr {
  std::vector<int64_t> offsets{0};  // rows + 1 entries, offsets[0] = 0, non-decreasing
  std::vector<int32_t> entity;      // entity index per mention
  size_t rows() const { return offsets.size() - 1; }
};

// Every item of extract/items.h5, in input-file order.
struct ItemTable {
  std::vector<std::string> ids;  // /items/id
  MentionCsr mentions;
};

// This rank's even block (dist::block_of) of the bills of extract/bills.h5.
struct BillBlock {
  uint64_t first_row = 0;          // index of the block's first bill in the file
  std::vector<std::string> users;  // /bills/user
  std::vector<int64_t> ts;         // /bills/ts, unix seconds
  std::vector<int64_t> line;       // /bills/line, line number in bills.tsv (header = line 1)
  MentionCsr mentions;             // offsets rebased to the block
  size_t rows() const { return ts.size(); }
};

// Local (every rank may call it on its own).
EntityTable read_entity_table(const std::filesystem::path& entities_h5);
ItemTable read_item_table(const std::filesystem::path& items_h5, size_t entity_count);
// Local: reads only this rank's block (rank and size of `comm`; no communication).
BillBlock read_bill_block(const std::filesystem::path& bills_h5, size_t entity_count,
                          const dist::Comm& comm);

}  // namespace kerec::pairs
