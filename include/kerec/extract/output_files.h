// The extract stage's artifacts, as the contract of docs/artifacts.md states them ("Entity index",
// "Extracted mentions"): extract/entities.h5, extract/items.h5 and extract/bills.h5 — their schema,
// dataset names, writers and readers. Later stages read them through the readers here only.
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
#include "kerec/io/h5_attr.h"

namespace kerec::extract {

class EntityDict;
struct TextRows;

// Root attribute `schema` of each file; all three are at schema_version 1.
inline constexpr const char* kEntitiesSchema = "entities";
inline constexpr const char* kItemsSchema = "extract_items";
inline constexpr const char* kBillsSchema = "extract_bills";
inline constexpr int64_t kExtractSchemaVersion = 1;

// entities.h5: one string per entity index.
inline constexpr const char* kEntityIdDataset = "entities/entity_id";
inline constexpr const char* kEntityNameDataset = "entities/name";
inline constexpr const char* kEntityAliasesDataset = "entities/aliases";  // '|'-joined, may be ""
inline constexpr const char* kEntityCategoryDataset = "entities/category";
// items.h5: one row per item; bills.h5: one row per bill; both in input-file order.
inline constexpr const char* kItemIdDataset = "items/id";
inline constexpr const char* kItemMentionOffsetsDataset = "items/mention_offsets";  // int64, rows+1
inline constexpr const char* kBillUserDataset = "bills/user";
inline constexpr const char* kBillTsDataset = "bills/ts";          // int64 unix seconds
inline constexpr const char* kBillAmountDataset = "bills/amount";  // float64
inline constexpr const char* kBillLineDataset = "bills/line";      // int64, header = line 1
inline constexpr const char* kBillMentionOffsetsDataset = "bills/mention_offsets";
// Both files: the mentions of all rows, CSR by the offsets above.
inline constexpr const char* kMentionEntityDataset = "mentions/entity";  // int32 entity index
inline constexpr const char* kMentionBeginDataset = "mentions/begin";    // int32 code point
inline constexpr const char* kMentionEndDataset = "mentions/end";        // int32, exclusive
inline constexpr const char* kMentionSourceDataset = "mentions/source";  // uint8 Mention::source

// Collective writers (parallel HDF5): every rank passes its share of the rows, in rank order;
// `attrs`' schema and schema_version are filled in.
void write_items(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 io::h5::RootAttrs attrs);
void write_bills(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 io::h5::RootAttrs attrs);
// Every rank holds the same dictionary.
void write_entities(const std::filesystem::path& path, const EntityDict& dict, dist::Comm& comm,
                    io::h5::RootAttrs attrs);

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
// Local: the entity names, by entity index.
std::vector<std::string> read_entity_names(const std::filesystem::path& entities_h5);
ItemTable read_item_table(const std::filesystem::path& items_h5, size_t entity_count);
// Local: reads only this rank's block (rank and size of `comm`; no communication).
BillBlock read_bill_block(const std::filesystem::path& bills_h5, size_t entity_count,
                          const dist::Comm& comm);

}  // namespace kerec::extract
