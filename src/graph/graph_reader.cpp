// GraphReader: open-time checks of the attributes and the shard index; per-shard checksums on read.
#include "kerec/graph/graph_reader.h"

#include <algorithm>
#include <stdexcept>

#include "kerec/graph/graph_file.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"
#include "layout.h"

namespace kerec::graph {
namespace {

namespace h5 = io::h5;

class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}
  void expect(bool ok, const std::string& found, const std::string& expected) const {
    if (!ok)
      throw InputError(file_ + ": " + found + ", expected " + expected +
                       " (not a graph file this kerec can read, or a damaged one)");
  }
  void length(const h5::File& f, const char* name, int64_t expected) const {
    const auto dims = h5::shape(f, name);
    expect(dims.size() == 1 && static_cast<int64_t>(dims[0]) == expected,
           std::string("/") + name + " has " +
               (dims.size() == 1 ? std::to_string(dims[0]) : "a non-1-D shape") + " entries",
           std::to_string(expected));
  }
  void offsets(const std::vector<int64_t>& v, const char* name, int64_t last) const {
    for (size_t i = 1; i < v.size(); ++i)
      expect(v[i - 1] <= v[i], std::string("/") + name + " decreases at " + std::to_string(i),
             "non-decreasing offsets");
    expect(v.front() == 0 && v.back() == last,
           std::string("/") + name + " spans [" + std::to_string(v.front()) + ", " +
               std::to_string(v.back()) + "]",
           "[0, " + std::to_string(last) + "]");
  }

 private:
  std::string file_;
};

int64_t length_of(const h5::File& f, const char* name) {
  const auto dims = h5::shape(f, name);
  if (dims.size() != 1)
    throw InputError(f.file().path + ": /" + name + " has " + std::to_string(dims.size()) +
                     " dimensions, expected 1");
  return static_cast<int64_t>(dims[0]);
}

void check_version(const GraphInfo& info, const Checker& check) {
  check.expect(info.root.schema_version == kGraphSchemaVersion,
               "schema_version " + std::to_string(info.root.schema_version) + " (written by " +
                   info.root.created_by + ")",
               "schema_version " + std::to_string(kGraphSchemaVersion));
}

void check_index(const h5::File& f, const GraphInfo& info, const Checker& check) {
  const int64_t s = info.shards();
  check.expect(s >= 1, std::to_string(s) + " shards", "at least 1");
  for (const char* name : {layout::kShardFirstSource, layout::kShardComp, layout::kShardSub,
                           layout::kShardMem, layout::kShardReasonBytes})
    check.length(f, name, s + 1);
  check.offsets(info.first_source, layout::kShardFirstSource, info.entities);
  check.offsets(info.comp, layout::kShardComp, length_of(f, layout::kCompTarget));
  check.offsets(info.sub, layout::kShardSub, length_of(f, layout::kSubTarget));
  check.offsets(info.mem, layout::kShardMem, length_of(f, layout::kMemItem));
  check.offsets(info.reason_bytes, layout::kShardReasonBytes,
                length_of(f, layout::kCompReasonBytes));
  for (const char* name : {layout::kCompRows, layout::kSubRows, layout::kMemRows})
    check.length(f, name, info.entities + 1);
  const int64_t e = info.comp.back();
  for (const char* name : {layout::kCompConfidence, layout::kCompVersion, layout::kCompProvenance})
    check.length(f, name, e);
  check.length(f, layout::kCompReasonOffsets, e + 1);
  check.length(f, layout::kSubCount, info.sub.back()),
      check.length(f, layout::kSubWeight, info.sub.back());
  check.length(f, layout::kMemClicks, info.mem.back());
  // The tables are not covered by the shard checksums; their lengths at least must fit.
  check.length(f, layout::kEntityIds, info.entities),
      check.length(f, layout::kEntityNames, info.entities);
  check.length(f, layout::kItemIds, info.items),
      check.length(f, layout::kItemEntityOffsets, info.items + 1);
  check.length(f, layout::kProvenancePrompt, length_of(f, layout::kProvenanceModel));
}

GraphInfo read_info(const std::filesystem::path& path) {
  const auto f = h5::File::open_read(path);
  GraphInfo info;
  info.path = path;
  info.root = h5::read_root_attrs(f, kGraphSchema);
  const Checker check(path.string());
  check_version(info, check);
  info.graph_version = h5::get_attr<int64_t>(f, layout::kAttrGraphVersion);
  info.entities = h5::get_attr<int64_t>(f, layout::kAttrEntities);
  info.items = h5::get_attr<int64_t>(f, layout::kAttrItems);
  info.first_source = h5::read<int64_t>(f, layout::kShardFirstSource);
  info.comp = h5::read<int64_t>(f, layout::kShardComp);
  info.sub = h5::read<int64_t>(f, layout::kShardSub);
  info.mem = h5::read<int64_t>(f, layout::kShardMem);
  info.reason_bytes = h5::read<int64_t>(f, layout::kShardReasonBytes);
  info.checksum = h5::read<uint64_t>(f, layout::kShardChecksum);
  check.expect(
      h5::get_attr<int64_t>(f, layout::kAttrShards) == info.shards(),
      "attribute shards = " + std::to_string(h5::get_attr<int64_t>(f, layout::kAttrShards)),
      std::to_string(info.shards()) + " (the length of /shards/checksum)");
  check_index(f, info, check);
  info.complementary_edges = info.comp.back(), info.substitutable_edges = info.sub.back(),
  info.member_edges = info.mem.back();
  return info;
}

