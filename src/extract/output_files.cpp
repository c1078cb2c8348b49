// Writers and readers of extract/*.h5. Every entity index is range-checked by the readers, so the
// stages after extract can index arrays with it.
#include "kerec/extract/output_files.h"

#include "kerec/dist/collectives.h"
#include "kerec/extract/tables.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

namespace h5 = io::h5;

// Writes the rows' mention offsets (global) as `offsets_dataset` and the mention columns.
void write_mentions(const io::h5::File& file, const char* offsets_dataset, const TextRows& rows,
                    dist::Comm& comm) {
  const int64_t local_mentions = static_cast<int64_t>(rows.mentions.size());
  const auto counts = dist::allgatherv<int64_t>(comm, std::span<const int64_t>(&local_mentions, 1));
  int64_t base = 0;
  for (int r = 0; r < comm.rank(); ++r) base += counts[r];
  std::vector<int64_t> offsets;
  for (size_t i = comm.rank() == 0 ? 0 : 1; i < rows.mention_offsets.size(); ++i)
    offsets.push_back(base + rows.mention_offsets[i]);
  io::h5::write_distributed<int64_t>(file, offsets_dataset, offsets, comm);
  std::vector<int32_t> entity, begin, end;
  std::vector<uint8_t> source;
  for (const auto& m : rows.mentions) {
    entity.push_back(m.entity), begin.push_back(m.begin), end.push_back(m.end),
        source.push_back(m.source);
  }
  io::h5::write_distributed<int32_t>(file, kMentionEntityDataset, entity, comm);
  io::h5::write_distributed<int32_t>(file, kMentionBeginDataset, begin, comm);
  io::h5::write_distributed<int32_t>(file, kMentionEndDataset, end, comm);
  io::h5::write_distributed<uint8_t>(file, kMentionSourceDataset, source, comm);
}

// Offsets must start at 0, not decrease, and end at the mention count; entities in [0, N).
void check_csr(const MentionCsr& csr, size_t entity_count, const std::string& where) {
  if (csr.offsets.empty() || csr.offsets.front() != 0)
    throw InputError(where + ": mention_offsets must start at 0");
  for (size_t i = 1; i < csr.offsets.size(); ++i)
    if (csr.offsets[i] < csr.offsets[i - 1])
      throw InputError(where + ": mention_offsets decrease at row " + std::to_string(i - 1));
  if (static_cast<size_t>(csr.offsets.back()) != csr.entity.size())
    throw InputError(where + ": mention_offsets end at " + std::to_string(csr.offsets.back()) +
                     " but there are " + std::to_string(csr.entity.size()) + " mentions");
  for (size_t i = 0; i < csr.entity.size(); ++i)
    if (csr.entity[i] < 0 || static_cast<size_t>(csr.entity[i]) >= entity_count)
      throw InputError(where + ": /mentions/entity[" + std::to_string(i) +
                       "] = " + std::to_string(csr.entity[i]) +
                       " is not an entity index (N = " + std::to_string(entity_count) + ")");
}

}  // namespace

void write_items(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 io::h5::RootAttrs attrs) {
  auto file = io::h5::File::create(path, &comm);
  attrs.schema = kItemsSchema, attrs.schema_version = kExtractSchemaVersion;
  io::h5::write_root_attrs(file, attrs);
  io::h5::write_strings_distributed(file, kItemIdDataset, rows.keys, comm);
  write_mentions(file, kItemMentionOffsetsDataset, rows, comm);
  file.close();
}

void write_bills(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 io::h5::RootAttrs attrs) {
  auto file = io::h5::File::create(path, &comm);
  attrs.schema = kBillsSchema, attrs.schema_version = kExtractSchemaVersion;
  io::h5::write_root_attrs(file, attrs);
  io::h5::write_strings_distributed(file, kBillUserDataset, rows.keys, comm);
  io::h5::write_distributed<int64_t>(file, kBillTsDataset, rows.ts, comm);
  io::h5::write_distributed<double>(file, kBillAmountDataset, rows.amount, comm);
  io::h5::write_distributed<int64_t>(file, kBillLineDataset, rows.line, comm);
  write_mentions(file, kBillMentionOffsetsDataset, rows, comm);
  file.close();
}

