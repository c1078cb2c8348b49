#include "kerec/pairs/pairs_io.h"

#include <algorithm>
#include <unordered_map>

#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/io/tsv.h"
#include "kerec/llm/verdicts_file.h"
#include "kerec/pairs/strategy.h"
#include "kerec/util/error.h"

namespace kerec::pairs {
namespace {

namespace h5 = io::h5;

constexpr const char* kA = "pairs/a";
constexpr const char* kB = "pairs/b";
constexpr const char* kOwnerOffsets = "pairs/owner_offsets";

std::vector<uint64_t> keys_of(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  std::vector<uint64_t> keys(a.size());
  for (size_t i = 0; i < a.size(); ++i) keys[i] = pair_key(a[i], b[i]);
  return keys;
}

}  // namespace

void write_pairs(const std::filesystem::path& path, dist::Comm& comm,
                 const std::vector<uint64_t>& owned, int64_t entity_count,
                 const std::string& config_sha256) {
  std::vector<int32_t> a(owned.size()), b(owned.size());
  for (size_t i = 0; i < owned.size(); ++i) a[i] = key_a(owned[i]), b[i] = key_b(owned[i]);
  const int64_t mine = static_cast<int64_t>(owned.size());
  const auto sizes = dist::allgatherv(comm, std::span<const int64_t>(&mine, 1));
  std::vector<int64_t> offsets{0};
  for (int64_t s : sizes) offsets.push_back(offsets.back() + s);
  auto file = h5::File::create(path, &comm);
  h5::write_root_attrs(file, {.schema = kPairsSchema,
                              .schema_version = kPairsSchemaVersion,
                              .config_sha256 = config_sha256});
  const auto group = file.require_group("pairs");
  h5::set_attr(group, "entities", entity_count);
  h5::write_distributed<int32_t>(file, kA, a, comm);
  h5::write_distributed<int32_t>(file, kB, b, comm);
  h5::write<int64_t>(file, kOwnerOffsets, std::span<const int64_t>(offsets));
  file.close();
}

PairFile read_pairs(const std::filesystem::path& path) {
  const auto file = h5::File::open_read(path);
  h5::read_root_attrs(file, kPairsSchema);
  PairFile p{h5::read<int32_t>(file, kA), h5::read<int32_t>(file, kB),
             h5::read<int64_t>(file, kOwnerOffsets)};
  if (p.a.size() != p.b.size())
    throw InputError(path.string() + ": /pairs/a and /pairs/b differ in length");
  return p;
}

PairBlock read_pair_block(const std::filesystem::path& path, int rank, int ranks) {
  const auto file = h5::File::open_read(path);
  h5::read_root_attrs(file);
  const auto offsets = h5::read<int64_t>(file, kOwnerOffsets);
  PairBlock p;
  p.total_rows = h5::shape(file, kA).at(0);
  if (offsets.empty() || static_cast<uint64_t>(offsets.back()) != p.total_rows)
    throw InputError(path.string() + ": /pairs/owner_offsets does not end at the pair count " +
                     std::to_string(p.total_rows));
  uint64_t end;
  if (offsets.size() == static_cast<size_t>(ranks) + 1) {
    p.first_row = offsets[rank], end = offsets[rank + 1];
  } else {
    const auto block = dist::block_of(p.total_rows, ranks, rank);
    p.first_row = block.begin, end = block.end;
  }
  p.a = h5::read_slice<int32_t>(file, kA, p.first_row, end - p.first_row);
  p.b = h5::read_slice<int32_t>(file, kB, p.first_row, end - p.first_row);
  return p;
}

std::vector<uint64_t> read_previous_pairs(const std::filesystem::path& path) {
  std::vector<int32_t> a, b;
  if (const auto file = h5::File::open_read(path); file.exists(kA)) {
    a = h5::read<int32_t>(file, kA), b = h5::read<int32_t>(file, kB);
    if (a.size() != b.size())
      throw InputError(file.where() + ": /pairs/a and /pairs/b differ in length");
  } else if (llm::is_verdicts_file(path)) {
    llm::read_verdict_pairs(path, a, b);
  } else {
    throw InputError(path.string() +
                     ": neither /pairs/a,b (pairs.h5) nor /verdicts/a,b (verdicts.h5); "
                     "key 'pairs.previous' must name a previous pairs or verdicts file");
  }
  auto keys = keys_of(a, b);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<uint64_t> read_truth_pairs(const std::string& complements_tsv,
                                       const extract::EntityTable& entities, int64_t& unknown) {
  std::unordered_map<std::string_view, int32_t> index;
  for (size_t e = 0; e < entities.size(); ++e)
    index.emplace(entities.ids[e], static_cast<int32_t>(e));
  const io::TsvSchema schema{"complements", {{"a"}, {"b"}, {"strength", io::ColumnType::kDouble}}};
  io::TsvReader reader(complements_tsv, schema);
  std::vector<uint64_t> keys;
  unknown = 0;
  io::TsvRow row;
  while (reader.next(row)) {
    const auto a = index.find(row.str(0)), b = index.find(row.str(1));
    if (a == index.end() || b == index.end()) {
      ++unknown;
      continue;
    }
    keys.push_back(pair_key(a->second, b->second));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace kerec::pairs
