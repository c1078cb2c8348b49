// Stage `ingest`: reads every input file across the ranks (each rank its byte range), validates
// every field, and reports what the inputs hold. It is the first stage so that a bad row or a
// missing file stops the job before any expensive stage, with the file and line named.
#include "ingest_stage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/progress.h"
#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {
namespace {

using dist::ReduceOp;
using nlohmann::json;

constexpr double kInf = std::numeric_limits<double>::infinity();

// What one rank saw in its part of a file. Sums and extremes are combined across ranks.
struct Tally {
  int64_t rows = 0, skipped = 0, bytes = 0;
  double sum[3] = {0, 0, 0};  // per-file meaning, see describe_*()
  double min_ts = kInf, max_ts = -kInf;
  std::vector<std::string> messages, extra_columns;
  std::set<std::string> categories;
};

// One file's schema and the per-row accumulation into a Tally.
struct InputFile {
  std::string name;
  const io::TsvSchema& schema;
  const char* ts_column;
  void (*add)(const io::TsvSchema&, const io::TsvRow&, Tally&);
};

void add_item(const io::TsvSchema& s, const io::TsvRow& row, Tally& t) {
  t.sum[0] += row.f64(s.index("price"));
  t.categories.insert(std::string(row.str(s.index("category"))));
}
void add_bill(const io::TsvSchema& s, const io::TsvRow& row, Tally& t) {
  t.sum[0] += row.f64(s.index("amount"));
}
void add_exposure(const io::TsvSchema& s, const io::TsvRow& row, Tally& t) {
  t.sum[0] += row.flag(s.index("clicked"));
  t.sum[1] += row.flag(s.index("converted"));
  t.sum[2] += row.f64(s.index("amount"));
}
void add_entity(const io::TsvSchema& s, const io::TsvRow& row, Tally& t) {
  const auto aliases = row.str(s.index("aliases"));
  if (!aliases.empty()) t.sum[0] += 1 + std::count(aliases.begin(), aliases.end(), '|');
  t.categories.insert(std::string(row.str(s.index("category"))));
}

const std::vector<InputFile>& input_files() {
  static const std::vector<InputFile> files = {
      {"entities.tsv", io::entities_schema(), nullptr, add_entity},
      {"items.tsv", io::items_schema(), "created_at", add_item},
      {"bills.tsv", io::bills_schema(), "ts", add_bill},
      {"exposures.tsv", io::exposures_schema(), "ts", add_exposure},
  };
  return files;
}

constexpr int64_t kRowsPerBatch = 1 << 16;

// Local: reads up to kRowsPerBatch rows of this rank's part into the tally; false at the part's
// end.
bool read_batch(const InputFile& file, io::TsvReader& reader, Tally& t) {
  const size_t ts = file.ts_column ? file.schema.index(file.ts_column) : 0;
  io::TsvRow row;
  for (int64_t n = 0; n < kRowsPerBatch; ++n) {
    if (!reader.next(row)) return false;
    file.add(file.schema, row, t);
    if (file.ts_column) {
      const double v = static_cast<double>(row.i64(ts));
      t.min_ts = std::min(t.min_ts, v);
      t.max_ts = std::max(t.max_ts, v);
    }
    ++t.rows;
  }
  return true;
}

// Collective: every rank reads its part in batches; a bad row on any rank fails all of them.
Tally read_part(dist::Comm& comm, const InputFile& file, const std::string& path,
                const io::BadRowPolicy& policy, double progress_interval_s) {
  Tally t;
  std::unique_ptr<io::TsvReader> reader;
  dist::run_agreed(comm, [&] {
    reader = std::make_unique<io::TsvReader>(path, file.schema, policy, comm.rank(), comm.size());
  });
  Progress progress(comm, "ingest " + file.name, "rows", 0, progress_interval_s);
  bool more = true;
  do {
    const int64_t before = t.rows;
    dist::run_agreed(comm, [&] { more = more && read_batch(file, *reader, t); });
    progress.add(static_cast<uint64_t>(t.rows - before));
  } while (progress.step(!more));
  t.skipped = reader->stats().rows_skipped;
  t.bytes = reader->stats().bytes_read;
  t.messages = reader->stats().skipped_messages;
  t.extra_columns = reader->stats().extra_columns;
  return t;
}

// Collective: sums, extremes, the skipped-row messages and the category sets of all ranks.
void combine(dist::Comm& comm, Tally& t) {
  int64_t counts[3] = {t.rows, t.skipped, t.bytes};
  dist::allreduce(comm, std::span<int64_t>(counts), ReduceOp::kSum);
  t.rows = counts[0], t.skipped = counts[1], t.bytes = counts[2];
  dist::allreduce(comm, std::span<double>(t.sum), ReduceOp::kSum);
  t.min_ts = dist::allreduce_value(comm, t.min_ts, ReduceOp::kMin);
  t.max_ts = dist::allreduce_value(comm, t.max_ts, ReduceOp::kMax);
  std::string mine;
  for (const auto& m : t.messages) mine += m + "\n";
  for (const auto& c : t.categories) mine += "\x1f" + c + "\n";
  t.messages.clear();
  for (const auto& part : dist::allgather_strings(comm, mine)) {
    size_t start = 0;
    for (size_t end; (end = part.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = part.substr(start, end - start);
      if (!line.empty() && line[0] == '\x1f')
        t.categories.insert(line.substr(1));
      else if (t.messages.size() < io::kMaxSkippedMessages)
        t.messages.push_back(line);
    }
  }
}

json describe(const InputFile& file, const Tally& t) {
  json j = {{"rows", t.rows}, {"skipped_rows", t.skipped}, {"bytes", t.bytes}};
  if (!t.messages.empty()) j["skipped_examples"] = t.messages;
  if (!t.extra_columns.empty()) j["ignored_columns"] = t.extra_columns;
  if (file.ts_column && t.rows > 0)
    j["time_range"] = {static_cast<int64_t>(t.min_ts), static_cast<int64_t>(t.max_ts)};
  if (file.name == "items.tsv") {
    j["categories"] = t.categories.size();
    j["mean_price"] = t.rows ? t.sum[0] / t.rows : 0.0;
  } else if (file.name == "entities.tsv") {
    j["aliases"] = static_cast<int64_t>(t.sum[0]);
    j["categories"] = t.categories.size();
  } else if (file.name == "bills.tsv") {
    j["amount"] = t.sum[0];
  } else if (file.name == "exposures.tsv") {
    j["clicks"] = static_cast<int64_t>(t.sum[0]);
    j["conversions"] = static_cast<int64_t>(t.sum[1]);
    j["amount"] = t.sum[2];
    j["ctr"] = t.rows ? t.sum[0] / t.rows : 0.0;
  }
  return j;
}

}  // namespace

std::vector<std::string> IngestStage::input_files(const JobConfig& config) const {
  std::vector<std::string> paths;
  for (const auto& f : pipeline::input_files()) paths.push_back(config.input_path(f.name));
  return paths;
}

json IngestStage::run(StageContext& ctx) {
  const auto policy = ctx.config.input().bad_row_policy();
  const auto start = std::chrono::steady_clock::now();
  json report = {{"files", json::object()}};
  int64_t rows = 0, bytes = 0, skipped = 0;
  for (const auto& file : pipeline::input_files()) {
    const std::string path = ctx.config.input_path(file.name);
    Tally t = read_part(ctx.comm, file, path, policy, ctx.config.log().progress_interval_s);
    combine(ctx.comm, t);
    dist::run_agreed(ctx.comm, [&] {  // the same verdict on every rank: the counts are combined
      if (t.skipped > ctx.config.input().max_bad_rows)
        throw InputError(path + ": " + std::to_string(t.skipped) +
                         " bad rows over all ranks, more than input.max_bad_rows = " +
                         std::to_string(ctx.config.input().max_bad_rows) +
                         "; first: " + t.messages.at(0));
    });
    report["files"][file.name] = describe(file, t);
    rows += t.rows, bytes += t.bytes, skipped += t.skipped;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report["rows"] = rows;
  report["skipped_rows"] = skipped;
  report["bytes"] = bytes;
  report["rows_per_s"] = seconds > 0 ? rows / seconds : 0.0;
  report["mb_per_s_per_rank"] = seconds > 0 ? bytes / seconds / 1e6 / ctx.comm.size() : 0.0;
  return report;
}

std::string IngestStage::summary(const json& r) const {
  std::string s = "ingest: " + std::to_string(r["rows"].get<int64_t>()) + " rows read, " +
                  std::to_string(r["skipped_rows"].get<int64_t>()) + " skipped";
  for (const auto& [name, f] : r["files"].items())
    s += "\n  " + name + ": " + std::to_string(f["rows"].get<int64_t>()) + " rows" +
         (f["skipped_rows"].get<int64_t>()
              ? " (" + std::to_string(f["skipped_rows"].get<int64_t>()) + " skipped)"
              : "");
  char rate[96];
  std::snprintf(rate, sizeof rate, "\n  %.0f rows/s, %.1f MB/s per rank",
                r["rows_per_s"].get<double>(), r["mb_per_s_per_rank"].get<double>());
  return s + rate;
}

}  // namespace kerec::pipeline
