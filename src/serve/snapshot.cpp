// One loaded serving.h5 (snapshot.h).
#include "snapshot.h"

#include <sys/stat.h>

#include <algorithm>

namespace kerec::serve {

Snapshot::Snapshot(const std::filesystem::path& path, std::string identity)
    : model_(recall::read_serving_file(path)), identity_(std::move(identity)) {
  extractor_ = std::make_unique<extract::ServingExtractor>(model_.extractor);
  for (int32_t e = 0; e < static_cast<int32_t>(model_.entity_ids.size()); ++e)
    entity_index_.emplace(model_.entity_ids[e], e);
  file_bytes_ = static_cast<int64_t>(std::filesystem::file_size(path));
}

std::vector<int32_t> Snapshot::extract(const std::string& text, int64_t& unknown_mentions) const {
  extract::UnknownMentions unknown;
  std::vector<extract::Mention> mentions;
  {
    std::lock_guard lock(extract_mu_);
    mentions = extractor_->extract(text, unknown);
  }
  unknown_mentions = 0;
  for (const auto& [key, u] : unknown) unknown_mentions += u.count;
  std::vector<int32_t> out;
  for (const auto& m : mentions)
    if (std::find(out.begin(), out.end(), m.entity) == out.end()) out.push_back(m.entity);
  return out;
}

int32_t Snapshot::entity_index(const std::string& entity_id) const {
  const auto it = entity_index_.find(entity_id);
  return it == entity_index_.end() ? -1 : it->second;
}

std::string file_identity(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec) + ":" +
         std::to_string(st.st_ino);
}

}  // namespace kerec::serve
