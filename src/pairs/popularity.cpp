// Per-entity counts: each rank counts its share of items, bills and exposures; one allreduce sums.
#include "kerec/pairs/popularity.h"

#include <algorithm>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

namespace h5 = io::h5;

// Adds `amount` to `column` once for each distinct entity of CSR row `row`.
void add_row(const extract::MentionCsr& csr, size_t row, std::vector<int64_t>& column,
             int64_t amount) {
  const auto begin = csr.entity.begin() + csr.offsets[row],
             end = csr.entity.begin() + csr.offsets[row + 1];
  for (auto it = begin; it != end; ++it)
    if (std::find(begin, it, *it) == it) column[*it] += amount;
}

// Local: this rank's part of exposures.tsv.
void count_exposures(const extract::ItemTable& items, const std::string& path,
                     const io::BadRowPolicy& policy, const dist::Comm& comm, Popularity& pop,
                     ExposureTally& tally) {
  std::unordered_map<std::string_view, size_t> row_of;
  row_of.reserve(items.ids.size());
  for (size_t i = 0; i < items.ids.size(); ++i) row_of.emplace(items.ids[i], i);
  io::TsvReader reader(path, io::exposures_schema(), policy, comm.rank(), comm.size());
  const auto& s = io::exposures_schema();
  const size_t item_col = s.index("item_id"), click_col = s.index("clicked"),
               conv_col = s.index("converted");
  io::TsvRow row;
  while (reader.next(row)) {
    ++tally.rows;
    const auto it = row_of.find(row.str(item_col));
    if (it == row_of.end()) {
      ++tally.unknown_item;
      continue;
    }
    const auto& csr = items.mentions;
    if (csr.offsets[it->second] == csr.offsets[it->second + 1]) {
      ++tally.item_without_entity;
      continue;
    }
    add_row(csr, it->second, pop.exposures, 1);
    if (row.flag(click_col)) add_row(csr, it->second, pop.clicks, 1);
    if (row.flag(conv_col)) add_row(csr, it->second, pop.conversions, 1);
  }
  tally.skipped_rows = reader.stats().rows_skipped;
  tally.skipped_examples = reader.stats().skipped_messages;
}

}  // namespace

Popularity::Popularity(size_t n) : bills(n), exposures(n), clicks(n), conversions(n), items(n) {}

const std::vector<std::string>& popularity_columns() {
  static const std::vector<std::string> names = {"bills", "exposures", "clicks", "conversions",
                                                 "items"};
  return names;
}

std::vector<int64_t>& Popularity::column(std::string_view name) {
  if (name == "bills") return bills;
  if (name == "exposures") return exposures;
  if (name == "clicks") return clicks;
  if (name == "conversions") return conversions;
  if (name == "items") return items;
  throw ConfigError("unknown popularity column '" + std::string(name) +
                    "'; columns: bills, exposures, clicks, conversions, items");
}

const std::vector<int64_t>& Popularity::column(std::string_view name) const {
  return const_cast<Popularity*>(this)->column(name);
}

Popularity count_popularity(dist::Comm& comm, size_t entity_count, const extract::ItemTable& items,
                            const extract::BillBlock& bills, const std::string& exposures_tsv,
                            const io::BadRowPolicy& policy, ExposureTally& tally) {
  Popularity pop(entity_count);
  tally = ExposureTally{};
  dist::run_agreed(comm, [&] {
    const auto block = dist::block_of(items.mentions.rows(), comm.size(), comm.rank());
    for (uint64_t r = block.begin; r < block.end; ++r) add_row(items.mentions, r, pop.items, 1);
    for (size_t r = 0; r < bills.rows(); ++r) add_row(bills.mentions, r, pop.bills, 1);
    count_exposures(items, exposures_tsv, policy, comm, pop, tally);
  });
  for (const auto& name : popularity_columns())
    dist::allreduce(comm, std::span<int64_t>(pop.column(name)), dist::ReduceOp::kSum);
  int64_t counts[4] = {tally.rows, tally.skipped_rows, tally.unknown_item,
                       tally.item_without_entity};
  dist::allreduce(comm, std::span<int64_t>(counts), dist::ReduceOp::kSum);
  tally.rows = counts[0], tally.skipped_rows = counts[1], tally.unknown_item = counts[2],
  tally.item_without_entity = counts[3];
  dist::run_agreed(comm,
                   [&] { io::check_skipped_total(policy, tally.skipped_rows, exposures_tsv); });
  return pop;
}

void write_popularity(const std::filesystem::path& path, const Popularity& pop,
                      const std::string& config_sha256) {
  auto file = h5::File::create(path);
  h5::write_root_attrs(file, {.schema = kPopularitySchema,
                              .schema_version = kPopularitySchemaVersion,
                              .config_sha256 = config_sha256});
  for (const auto& name : popularity_columns())
    h5::write<int64_t>(file, "popularity/" + name, std::span<const int64_t>(pop.column(name)));
  file.close();
}

Popularity read_popularity(const std::filesystem::path& path) {
  const auto file = h5::File::open_read(path);
  h5::read_root_attrs(file, kPopularitySchema);
  Popularity pop;
  for (const auto& name : popularity_columns())
    pop.column(name) = h5::read<int64_t>(file, "popularity/" + name);
  for (const auto& name : popularity_columns())
    if (pop.column(name).size() != pop.size())
      throw InputError(path.string() + ": /popularity/" + name +
                       " and /popularity/bills differ in length");
  return pop;
}

}  // namespace kerec::pairs
