// graph.h5: the sharded complementary graph, the substitutable graph and the membership tables
// (docs/design.md §3; every group, dataset and attribute is described in docs/artifacts.md,
// "graph").
//
// Layout, in short: each edge list is CSR by source entity, sorted by (source, target) (members:
// by source, then clicks descending, then item). The source entities are cut into S shards of
// contiguous ranges balanced by edge count; /shards/* give each shard's source range, its edge
// ranges in each list, and an XXH64 checksum of its data, so a reader can read and verify one shard
// without reading the rest. One file, written collectively with parallel HDF5: rank r writes the
// shards dist::block_of(S, R, r).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/graph/edges.h"
#include "kerec/io/h5_attr.h"

namespace kerec::graph {

inline constexpr const char* kGraphSchema = "graph";
inline constexpr int64_t kGraphSchemaVersion = 1;

// What every rank passes identically to write_graph: the entity and item tables and the
// provenance table the edges refer to.
struct GraphMeta {
  io::h5::RootAttrs root;                 // schema and schema_version are filled in by the writer
  int64_t graph_version = 1;              // this graph's version; a refresh adds 1
  std::vector<std::string> entity_ids;    // N: the user's entity_id per entity index
  std::vector<std::string> entity_names;  // N
  std::vector<std::string> item_ids;      // I: items in extract/items.h5 order
  std::vector<int64_t> item_entity_offsets{
      0};  // I+1: item i's entities are item_entities[off[i], off[i+1])
  std::vector<int32_t> item_entities;
  std::vector<std::string> provenance_llm_model;      // P: table of (model, prompt hash) pairs
  std::vector<std::string> provenance_prompt_sha256;  // P
  int64_t entities() const { return static_cast<int64_t>(entity_ids.size()); }
};

struct GraphWriteOptions {
  int shards = 0;         // S; 0 = the number of ranks
  int deflate_level = 1;  // zlib level of the integer arrays (shuffle+deflate), 1 fastest; 0 =
                          // store them uncompressed too (fastest write, largest file)
  size_t chunk_elems = size_t{1} << 18;  // elements per chunk of the compressed arrays
};

// What write_graph did, the same on every rank.
struct GraphWriteStats {
  int64_t complementary_edges = 0, substitutable_edges = 0, member_edges = 0;
  int shards = 0;
  int64_t file_bytes = 0;
  double exchange_seconds = 0;              // redistribution by shard owner and sorting
  double write_seconds = 0;                 // HDF5 create to close, fsync and rename
  std::vector<int64_t> shard_first_source;  // S+1
  std::vector<int64_t> shard_edges;         // S: complementary + substitutable + member edges
};

// Collective. Writes `path` atomically: the file is built as `<path>.tmp-<pid of rank 0>` in the
// same directory, fsynced, and renamed over `path` only when complete, so a writer killed midway
// leaves the previous file intact. Edge lists may be spread over the ranks in any way. Throws
// (on every rank, RemoteError when the cause was local to some ranks) if a source, target or item
// is out of range, a provenance index is not in the table, or a (source, target) pair appears
// twice in one list.
GraphWriteStats write_graph(const std::filesystem::path& path, const GraphMeta& meta,
                            const ComplementEdges& complementary,
                            const SubstituteEdges& substitutable, const MemberEdges& members,
                            dist::Comm& comm, const GraphWriteOptions& options = {});

}  // namespace kerec::graph
