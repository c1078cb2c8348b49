// One loaded serving.h5 with what requests need beside it (internal to serve/service.cpp): the
// verified model, the bill extractor, entity ids by name, and a pool of rankers so that requests
// running at the same time each score with their own (recall/recommender.h).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/extract/extractor_file.h"
#include "kerec/recall/serving.h"

namespace kerec::serve {

class Snapshot {
 public:
  // Reads and verifies `path` (InputError / Hdf5Error); `identity` names the file version read.
  Snapshot(const std::filesystem::path& path, std::string identity);

  // A ranker of the pool, returned when the lease ends. The lease must end before the snapshot.
  class Lease {
   public:
    Lease(const Snapshot& s, std::unique_ptr<train::RankerModel> r) : s_(s), r_(std::move(r)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    train::RankerModel* get() const { return r_.get(); }

   private:
    const Snapshot& s_;
    std::unique_ptr<train::RankerModel> r_;
  };
  Lease ranker() const;

  // The text's entities (distinct, in order of mention) and the count of unknown mentions.
  // Serialised: the extractor is not thread-safe.
  std::vector<int32_t> extract(const std::string& text, int64_t& unknown_mentions) const;

  const recall::ServingModel& model() const { return model_; }
  int32_t entity_index(const std::string& entity_id) const;  // -1 when unknown
  const std::string& identity() const { return identity_; }
  int64_t file_bytes() const { return file_bytes_; }

 private:
  recall::ServingModel model_;
  std::unique_ptr<extract::ServingExtractor> extractor_;
  std::unordered_map<std::string, int32_t> entity_index_;
  std::string identity_;
  int64_t file_bytes_ = 0;
  mutable std::mutex extract_mu_, pool_mu_;
  mutable std::vector<std::unique_ptr<train::RankerModel>> pool_;
};

// "size:mtime_ns:inode" of the file at `path` (empty when it does not exist).
std::string file_identity(const std::filesystem::path& path);

}  // namespace kerec::serve
