// Loading the ranker's samples (docs/design.md §2.2 step 6): exposures from exposures.tsv, item
// entities and bill entities from the extract stage's outputs (docs/artifacts.md "Extracted
// mentions").
//
// Split by user: each rank reads its byte range of exposures.tsv and sends every exposure to the
// rank that owns its user (mix64(hash64(user_id)) % ranks), so a user's history and bills are
// local. Every rank holds every item's features. Samples are sorted by (user, ts, item) on their
// owner, so the result does not depend on how the file was cut.
//
// Split by time: ts >= train.test_start_ts is test; the train.valid_days days before it are
// validation (early stopping); the rest is training. Exposures of items unknown to extract/items.h5
// are skipped and counted.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/io/tsv.h"
#include "kerec/train/ranker.h"

namespace kerec::train {

struct RankerDataPaths {
  std::filesystem::path items_h5, bills_h5;  // extract/items.h5, extract/bills.h5
  std::filesystem::path items_tsv, exposures_tsv;
};

struct RankerData {
  ItemFeatures items;
  RankerSamples train, valid, test;  // this rank's users
  nlohmann::json counts;             // global counts: samples per split, skipped rows, bills, ...
};

// Bills of extract/bills.h5 with their entities (CSR), checked for consistent lengths
// (InputError naming the file otherwise). Local: the caller decides which rows it keeps.
struct BillRows {
  std::vector<std::string> user;  // user_id per bill
  std::vector<int64_t> ts;
  std::vector<int64_t> offsets;  // bill b's entities: entity[offsets[b], offsets[b+1])
  std::vector<int32_t> entity;
  int64_t first_row = 0;   // the file row of bill 0
  int64_t total_rows = 0;  // bills in the file
};
// Every bill.
BillRows read_bill_rows(const std::filesystem::path& bills_h5);
// Rank `rank`'s even block of the bills (dist::block_of), offsets rebased to start at 0.
BillRows read_bill_rows(const std::filesystem::path& bills_h5, int rank, int ranks);

// Collective.
RankerData load_ranker_data(dist::Comm& comm, const TrainConfig& config,
                            const RankerDataPaths& paths, const io::BadRowPolicy& policy);

// The price bucket of a price: min(buckets - 1, floor(2 log2(1 + price))).
int32_t price_bucket(double price, int64_t buckets);

// The scene feature: hash64(scene) % buckets.
int32_t scene_bucket(std::string_view scene, int64_t buckets);

// The rank that owns a user key.
int owner_of(uint64_t user_key, int ranks);

}  // namespace kerec::train
