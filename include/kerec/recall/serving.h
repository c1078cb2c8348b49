// serving.h5 (docs/artifacts.md "export"): everything recall and ranking need at serving time, so
// that serving computes nothing from the run's other artifacts. Written by the export stage, read
// by kerec::recall::Recommender (in-process: the offline evaluation; the server).
//
// Every dataset's XXH64 is recorded in /checksums (name, xxh64), and so is one of the attributes
// that steer serving (the graph version, the trigger window, the ranker's shape and hashing); all
// are verified when the file is read, with the lengths, orders and index ranges: a damaged file is
// an InputError naming the dataset, never a model that silently serves garbage.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/extract/extractor_file.h"
#include "kerec/io/h5_attr.h"
#include "kerec/train/integrate.h"
#include "kerec/train/ranker.h"

namespace kerec::recall {

inline constexpr int64_t kServingSchemaVersion = 2;  // 2: /users and /extractor

// Each user as the logs left them at export time: the start state of `kerec serve`.
struct UserTable {
  std::vector<uint64_t> keys;  // hash64(user_id), ascending
  std::vector<int64_t> bill_offsets{
      0};  // user u's bills: [bill_offsets[u], bill_offsets[u+1]), newest first
  std::vector<int32_t> bill_entity;  // entity index
  std::vector<int64_t> bill_ts;
  std::vector<int64_t> click_offsets{0};  // user u's clicked entities, most recent first, distinct
  std::vector<int32_t> click_entity;
  int64_t logs_end_ts = 0;  // the latest timestamp of the bills and exposures

  size_t size() const { return keys.size(); }
  int64_t find(uint64_t key) const;  // the user's index, or -1
};

struct ServingModel {
  io::h5::RootAttrs root;  // schema "serving"; llm_model and prompt_sha256 of the graph
  int64_t graph_version = 0;
  std::vector<std::string> entity_ids, entity_names;  // by entity index
  train::ItemFeatures items;                          // ids, price buckets, cold start, entities
  // Per entity, its items best first by score = training clicks (ties: item index), CSR.
  std::vector<int64_t> entity_item_offsets{0};
  std::vector<int32_t> entity_item;
  std::vector<float> entity_item_score;
  // The complementary graph with the learned weights w(a, b), the recency weights and the window;
  // per edge (CSR order) the LLM's confidence and reason.
  train::ComplementWeights complements;
  std::vector<float> confidence;
  std::vector<int64_t>
      reason_end;  // edge e's reason is reason_bytes[reason_end[e-1], reason_end[e])
  std::string reason_bytes;
  train::EntityGraph substitutes;                  // weight: co-click weight
  std::vector<int32_t> popular;                    // items by training clicks, most first
  std::unique_ptr<train::RankerModel> ranker;      // the integrated ranker
  int64_t recent_bills = 0, bill_window_days = 0;  // how the ranker's bill features are built
  UserTable users;
  extract::ExtractorData extractor;  // extracts bill events posted to the server

  std::span<const int32_t> items_of(int32_t entity) const {
    return {entity_item.data() + entity_item_offsets[entity],
            entity_item.data() + entity_item_offsets[entity + 1]};
  }
  std::string_view reason(int64_t edge) const;  // std::out_of_range for an edge that does not exist
  int64_t entities() const { return static_cast<int64_t>(entity_ids.size()); }
};

// Writes `model` (its ranker included) to `path`, root attributes from model.root plus the config
// hash.
void write_serving_file(const std::filesystem::path& path, const ServingModel& model,
                        const std::string& config_sha256);

// Reads and verifies (schema, version, every checksum, consistent lengths). InputError naming the
// file and the dataset otherwise (Hdf5Error for a file HDF5 cannot open).
ServingModel read_serving_file(const std::filesystem::path& path);

}  // namespace kerec::recall
