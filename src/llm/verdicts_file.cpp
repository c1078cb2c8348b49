#include "kerec/llm/verdicts_file.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "kerec/dist/collectives.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace h5 = io::h5;

constexpr const char* kA = "verdicts/a";
constexpr const char* kB = "verdicts/b";
constexpr const char* kVerdict = "verdicts/verdict";
constexpr const char* kConfidence = "verdicts/confidence";
constexpr const char* kReason = "verdicts/reason";

template <class T>
std::vector<T> slice(const h5::File& f, const char* name, dist::Block b) {
  return h5::read_slice<T>(f, name, b.begin, b.end - b.begin);
}

VerdictRows sorted(const VerdictRows& rows) {
  const size_t n = rows.size();
  if (rows.b.size() != n || rows.verdict.size() != n || rows.confidence.size() != n ||
      rows.reason.size() != n)
    throw std::invalid_argument("write_verdicts: the columns differ in length");
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::pair(rows.a[x], rows.b[x]) < std::pair(rows.a[y], rows.b[y]);
  });
  VerdictRows s;
  for (size_t i : order) {
    s.a.push_back(rows.a[i]), s.b.push_back(rows.b[i]), s.verdict.push_back(rows.verdict[i]);
    s.confidence.push_back(rows.confidence[i]), s.reason.push_back(rows.reason[i]);
  }
  return s;
}

// InputError naming the file and row for a pair outside [0, entities) or a code above 3.
void check_rows(const std::filesystem::path& path, const VerdictBlock& v, int64_t entities) {
  for (size_t i = 0; i < v.size(); ++i) {
    const auto row = std::to_string(v.first_row + static_cast<int64_t>(i));
    if (v.a[i] < 0 || v.a[i] >= entities || v.b[i] < 0 || v.b[i] >= entities)
      throw InputError(path.string() + ": row " + row + ": pair (" + std::to_string(v.a[i]) + ", " +
                       std::to_string(v.b[i]) + ") is outside the " + std::to_string(entities) +
                       " entities of extract/entities.h5");
    if (v.verdict[i] > 3)
      throw InputError(path.string() + ": row " + row + ": verdict code " +
                       std::to_string(v.verdict[i]) + " is not 0-3");
  }
}

}  // namespace

void write_verdicts(const std::filesystem::path& path, const VerdictRows& rows,
                    io::h5::RootAttrs root) {
  const VerdictRows s = sorted(rows);
  root.schema = kVerdictsSchema, root.schema_version = kVerdictsSchemaVersion;
  auto file = h5::File::create(path);
  h5::write_root_attrs(file, root);
  h5::write<int32_t>(file, kA, s.a);
  h5::write<int32_t>(file, kB, s.b);
  h5::write<uint8_t>(file, kVerdict, s.verdict);
  h5::write<float>(file, kConfidence, s.confidence);
  h5::write_strings(file, kReason, s.reason);
  file.close();
}

VerdictBlock read_verdict_block(const std::filesystem::path& path, int64_t entities, int rank,
                                int ranks) {
  const auto f = h5::File::open_read(path);
  const auto root = h5::read_root_attrs(f, kVerdictsSchema);
  VerdictBlock v;
  v.llm_model = root.llm_model, v.prompt_sha256 = root.prompt_sha256;
  const auto dims = h5::shape(f, kA);
  if (dims.size() != 1)
    throw InputError(path.string() + ": /verdicts/a has " + std::to_string(dims.size()) +
                     " dimensions, expected 1");
  v.total_rows = static_cast<int64_t>(dims[0]);
  const dist::Block b = dist::block_of(static_cast<uint64_t>(v.total_rows), ranks, rank);
  v.first_row = static_cast<int64_t>(b.begin);
  v.a = slice<int32_t>(f, kA, b), v.b = slice<int32_t>(f, kB, b);
  v.verdict = slice<uint8_t>(f, kVerdict, b), v.confidence = slice<float>(f, kConfidence, b);
  const auto reasons = h5::shape(f, kReason);
  if (reasons.size() != 1 || static_cast<int64_t>(reasons[0]) != v.total_rows)
    throw InputError(path.string() + ": /verdicts/reason has " +
                     (reasons.size() == 1 ? std::to_string(reasons[0]) : "not 1-D") +
                     " entries, expected " + std::to_string(v.total_rows) +
                     " (one per row of /verdicts/a)");
  v.reason = h5::read_strings(f, kReason, b.begin, b.end - b.begin);
  check_rows(path, v, entities);
  return v;
}

void read_verdict_pairs(const std::filesystem::path& path, std::vector<int32_t>& a,
                        std::vector<int32_t>& b) {
  const auto file = h5::File::open_read(path);
  a = h5::read<int32_t>(file, kA), b = h5::read<int32_t>(file, kB);
  if (a.size() != b.size())
    throw InputError(file.where() + ": /verdicts/a and /verdicts/b differ in length");
}

bool is_verdicts_file(const std::filesystem::path& path) {
  return h5::File::open_read(path).exists(kA);
}

}  // namespace kerec::llm
