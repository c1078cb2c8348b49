#include "kerec/pipeline/stage_config.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "kerec/util/sha256.h"

namespace kerec::pipeline {
// In the order of StageConfig::Table.
const std::vector<std::string>& StageConfig::table_names() {
  static const std::vector<std::string> names{"input", "world", "extract", "pairs",  "llm",
                                              "graph", "train", "eei",     "export", "ab"};
  return names;
}

std::string StageConfig::input_path(const std::string& name) const {
  (void)input();
  auto path = job_.input_path(name);
  std::lock_guard lock(paths_mutex_);
  paths_.insert(path);
  return path;
}

std::string StageConfig::to_toml(const std::vector<std::string>& sections) const {
  const auto& names = table_names();
  for (const auto& section : sections) {
    const auto at = std::find(names.begin(), names.end(), section);
    if (at == names.end())
      throw std::invalid_argument("StageConfig::to_toml: no table '" + section + "'");
    read_mask_.fetch_or(1u << (at - names.begin()), std::memory_order_relaxed);
  }
  return job_.to_toml(sections);
}

std::string StageConfig::config_sha256() const { return sha256_hex(job_.to_toml()); }

std::vector<std::string> StageConfig::tables_read() const {
  std::vector<std::string> read;
  const uint32_t mask = read_mask_.load(std::memory_order_relaxed);
  for (size_t t = 0; t < table_names().size(); ++t)
    if (mask & (1u << t)) read.push_back(table_names()[t]);
  return read;
}

std::vector<std::string> StageConfig::undeclared(const std::vector<std::string>& declared) const {
  std::vector<std::string> extra;
  for (const auto& table : tables_read())
    if (std::find(declared.begin(), declared.end(), table) == declared.end())
      extra.push_back(table);
  return extra;
}

std::vector<std::string> StageConfig::unlisted_files(const std::vector<std::string>& listed) const {
  std::lock_guard lock(paths_mutex_);
  std::vector<std::string> extra;
  for (const auto& path : paths_)
    if (std::find(listed.begin(), listed.end(), path) == listed.end() &&
        std::filesystem::exists(path))
      extra.push_back(path);
  return extra;
}

void StageConfig::require_declared(const std::string& stage, const std::vector<std::string>& tables,
                                   const std::vector<std::string>& files) const {
  std::string what;
  for (const auto& t : undeclared(tables))
    what += "\n  config table [" + t + "], not in its config_sections()";
  for (const auto& f : unlisted_files(files))
    what += "\n  input file " + f + ", not in its input_files()";
  if (!what.empty())
    throw std::logic_error("stage " + stage + " read what its fingerprint does not cover, so it " +
                           "could be reused after a change there:" + what);
}

}  // namespace kerec::pipeline