template <class T>
std::vector<T> read_range(const h5::File& f, const char* name, int64_t begin, int64_t end) {
  return h5::read_slice<T>(f, name, static_cast<uint64_t>(begin),
                           static_cast<uint64_t>(end - begin));
}

// Verifies shard s, whose data starts at the part's beginning shard `first`.
void verify(const GraphInfo& info, const GraphPart& p, int first, int s) {
  const int64_t f0 = info.first_source[s] - info.first_source[first],
                f1 = info.first_source[s + 1] - info.first_source[first];
  const int64_t c0 = info.comp[s] - info.comp[first], c1 = info.comp[s + 1] - info.comp[first];
  const int64_t s0 = info.sub[s] - info.sub[first], s1 = info.sub[s + 1] - info.sub[first];
  const int64_t m0 = info.mem[s] - info.mem[first], m1 = info.mem[s + 1] - info.mem[first];
  const int64_t b0 = info.reason_bytes[s] - info.reason_bytes[first],
                b1 = info.reason_bytes[s + 1] - info.reason_bytes[first];
  const auto* bytes = reinterpret_cast<const uint8_t*>(p.comp.reason_bytes.data());
  const uint64_t sum = layout::shard_checksum(
      {layout::slice(p.comp.row_offsets, f0, f1 + 1), layout::slice(p.comp.target, c0, c1),
       layout::slice(p.comp.confidence, c0, c1), layout::slice(p.comp.version, c0, c1),
       layout::slice(p.comp.provenance, c0, c1), layout::slice(p.comp.reason_offsets, c0, c1 + 1),
       std::span<const uint8_t>(bytes + b0, static_cast<size_t>(b1 - b0)),
       layout::slice(p.sub.row_offsets, f0, f1 + 1), layout::slice(p.sub.target, s0, s1),
       layout::slice(p.sub.count, s0, s1), layout::slice(p.sub.weight, s0, s1),
       layout::slice(p.mem.row_offsets, f0, f1 + 1), layout::slice(p.mem.item, m0, m1),
       layout::slice(p.mem.clicks, m0, m1)});
  if (sum != info.checksum[s])
    throw InputError(info.path.string() + ": shard " + std::to_string(s) +
                     " checksum mismatch: computed " + std::to_string(sum) +
                     ", /shards/checksum holds " + std::to_string(info.checksum[s]) +
                     " (the file was damaged after it was written)");
}

// The stored offsets of the part must start and end where the shard index says.
void check_rows(const GraphInfo& info, const std::vector<int64_t>& rows,
                const std::vector<int64_t>& index, int first, int end, const char* name) {
  if (rows.front() != index[first] || rows.back() != index[end])
    throw InputError(info.path.string() + ": /" + name + " of shards [" + std::to_string(first) +
                     ", " + std::to_string(end) + ") spans [" + std::to_string(rows.front()) +
                     ", " + std::to_string(rows.back()) + "], the shard index says [" +
                     std::to_string(index[first]) + ", " + std::to_string(index[end]) + "]");
}

void rebase(std::vector<int64_t>& offsets) {
  const int64_t base = offsets.front();
  for (int64_t& v : offsets) v -= base;
}

}  // namespace

GraphReader::GraphReader(std::filesystem::path path) : info_(read_info(path)) {}

int GraphReader::shard_of(int32_t entity) const {
  if (entity < 0 || entity >= info_.entities)
    throw std::out_of_range("entity " + std::to_string(entity) + " is not in [0, " +
                            std::to_string(info_.entities) + ")");
  const auto it =
      std::upper_bound(info_.first_source.begin(), info_.first_source.end(), int64_t{entity});
  return static_cast<int>(it - info_.first_source.begin()) - 1;
}

GraphPart GraphReader::read_shard(int shard) const {
  if (shard < 0 || shard >= info_.shards())
    throw std::out_of_range("shard " + std::to_string(shard) + " is not in [0, " +
                            std::to_string(info_.shards()) + ")");
  return read_shards(shard, shard + 1);
}

GraphPart GraphReader::read_all() const { return read_shards(0, info_.shards()); }

