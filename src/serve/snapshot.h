// One loaded serving.h5 with what requests need beside it (internal to serve/service.cpp): the
// verified model, the bill extractor and entity ids by name. Requests share it read-only (the
// recommender is thread-safe); only the extractor is serialised.
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
  mutable std::mutex extract_mu_;
};

// "size:mtime_ns:inode" of the file at `path` (empty when it does not exist).
std::string file_identity(const std::filesystem::path& path);

}  // namespace kerec::serve
