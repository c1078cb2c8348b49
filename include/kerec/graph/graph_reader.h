// Reading graph.h5 (docs/artifacts.md, "graph"): the whole graph, one shard, or one entity's edges.
//
// Opening checks the root attributes (`schema` must be "graph", `schema_version` one this kerec
// reads) and the consistency of the shard index with the datasets; reading a shard recomputes its
// XXH64 checksum and compares it with /shards/checksum. Every refusal is an InputError (an
// Hdf5Error for a file HDF5 itself cannot open, e.g. a truncated one) whose message names the file
// and says what was found and what was expected.
//
// Local (no communicator). HDF5 is not thread-safe: use readers from the main thread only. Any
// number of processes (ranks) may read one file at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/io/h5_attr.h"

namespace kerec::graph {

// What /shards and the root attributes say about the file.
struct GraphInfo {
  std::filesystem::path path;
  io::h5::RootAttrs root;
  int64_t graph_version = 0;
  int64_t entities = 0, items = 0;
  int64_t complementary_edges = 0, substitutable_edges = 0, member_edges = 0;
  // S+1 entries each: shard s holds sources [first_source[s], first_source[s+1]) and the edges
  // [comp[s], comp[s+1]) of /complementary, and so on.
  std::vector<int64_t> first_source, comp, sub, mem, reason_bytes;
  std::vector<uint64_t> checksum;  // S
  int shards() const { return static_cast<int>(checksum.size()); }
};

struct Complement {
  int32_t target = 0;
  float confidence = 0;
  int32_t version = 0;     // the graph version that added the edge
  int32_t provenance = 0;  // index into the provenance table
  std::string reason;
};

struct Substitute {
  int32_t target = 0;
  int32_t count = 0;
  float weight = 0;
};

struct Member {
  int32_t item = 0;
  int64_t clicks = 0;
};

// The three lists for the sources [first_source, end_source), as read from the file. Row offsets
// and reason offsets are rebased to this part (row_offsets[0] == 0).
struct GraphPart {
  int64_t first_source = 0, end_source = 0;
  struct {
    std::vector<int64_t> row_offsets;
    std::vector<int32_t> target;
    std::vector<float> confidence;
    std::vector<int32_t> version, provenance;
    std::vector<int64_t> reason_offsets;  // edges + 1
    std::string reason_bytes;
  } comp;
  struct {
    std::vector<int64_t> row_offsets;
    std::vector<int32_t> target, count;
    std::vector<float> weight;
  } sub;
  struct {
    std::vector<int64_t> row_offsets;
    std::vector<int32_t> item;
    std::vector<int64_t> clicks;
  } mem;

  bool holds(int32_t entity) const { return entity >= first_source && entity < end_source; }
  // The edges of `entity`; std::out_of_range if the part does not hold it.
  std::vector<Complement> complements(int32_t entity) const;
  std::vector<Substitute> substitutes(int32_t entity) const;
  std::vector<Member> members(int32_t entity) const;
};

class GraphReader {
 public:
  explicit GraphReader(std::filesystem::path path);

  const GraphInfo& info() const { return info_; }
  // The shard holding `entity`; std::out_of_range if it is not in [0, entities).
  int shard_of(int32_t entity) const;
  // Shard s, checksum verified; std::out_of_range if s is not in [0, shards).
  GraphPart read_shard(int shard) const;
  // Every shard as one part, each shard's checksum verified.
  GraphPart read_all() const;
  // Reads (and verifies) the shard of `entity` and returns its edges.
  std::vector<Complement> complements_of(int32_t entity) const;

  std::vector<std::string> entity_ids() const;
  std::vector<std::string> entity_names() const;
  std::vector<std::string> item_ids() const;
  std::vector<std::string> provenance_llm_models() const;
  std::vector<std::string> provenance_prompt_sha256() const;

 private:
  GraphPart read_shards(int first, int end) const;
  GraphInfo info_;
};

}  // namespace kerec::graph
