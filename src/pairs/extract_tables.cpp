// Readers of extract/*.h5. Every entity index is range-checked here, so the stages after this can
// index arrays with it.
#include "kerec/pairs/extract_tables.h"

#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

namespace h5 = io::h5;

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

ItemTable read_item_table(const std::filesystem::path& items_h5, size_t entity_count) {
  const auto file = h5::File::open_read(items_h5);
  ItemTable t;
  t.ids = h5::read_strings(file, "items/id");
  t.mentions.offsets = h5::read<int64_t>(file, "items/mention_offsets");
  t.mentions.entity = h5::read<int32_t>(file, "mentions/entity");
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
  const uint64_t rows = h5::shape(file, "bills/ts").at(0);
  if (h5::shape(file, "bills/mention_offsets").at(0) != rows + 1)
    throw InputError(bills_h5.string() + ": /bills/mention_offsets must have bills + 1 entries");
  const auto block = dist::block_of(rows, comm.size(), comm.rank());
  const uint64_t n = block.end - block.begin;
  BillBlock b;
  b.first_row = block.begin;
  b.ts = h5::read_slice<int64_t>(file, "bills/ts", block.begin, n);
  b.line = h5::read_slice<int64_t>(file, "bills/line", block.begin, n);
  auto users = h5::read_strings(file, "bills/user");  // no slice reader for strings: read all
  if (users.size() != rows)
    throw InputError(bills_h5.string() + ": /bills/user and /bills/ts differ in length");
  b.users.assign(std::make_move_iterator(users.begin() + block.begin),
                 std::make_move_iterator(users.begin() + block.end));
  auto offsets = h5::read_slice<int64_t>(file, "bills/mention_offsets", block.begin, n + 1);
  const int64_t first = offsets.front();
  b.mentions.entity =
      h5::read_slice<int32_t>(file, "mentions/entity", first, offsets.back() - first);
  for (auto& o : offsets) o -= first;
  b.mentions.offsets = std::move(offsets);
  check_csr(b.mentions, entity_count, bills_h5.string());
  return b;
}

}  // namespace kerec::pairs
