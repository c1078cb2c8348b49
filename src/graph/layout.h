// Dataset names of graph.h5 and the shard checksum, shared by the writer and the reader so the two
// cannot drift apart (docs/artifacts.md, "graph", is the user-facing description of the same).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kerec/util/checksum.h"

namespace kerec::graph::layout {

inline constexpr const char* kEntityIds = "entities/entity_id";
inline constexpr const char* kEntityNames = "entities/name";
inline constexpr const char* kItemIds = "items/id";
inline constexpr const char* kItemEntityOffsets = "items/entity_offsets";
inline constexpr const char* kItemEntities = "items/entity";
inline constexpr const char* kProvenanceModel = "provenance/llm_model";
inline constexpr const char* kProvenancePrompt = "provenance/prompt_sha256";

inline constexpr const char* kCompRows = "complementary/row_offsets";
inline constexpr const char* kCompTarget = "complementary/target";
inline constexpr const char* kCompConfidence = "complementary/confidence";
inline constexpr const char* kCompVersion = "complementary/version";
inline constexpr const char* kCompProvenance = "complementary/provenance";
inline constexpr const char* kCompReasonOffsets = "complementary/reason_offsets";
inline constexpr const char* kCompReasonBytes = "complementary/reason_bytes";

inline constexpr const char* kSubRows = "substitutable/row_offsets";
inline constexpr const char* kSubTarget = "substitutable/target";
inline constexpr const char* kSubCount = "substitutable/count";
inline constexpr const char* kSubWeight = "substitutable/weight";

inline constexpr const char* kMemRows = "members/row_offsets";
inline constexpr const char* kMemItem = "members/item";
inline constexpr const char* kMemClicks = "members/clicks";

inline constexpr const char* kShardFirstSource = "shards/first_source";
inline constexpr const char* kShardComp = "shards/complementary";
inline constexpr const char* kShardSub = "shards/substitutable";
inline constexpr const char* kShardMem = "shards/members";
inline constexpr const char* kShardReasonBytes = "shards/reason_bytes";
inline constexpr const char* kShardChecksum = "shards/checksum";

// Root attributes beyond io::h5::RootAttrs.
inline constexpr const char* kAttrGraphVersion = "graph_version";
inline constexpr const char* kAttrEntities = "entities";
inline constexpr const char* kAttrItems = "items";
inline constexpr const char* kAttrShards = "shards";

// One shard's data as the checksum sees it, each a slice of the stored array: row offsets
// [first_source, end_source] (one more than the rows), edges [e0, e1), reason offsets [e0, e1],
// reason bytes [b0, b1). The checksum is XXH64 chained over the slices in this order, each slice's
// seed being the previous result, the first seed 0.
struct ShardView {
  std::span<const int64_t> comp_rows;
  std::span<const int32_t> comp_target;
  std::span<const float> comp_confidence;
  std::span<const int32_t> comp_version, comp_provenance;
  std::span<const int64_t> comp_reason_offsets;
  std::span<const uint8_t> comp_reason_bytes;
  std::span<const int64_t> sub_rows;
  std::span<const int32_t> sub_target, sub_count;
  std::span<const float> sub_weight;
  std::span<const int64_t> mem_rows;
  std::span<const int32_t> mem_item;
  std::span<const int64_t> mem_clicks;
};

// Elements [begin, end) of `v`, the form every ShardView member is taken in.
template <class T>
std::span<const T> slice(const std::vector<T>& v, int64_t begin, int64_t end) {
  return std::span<const T>(v).subspan(static_cast<size_t>(begin),
                                       static_cast<size_t>(end - begin));
}

inline uint64_t shard_checksum(const ShardView& v) {
  uint64_t h = 0;
  h = xxh64(v.comp_rows, h), h = xxh64(v.comp_target, h), h = xxh64(v.comp_confidence, h);
  h = xxh64(v.comp_version, h), h = xxh64(v.comp_provenance, h);
  h = xxh64(v.comp_reason_offsets, h), h = xxh64(v.comp_reason_bytes, h);
  h = xxh64(v.sub_rows, h), h = xxh64(v.sub_target, h), h = xxh64(v.sub_count, h);
  h = xxh64(v.sub_weight, h);
  h = xxh64(v.mem_rows, h), h = xxh64(v.mem_item, h), h = xxh64(v.mem_clicks, h);
  return h;
}

}  // namespace kerec::graph::layout