void write_entities(const std::filesystem::path& path, const EntityDict& dict, dist::Comm& comm,
                    io::h5::RootAttrs attrs) {
  std::vector<std::string> ids, names, aliases, categories;
  for (const auto& e : dict.entities()) {
    ids.push_back(e.entity_id), names.push_back(e.name), categories.push_back(e.category);
    std::string joined;
    for (size_t i = 0; i < e.aliases.size(); ++i) joined += (i ? "|" : "") + e.aliases[i];
    aliases.push_back(std::move(joined));
  }
  auto file = io::h5::File::create(path, &comm);
  attrs.schema = kEntitiesSchema, attrs.schema_version = kExtractSchemaVersion;
  io::h5::write_root_attrs(file, attrs);
  io::h5::write_strings(file, kEntityIdDataset, ids);
  io::h5::write_strings(file, kEntityNameDataset, names);
  io::h5::write_strings(file, kEntityAliasesDataset, aliases);
  io::h5::write_strings(file, kEntityCategoryDataset, categories);
  file.close();
}

EntityTable read_entity_table(const std::filesystem::path& entities_h5) {
  const auto file = h5::File::open_read(entities_h5);
  EntityTable t;
  t.ids = h5::read_strings(file, kEntityIdDataset);
  t.categories = h5::read_strings(file, kEntityCategoryDataset);
  if (t.ids.size() != t.categories.size())
    throw InputError(entities_h5.string() + ": " + kEntityIdDataset + " and " +
                     kEntityCategoryDataset + " differ in length");
  return t;
}

std::vector<std::string> read_entity_names(const std::filesystem::path& entities_h5) {
  return h5::read_strings(h5::File::open_read(entities_h5), kEntityNameDataset);
}

ItemTable read_item_table(const std::filesystem::path& items_h5, size_t entity_count) {
  const auto file = h5::File::open_read(items_h5);
  ItemTable t;
  t.ids = h5::read_strings(file, kItemIdDataset);
  t.mentions.offsets = h5::read<int64_t>(file, kItemMentionOffsetsDataset);
  t.mentions.entity = h5::read<int32_t>(file, kMentionEntityDataset);
  if (t.mentions.offsets.size() != t.ids.size() + 1)
    throw InputError(items_h5.string() + ": /items/mention_offsets has " +
                     std::to_string(t.mentions.offsets.size()) + " entries for " +
                     std::to_string(t.ids.size()) + " items (expected items + 1)");
  check_csr(t.mentions, entity_count, items_h5.string());
  return t;
}

BillBlock read_bill_block(const std::filesystem::path& bills_h5, size_t entity_count,
                          const dist::Comm& comm) {
  const auto file = h5::File::open_read(bills_h5);
  const uint64_t rows = h5::shape(file, kBillTsDataset).at(0);
  if (h5::shape(file, kBillMentionOffsetsDataset).at(0) != rows + 1)
    throw InputError(bills_h5.string() + ": /bills/mention_offsets must have bills + 1 entries");
  const auto block = dist::block_of(rows, comm.size(), comm.rank());
  const uint64_t n = block.end - block.begin;
  BillBlock b;
  b.first_row = block.begin;
  b.ts = h5::read_slice<int64_t>(file, kBillTsDataset, block.begin, n);
  b.line = h5::read_slice<int64_t>(file, kBillLineDataset, block.begin, n);
  auto users = h5::read_strings(file, kBillUserDataset);  // no slice reader for strings: read all
  if (users.size() != rows)
    throw InputError(bills_h5.string() + ": /bills/user and /bills/ts differ in length");
  b.users.assign(std::make_move_iterator(users.begin() + block.begin),
                 std::make_move_iterator(users.begin() + block.end));
  auto offsets = h5::read_slice<int64_t>(file, kBillMentionOffsetsDataset, block.begin, n + 1);
  const int64_t first = offsets.front();
  b.mentions.entity =
      h5::read_slice<int32_t>(file, kMentionEntityDataset, first, offsets.back() - first);
  for (auto& o : offsets) o -= first;
  b.mentions.offsets = std::move(offsets);
  check_csr(b.mentions, entity_count, bills_h5.string());
  return b;
}

}  // namespace kerec::extract
