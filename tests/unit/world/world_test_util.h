// Helpers of the world tests: small worlds in temp dirs, and reading their TSV files back.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kerec/dist/local_comm.h"
#include "kerec/world/text.h"
#include "kerec/world/world.h"

namespace kerec::world::test {

using Row = std::vector<std::string>;

// A fresh directory under the system temp dir, unique per test name.
inline std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("kerec-world-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// 100 entities, 2500 items, 1000 users, ~50000 exposures.
inline WorldConfig small_config(const std::filesystem::path& dir,
                                const std::string& language = "en") {
  WorldConfig c;
  c.dir = dir.string();
  c.scale = 0.05;
  c.language = language;
  return c;
}

inline WorldSummary generate_local(const WorldConfig& config) {
  dist::LocalComm comm;
  return generate_world(comm, config);
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of a TSV file; the header is row 0.
inline std::vector<Row> read_tsv(const std::filesystem::path& path) {
  std::vector<Row> rows;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    Row row = split(line, '\t');
    if (line.empty()) row.assign(1, "");
    rows.push_back(std::move(row));
  }
  return rows;
}

// Code points [start, end) of UTF-8 `text`.
inline std::string code_point_substr(const std::string& text, size_t start, size_t end) {
  const std::vector<std::string_view> chars = utf8_chars(text);
  std::string out;
  for (size_t i = start; i < end && i < chars.size(); ++i) out += chars[i];
  return out;
}

}  // namespace kerec::world::test
