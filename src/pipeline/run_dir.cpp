#include "kerec/pipeline/run_dir.h"

#include <fstream>
#include <sstream>

#include "kerec/io/atomic.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {

namespace fs = std::filesystem;

fs::path RunDir::log_path(int rank) const { return root_ / "logs" / ("rank-" + std::to_string(rank) + ".log"); }

void RunDir::create() const {
  std::error_code ec;
  fs::create_directories(root_ / "logs", ec);
  if (ec) throw IoError("cannot create run directory '" + (root_ / "logs").string() + "': " + ec.message());
}

nlohmann::json RunDir::manifest() const {
  const fs::path path = root_ / "manifest.json";
  std::ifstream in(path);
  if (!in) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path.string() + ": not valid JSON: " + e.what());
  }
}

std::optional<nlohmann::json> RunDir::committed(const std::string& stage) const {
  const nlohmann::json m = manifest();
  if (!m.contains("stages") || !m["stages"].contains(stage)) return std::nullopt;
  if (!fs::is_directory(stage_path(stage))) return std::nullopt;
  return m["stages"][stage];
}

void RunDir::record(const std::string& stage, const nlohmann::json& entry) const {
  nlohmann::json m = manifest();
  m["kerec_version"] = KEREC_VERSION;
  m["stages"][stage] = entry;
  io::write_file_atomic(root_ / "manifest.json", m.dump(2) + "\n");
}

void RunDir::write_file(const std::string& name, const std::string& text) const {
  io::write_file_atomic(root_ / name, text);
}

}  // namespace kerec::pipeline
