// `kerec inspect PATH`: what a person needs to know about an artifact, without a Python shell.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "inspect_graph.h"
#include "kerec/io/hdf5.h"
#include "kerec/io/inspect_h5.h"
#include "kerec/io/tsv.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/util/error.h"

namespace kerec::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kSampleRows = 3;

void print_counts(const json& object, const std::string& indent) {
  for (const auto& [key, value] : object.items()) {
    if (value.is_object() || (value.is_array() && value.size() > 4)) continue;
    std::cout << indent << key << ": " << value.dump() << "\n";
  }
}

// A scalar for a person: numbers with at most 6 significant digits, strings without quotes.
std::string scalar_text(const json& v) {
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v.get<double>());
    return buf;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// A report as indented, aligned "key  value" lines: scalars and short arrays of scalars first,
// then every nested object as a heading with its members below it; long arrays by their length.
void print_report(const json& object, int depth) {
  const std::string pad(static_cast<size_t>(2 * depth), ' ');
  const auto inline_value = [](const json& v) {
    return !v.is_object() &&
           !(v.is_array() && (v.size() > 8 || std::any_of(v.begin(), v.end(), [](const json& x) {
                                return x.is_structured();
                              })));
  };
  size_t width = 0;
  for (const auto& [key, value] : object.items())
    if (inline_value(value)) width = std::max(width, key.size());
  for (const auto& [key, value] : object.items()) {
    if (!inline_value(value)) continue;
    std::string text;
    if (value.is_array())
      for (const auto& x : value) text += (text.empty() ? "" : ", ") + scalar_text(x);
    std::cout << pad << key << std::string(width - key.size() + 2, ' ')
              << (value.is_array() ? "[" + text + "]" : scalar_text(value)) << "\n";
  }
  for (const auto& [key, value] : object.items()) {
    if (value.is_object()) {
      std::cout << pad << key << ":\n";
      print_report(value, depth + 1);
    } else if (!inline_value(value)) {
      std::cout << pad << key << std::string(width > key.size() ? width - key.size() + 2 : 2, ' ')
                << "(" << value.size() << " entries)\n";
    }
  }
}

// Header, row count and the first rows of a TSV file (plain or gzip), with no schema check.
void inspect_tsv(const fs::path& path) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) throw IoError(errno_message("cannot open '" + path.string() + "'", errno));
  if (path.extension() == ".gz") {
    std::cout << path.string() << ": gzip TSV, " << fs::file_size(path) << " bytes\n";
    return;
  }
  std::string line;
  int64_t rows = -1;
  std::vector<std::string> sample;
  while (std::getline(probe, line)) {
    if (rows < kSampleRows) sample.push_back(line);
    ++rows;
  }
  std::cout << path.string() << ": " << std::max<int64_t>(rows, 0) << " rows, "
            << fs::file_size(path) << " bytes\n";
  for (const auto& s : sample) std::cout << "  " << s << "\n";
}

void inspect_world(const fs::path& dir) {
  std::ifstream in(dir / "world.json");
  const json summary = json::parse(in);
  std::cout << "synthetic world " << dir.string() << "\n";
  print_counts(summary, "  ");
  for (const char* name : {"entities.tsv", "items.tsv", "bills.tsv", "exposures.tsv"}) {
    std::cout << "\n";
    inspect_tsv(dir / name);
  }
  if (fs::is_directory(dir / "truth"))
    std::cout << "\ntruth files (evaluation and LLM simulator only): " << (dir / "truth").string()
              << "\n";
}

void inspect_run(const fs::path& dir) {
  const pipeline::RunDir run(dir);
  const json manifest = run.manifest();
  std::cout << "run directory " << dir.string() << " (kerec "
            << manifest.value("kerec_version", "?") << ")\n";
  if (!manifest.contains("stages")) return;
  for (const auto& [stage, entry] : manifest["stages"].items()) {
    const bool present = fs::is_directory(run.stage_path(stage));
    std::cout << "\n"
              << stage << ": " << (present ? "committed " : "MISSING folder, recorded ")
              << entry.value("committed_at", "?") << " on " << entry.value("ranks", 0)
              << " rank(s) in " << entry.value("wall_s", 0.0) << "s, fingerprint "
              << entry.value("fingerprint", "").substr(0, 12) << "\n";
    if (!present) continue;
    const std::string damage = run.damage(stage);
    if (!damage.empty()) {
      std::cout << "  DAMAGED: " << damage << "\n  rebuild: kerec run --stages " << stage
                << " --force\n";
      continue;
    }
    if (entry.contains("files"))
      std::cout << "  " << entry["files"].size() << " file(s) verified (size and xxh64)\n";
    std::ifstream report_file(run.stage_path(stage) / "report.json");
    if (!report_file) continue;
    print_report(json::parse(report_file), 1);
  }
}

bool is_hdf5(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  return in.gcount() == 8 && std::string(magic, 8) == "\x89HDF\r\n\x1a\n";
}

bool is_graph(const fs::path& path) {
  const auto file = io::h5::File::open_read(path);
  return io::h5::has_attr(file, "schema") &&
         io::h5::get_attr<std::string>(file, "schema") == "graph";
}

}  // namespace

int cmd_inspect(dist::Comm& comm, const std::string& path_text, const std::string& entity_id) {
  if (comm.rank() != 0) return kExitOk;
  const fs::path path(path_text);
  if (!fs::exists(path)) throw IoError("inspect: '" + path_text + "' does not exist");
  // A file a run directory's manifest records is checked before anything parses it.
  if (fs::is_regular_file(path)) pipeline::verify_recorded_file(path);
  if (!entity_id.empty()) {
    if (!is_hdf5(path))
      throw InputError("inspect --entity: '" + path_text +
                       "' is not an HDF5 file; give a graph.h5");
    print_complements(path, entity_id, std::cout);
    return kExitOk;
  }
  if (is_hdf5(path) && is_graph(path)) {
    inspect_graph(path, std::cout);
    return kExitOk;
  }
  if (fs::is_directory(path) && fs::exists(path / "manifest.json"))
    inspect_run(path);
  else if (fs::is_directory(path) && fs::exists(path / "world.json"))
    inspect_world(path);
  else if (fs::is_directory(path))
    throw InputError("inspect: '" + path_text +
                     "' is neither a run directory (manifest.json) nor a world (world.json)");
  else if (is_hdf5(path))
    std::cout << io::h5::describe_file(path);
  else
    inspect_tsv(path);
  return kExitOk;
}

}  // namespace kerec::cli
