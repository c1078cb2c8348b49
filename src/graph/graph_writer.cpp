// write_graph: validate, count degrees (allreduce), plan shards, move every edge to the rank that
// writes its source's shard (alltoallv), sort, checksum, and write one file collectively.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <string>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/graph/graph_file.h"
#include "kerec/io/atomic.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"
#include "layout.h"
#include "redistribute.h"
#include "shard_plan.h"

namespace kerec::graph {
namespace {

namespace fs = std::filesystem;
namespace h5 = io::h5;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("write_graph: " + what);
}

void check_index(int64_t value, int64_t end, const char* what) {
  if (value < 0 || value >= end)
    require(false, std::string(what) + " " + std::to_string(value) + " is not in [0, " +
                       std::to_string(end) + ")");
}

void validate_meta(const GraphMeta& meta) {
  const auto n = meta.entities();
  require(meta.entity_names.size() == static_cast<size_t>(n),
          "entity_names and entity_ids differ in length");
  require(meta.item_entity_offsets.size() == meta.item_ids.size() + 1,
          "item_entity_offsets needs items + 1 entries");
  require(meta.item_entity_offsets.front() == 0 &&
              meta.item_entity_offsets.back() == static_cast<int64_t>(meta.item_entities.size()),
          "item_entity_offsets does not span item_entities");
  for (int32_t e : meta.item_entities) check_index(e, n, "item entity");
  require(meta.provenance_llm_model.size() == meta.provenance_prompt_sha256.size(),
          "provenance tables differ in length");
  require(meta.graph_version >= 1, "graph_version must be at least 1");
}

void validate_edges(const GraphMeta& meta, const ComplementEdges& c, const SubstituteEdges& s,
                    const MemberEdges& m) {
  const int64_t n = meta.entities(), items = static_cast<int64_t>(meta.item_ids.size());
  const auto provenance = static_cast<int64_t>(meta.provenance_llm_model.size());
  require(c.target.size() == c.size() && c.confidence.size() == c.size() &&
              c.version.size() == c.size() && c.provenance.size() == c.size() &&
              c.reason_end.size() == c.size(),
          "complementary columns differ in length");
  for (size_t i = 0; i < c.size(); ++i)
    require(c.reason_end[i] >= (i ? c.reason_end[i - 1] : 0),
            "complementary reason_end decreases at " + std::to_string(i));
  require(c.reason_end.empty() ? c.reason_bytes.empty()
                               : c.reason_end.back() == static_cast<int64_t>(c.reason_bytes.size()),
          "complementary reason_end does not end at reason_bytes.size()");
  for (size_t i = 0; i < c.size(); ++i) {
    check_index(c.source[i], n, "complementary source"),
        check_index(c.target[i], n, "complementary target");
    check_index(c.provenance[i], provenance, "complementary provenance");
    check_index(c.version[i] - 1, meta.graph_version, "complementary version - 1");
  }
  require(s.target.size() == s.size() && s.count.size() == s.size() && s.weight.size() == s.size(),
          "substitutable columns differ in length");
  for (size_t i = 0; i < s.size(); ++i)
    check_index(s.source[i], n, "substitutable source"),
        check_index(s.target[i], n, "substitutable target");
  require(m.item.size() == m.size() && m.clicks.size() == m.size(),
          "member columns differ in length");
  for (size_t i = 0; i < m.size(); ++i)
    check_index(m.source[i], n, "member source"), check_index(m.item[i], items, "member item");
}

// Collective: edges per source in each list, over all ranks.
struct Degrees {
  std::vector<int64_t> comp, sub, mem;
};

Degrees count_degrees(dist::Comm& comm, size_t n, const ComplementEdges& c,
                      const SubstituteEdges& s, const MemberEdges& m) {
  std::vector<int64_t> all(3 * n, 0);
  for (int32_t x : c.source) ++all[x];
  for (int32_t x : s.source) ++all[n + x];
  for (int32_t x : m.source) ++all[2 * n + x];
  dist::allreduce(comm, std::span<int64_t>(all), dist::ReduceOp::kSum);
  return {{all.begin(), all.begin() + n},
          {all.begin() + n, all.begin() + 2 * n},
          {all.begin() + 2 * n, all.end()}};
}

std::vector<int64_t> prefix(const std::vector<int64_t>& degree) {
  std::vector<int64_t> rows(degree.size() + 1, 0);
  std::partial_sum(degree.begin(), degree.end(), rows.begin() + 1);
  return rows;
}

std::vector<int> destinations(const std::vector<int32_t>& source,
                              const std::vector<int>& rank_of_source) {
  std::vector<int> dest(source.size());
  for (size_t i = 0; i < source.size(); ++i) dest[i] = rank_of_source[source[i]];
  return dest;
}

// The edges this rank writes, in file order.
struct LocalGraph {
  ComplementEdges comp;
  SubstituteEdges sub;
  MemberEdges mem;
  std::vector<int64_t>
      reason_offsets;  // local edges + 1 entries, positions in the file's reason_bytes
};

LocalGraph gather_local(dist::Comm& comm, const ShardPlan& plan, const ComplementEdges& c,
                        const SubstituteEdges& s, const MemberEdges& m, size_t n) {
  std::vector<int> rank_of_source(n);
  for (int sh = 0; sh < plan.shards(); ++sh)
    for (int64_t x = plan.first_source[sh]; x < plan.first_source[sh + 1]; ++x)
      rank_of_source[x] = plan.rank_of_shard[sh];
  LocalGraph local{redistribute(comm, c, destinations(c.source, rank_of_source)),
                   redistribute(comm, s, destinations(s.source, rank_of_source)),
                   redistribute(comm, m, destinations(m.source, rank_of_source)),
                   {}};
  dist::run_agreed(comm, [&] {
    const auto name = [](const char* list, DuplicateEdge d) {
      return std::string("write_graph: ") + list + " edge (" + std::to_string(d.source) + ", " +
             std::to_string(d.target) + ") appears twice";
    };
    if (auto d = sort_edges(local.comp); d.found())
      throw std::invalid_argument(name("complementary", d));
    if (auto d = sort_edges(local.sub); d.found())
      throw std::invalid_argument(name("substitutable", d));
    if (auto d = sort_edges(local.mem); d.found()) throw std::invalid_argument(name("member", d));
  });
  const auto bytes = static_cast<int64_t>(local.comp.reason_bytes.size());
  const std::vector<int64_t> all_bytes =
      dist::allgatherv<int64_t>(comm, std::span<const int64_t>(&bytes, 1));
  const int64_t start = std::reduce(all_bytes.begin(), all_bytes.begin() + comm.rank(), int64_t{0});
  local.reason_offsets.push_back(start);
  for (int64_t end : local.comp.reason_end) local.reason_offsets.push_back(start + end);
  return local;
}

struct ShardIndex {
  std::vector<int64_t> first_source, comp, sub, mem, reason_bytes;  // S+1 each
  std::vector<uint64_t> checksum;                                   // S
};

// Collective: the shard index; each rank checksums its own shards, then they are gathered.
ShardIndex shard_index(dist::Comm& comm, const ShardPlan& plan, const Degrees& rows,
                       const LocalGraph& local) {
  ShardIndex index{plan.first_source, {}, {}, {}, {}, {}};
  for (int64_t f : plan.first_source)
    index.comp.push_back(rows.comp[f]), index.sub.push_back(rows.sub[f]),
        index.mem.push_back(rows.mem[f]);
  const int64_t src0 = plan.source_begin();
  std::vector<int64_t> my_bytes;
  std::vector<uint64_t> my_sums;
  for (int sh = plan.shard_begin; sh < plan.shard_end; ++sh) {
    const int64_t f0 = plan.first_source[sh], f1 = plan.first_source[sh + 1];
    const int64_t c0 = rows.comp[f0] - rows.comp[src0], c1 = rows.comp[f1] - rows.comp[src0];
    const int64_t s0 = rows.sub[f0] - rows.sub[src0], s1 = rows.sub[f1] - rows.sub[src0];
    const int64_t m0 = rows.mem[f0] - rows.mem[src0], m1 = rows.mem[f1] - rows.mem[src0];
    const int64_t b0 = local.reason_offsets[c0] - local.reason_offsets[0];
    const int64_t b1 = local.reason_offsets[c1] - local.reason_offsets[0];
    const auto* bytes = reinterpret_cast<const uint8_t*>(local.comp.reason_bytes.data());
    my_bytes.push_back(b1 - b0);
    my_sums.push_back(layout::shard_checksum(
        {layout::slice(rows.comp, f0, f1 + 1), layout::slice(local.comp.target, c0, c1),
         layout::slice(local.comp.confidence, c0, c1), layout::slice(local.comp.version, c0, c1),
         layout::slice(local.comp.provenance, c0, c1),
         layout::slice(local.reason_offsets, c0, c1 + 1),
         std::span<const uint8_t>(bytes + b0, static_cast<size_t>(b1 - b0)),
         layout::slice(rows.sub, f0, f1 + 1), layout::slice(local.sub.target, s0, s1),
         layout::slice(local.sub.count, s0, s1), layout::slice(local.sub.weight, s0, s1),
         layout::slice(rows.mem, f0, f1 + 1), layout::slice(local.mem.item, m0, m1),
         layout::slice(local.mem.clicks, m0, m1)}));
  }
  const std::vector<int64_t> shard_bytes = dist::allgatherv<int64_t>(comm, my_bytes);
  index.reason_bytes.assign(1, 0);
  for (int64_t b : shard_bytes) index.reason_bytes.push_back(index.reason_bytes.back() + b);
  index.checksum = dist::allgatherv<uint64_t>(comm, my_sums);
  return index;
}

void write_tables(const h5::File& file, const GraphMeta& meta, const h5::DatasetOptions& opt) {
  h5::write_strings(file, layout::kEntityIds, meta.entity_ids);
  h5::write_strings(file, layout::kEntityNames, meta.entity_names);
  h5::write_strings(file, layout::kItemIds, meta.item_ids);
  h5::write<int64_t>(file, layout::kItemEntityOffsets, meta.item_entity_offsets, opt);
  h5::write<int32_t>(file, layout::kItemEntities, meta.item_entities, opt);
  h5::write_strings(file, layout::kProvenanceModel, meta.provenance_llm_model);
  h5::write_strings(file, layout::kProvenancePrompt, meta.provenance_prompt_sha256);
}

// The uncompressed arrays (most of the bytes) go first; then the kernel is asked to start writing
// them to the device while the integer arrays are being compressed, so the final fsync has little
// left to wait for (bench/README.md, "Graph").
void write_lists(const fs::path& tmp, const h5::File& file, const Degrees& rows,
                 const LocalGraph& local, dist::Comm& comm, const h5::DatasetOptions& opt) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(local.comp.reason_bytes.data());
  h5::DatasetOptions text = opt;
  text.compress = false;  // reason text: like the floats, stored uncompressed (deflate costs more
                          // than it saves)
  h5::write_distributed<uint8_t>(file, layout::kCompReasonBytes,
                                 std::span<const uint8_t>(bytes, local.comp.reason_bytes.size()),
                                 comm, text);
  h5::write_distributed<float>(file, layout::kCompConfidence, local.comp.confidence, comm, opt);
  h5::write_distributed<float>(file, layout::kSubWeight, local.sub.weight, comm, opt);
  if (comm.rank() == 0) io::start_writeback(tmp);
  h5::write<int64_t>(file, layout::kCompRows, rows.comp, opt);
  h5::write_distributed<int32_t>(file, layout::kCompTarget, local.comp.target, comm, opt);
  h5::write_distributed<int32_t>(file, layout::kCompVersion, local.comp.version, comm, opt);
  h5::write_distributed<int32_t>(file, layout::kCompProvenance, local.comp.provenance, comm, opt);
  // The leading 0 of the offsets is written by rank 0 only, so the ranks' parts concatenate.
  const auto offsets =
      std::span<const int64_t>(local.reason_offsets).subspan(comm.rank() == 0 ? 0 : 1);
  h5::write_distributed<int64_t>(file, layout::kCompReasonOffsets, offsets, comm, opt);
  h5::write<int64_t>(file, layout::kSubRows, rows.sub, opt);
  h5::write_distributed<int32_t>(file, layout::kSubTarget, local.sub.target, comm, opt);
  h5::write_distributed<int32_t>(file, layout::kSubCount, local.sub.count, comm, opt);
  h5::write<int64_t>(file, layout::kMemRows, rows.mem, opt);
  h5::write_distributed<int32_t>(file, layout::kMemItem, local.mem.item, comm, opt);
  h5::write_distributed<int64_t>(file, layout::kMemClicks, local.mem.clicks, comm, opt);
}