GraphPart GraphReader::read_shards(int first, int end) const {
  const auto f = h5::File::open_read(info_.path);
  const GraphInfo& i = info_;
  GraphPart p;
  p.first_source = i.first_source[first], p.end_source = i.first_source[end];
  p.comp.row_offsets = read_range<int64_t>(f, layout::kCompRows, p.first_source, p.end_source + 1);
  p.comp.target = read_range<int32_t>(f, layout::kCompTarget, i.comp[first], i.comp[end]);
  p.comp.confidence = read_range<float>(f, layout::kCompConfidence, i.comp[first], i.comp[end]);
  p.comp.version = read_range<int32_t>(f, layout::kCompVersion, i.comp[first], i.comp[end]);
  p.comp.provenance = read_range<int32_t>(f, layout::kCompProvenance, i.comp[first], i.comp[end]);
  p.comp.reason_offsets =
      read_range<int64_t>(f, layout::kCompReasonOffsets, i.comp[first], i.comp[end] + 1);
  const auto bytes =
      read_range<uint8_t>(f, layout::kCompReasonBytes, i.reason_bytes[first], i.reason_bytes[end]);
  p.comp.reason_bytes.assign(bytes.begin(), bytes.end());
  p.sub.row_offsets = read_range<int64_t>(f, layout::kSubRows, p.first_source, p.end_source + 1);
  p.sub.target = read_range<int32_t>(f, layout::kSubTarget, i.sub[first], i.sub[end]);
  p.sub.count = read_range<int32_t>(f, layout::kSubCount, i.sub[first], i.sub[end]);
  p.sub.weight = read_range<float>(f, layout::kSubWeight, i.sub[first], i.sub[end]);
  p.mem.row_offsets = read_range<int64_t>(f, layout::kMemRows, p.first_source, p.end_source + 1);
  p.mem.item = read_range<int32_t>(f, layout::kMemItem, i.mem[first], i.mem[end]);
  p.mem.clicks = read_range<int64_t>(f, layout::kMemClicks, i.mem[first], i.mem[end]);
  for (int s = first; s < end; ++s) verify(i, p, first, s);
  check_rows(i, p.comp.row_offsets, i.comp, first, end, layout::kCompRows);
  check_rows(i, p.sub.row_offsets, i.sub, first, end, layout::kSubRows);
  check_rows(i, p.mem.row_offsets, i.mem, first, end, layout::kMemRows);
  check_rows(i, p.comp.reason_offsets, i.reason_bytes, first, end, layout::kCompReasonOffsets);
  rebase(p.comp.row_offsets), rebase(p.sub.row_offsets), rebase(p.mem.row_offsets),
      rebase(p.comp.reason_offsets);
  return p;
}

std::vector<Complement> GraphReader::complements_of(int32_t entity) const {
  return read_shard(shard_of(entity)).complements(entity);
}

std::vector<std::string> GraphReader::entity_ids() const {
  return h5::read_strings(h5::File::open_read(info_.path), layout::kEntityIds);
}
std::vector<std::string> GraphReader::entity_names() const {
  return h5::read_strings(h5::File::open_read(info_.path), layout::kEntityNames);
}
std::vector<std::string> GraphReader::item_ids() const {
  return h5::read_strings(h5::File::open_read(info_.path), layout::kItemIds);
}
std::vector<std::string> GraphReader::provenance_llm_models() const {
  return h5::read_strings(h5::File::open_read(info_.path), layout::kProvenanceModel);
}
std::vector<std::string> GraphReader::provenance_prompt_sha256() const {
  return h5::read_strings(h5::File::open_read(info_.path), layout::kProvenancePrompt);
}

namespace {

std::pair<int64_t, int64_t> row(const GraphPart& p, const std::vector<int64_t>& offsets,
                                int32_t entity) {
  if (!p.holds(entity))
    throw std::out_of_range("entity " + std::to_string(entity) + " is not in this part [" +
                            std::to_string(p.first_source) + ", " + std::to_string(p.end_source) +
                            ")");
  const auto r = static_cast<size_t>(entity - p.first_source);
  return {offsets[r], offsets[r + 1]};
}

}  // namespace

std::vector<Complement> GraphPart::complements(int32_t entity) const {
  const auto [begin, end] = row(*this, comp.row_offsets, entity);
  std::vector<Complement> out;
  for (int64_t e = begin; e < end; ++e) {
    const int64_t b0 = comp.reason_offsets[e], b1 = comp.reason_offsets[e + 1];
    out.push_back({comp.target[e], comp.confidence[e], comp.version[e], comp.provenance[e],
                   comp.reason_bytes.substr(b0, b1 - b0)});
  }
  return out;
}

std::vector<Substitute> GraphPart::substitutes(int32_t entity) const {
  const auto [begin, end] = row(*this, sub.row_offsets, entity);
  std::vector<Substitute> out;
  for (int64_t e = begin; e < end; ++e) out.push_back({sub.target[e], sub.count[e], sub.weight[e]});
  return out;
}

std::vector<Member> GraphPart::members(int32_t entity) const {
  const auto [begin, end] = row(*this, mem.row_offsets, entity);
  std::vector<Member> out;
  for (int64_t e = begin; e < end; ++e) out.push_back({mem.item[e], mem.clicks[e]});
  return out;
}

}  // namespace kerec::graph