void write_index(const h5::File& file, const ShardIndex& index, const h5::DatasetOptions& opt) {
  h5::write<int64_t>(file, layout::kShardFirstSource, index.first_source, opt);
  h5::write<int64_t>(file, layout::kShardComp, index.comp, opt);
  h5::write<int64_t>(file, layout::kShardSub, index.sub, opt);
  h5::write<int64_t>(file, layout::kShardMem, index.mem, opt);
  h5::write<int64_t>(file, layout::kShardReasonBytes, index.reason_bytes, opt);
  h5::write<uint64_t>(file, layout::kShardChecksum, index.checksum, opt);
}

void write_root(const h5::File& file, const GraphMeta& meta, int shards) {
  h5::RootAttrs root = meta.root;
  root.schema = kGraphSchema, root.schema_version = kGraphSchemaVersion;
  h5::write_root_attrs(file, root);
  h5::set_attr(file, layout::kAttrGraphVersion, meta.graph_version);
  h5::set_attr(file, layout::kAttrEntities, meta.entities());
  h5::set_attr(file, layout::kAttrItems, meta.item_ids.size());
  h5::set_attr(file, layout::kAttrShards, shards);
}

}  // namespace

GraphWriteStats write_graph(const fs::path& path, const GraphMeta& meta,
                            const ComplementEdges& complementary,
                            const SubstituteEdges& substitutable, const MemberEdges& members,
                            dist::Comm& comm, const GraphWriteOptions& options) {
  const int shards = options.shards > 0 ? options.shards : comm.size();
  dist::run_agreed(comm, [&] {
    validate_meta(meta), validate_edges(meta, complementary, substitutable, members);
  });
  GraphWriteStats stats;
  const auto start = Clock::now();
  const size_t n = meta.entity_ids.size();
  Degrees degrees = count_degrees(comm, n, complementary, substitutable, members);
  std::vector<int64_t> all_edges(n);
  for (size_t e = 0; e < n; ++e) all_edges[e] = degrees.comp[e] + degrees.sub[e] + degrees.mem[e];
  const ShardPlan plan = plan_shards(all_edges, shards, comm.size(), comm.rank());
  const Degrees rows{prefix(degrees.comp), prefix(degrees.sub), prefix(degrees.mem)};
  const LocalGraph local = gather_local(comm, plan, complementary, substitutable, members, n);
  const ShardIndex index = shard_index(comm, plan, rows, local);
  stats.exchange_seconds = seconds_since(start);

  const auto write_start = Clock::now();
  std::string tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  dist::broadcast_string(comm, tmp, 0);
  h5::DatasetOptions opt{.chunk_elems = options.chunk_elems,
                         .deflate_level = std::max(options.deflate_level, 1)};
  if (options.deflate_level == 0) opt.compress = false;
  try {
    dist::run_agreed(comm, [&] {
      auto file = h5::File::create(tmp, &comm);
      write_root(file, meta, shards);
      write_tables(file, meta, opt);
      write_lists(tmp, file, rows, local, comm, opt);
      write_index(file, index, opt);
      file.close();
    });
    dist::run_agreed(comm, [&] {
      if (comm.rank() != 0) return;
      io::fsync_path(tmp);
      fs::rename(tmp, path);
      io::fsync_dir(path.has_parent_path() ? path.parent_path() : fs::path("."));
    });
  } catch (...) {
    std::error_code ignored;  // the original error is the one to report
    if (comm.rank() == 0) fs::remove(tmp, ignored);
    throw;
  }
  stats.write_seconds = seconds_since(write_start);
  stats.complementary_edges = rows.comp.back(), stats.substitutable_edges = rows.sub.back();
  stats.member_edges = rows.mem.back(), stats.shards = shards;
  stats.file_bytes = static_cast<int64_t>(fs::file_size(path));
  stats.shard_first_source = plan.first_source;
  for (int s = 0; s < shards; ++s)
    stats.shard_edges.push_back(index.comp[s + 1] - index.comp[s] + index.sub[s + 1] -
                                index.sub[s] + index.mem[s + 1] - index.mem[s]);
  return stats;
}

}  // namespace kerec::graph
