// generate_world: the collective orchestration. Every rank builds the world model; rank 0 writes
// the catalogue files while all ranks simulate their block of users into part files; rank 0 then
// joins the parts in rank order and renames the staging directory into place.
#include <exception>
#include <filesystem>
#include <string>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"
#include "kerec/world/files.h"
#include "kerec/world/world.h"

namespace kerec::world {

namespace fs = std::filesystem;

namespace {

std::string part(const fs::path& parts, const char* name, int rank) {
  return (parts / (std::string(name) + "." + std::to_string(rank) + ".tsv")).string();
}

// `dir` without a trailing separator, so that "<dir>.staging" is its sibling.
fs::path world_dir(const WorldConfig& config) {
  fs::path p = fs::path(config.dir).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

void check(const std::error_code& ec, const std::string& what) {
  if (ec) throw IoError(what + ": " + ec.message());
}

// Removes the staging directory left by an earlier run and creates a fresh one.
void prepare_staging(const fs::path& staging) {
  std::error_code ec;
  fs::remove_all(staging, ec);
  check(ec, "remove " + staging.string());
  fs::create_directories(staging / "parts", ec);
  check(ec, "create " + (staging / "parts").string());
  fs::create_directories(staging / "truth", ec);
  check(ec, "create " + (staging / "truth").string());
}

// Simulates this rank's contiguous block of users into its part files.
SimulationOutput simulate_block(dist::Comm& comm, const WorldModel& world, const fs::path& parts) {
  const dist::Block block =
      dist::block_of(static_cast<uint64_t>(world.sizes.users), comm.size(), comm.rank());
  io::TsvWriter bills(part(parts, "bills", comm.rank()), bills_columns(),
                      io::TsvWriter::Header::kOmit);
  io::TsvWriter exposures(part(parts, "exposures", comm.rank()), exposures_columns(),
                          io::TsvWriter::Header::kOmit);
  io::TsvWriter truth(part(parts, "exposure_truth", comm.rank()), exposure_truth_columns(),
                      io::TsvWriter::Header::kOmit);
  SimulationOutput out;
  out.bills = &bills;
  out.exposures = &exposures;
  out.exposure_truth = &truth;
  UserSimulator sim(world);
  for (uint64_t u = block.begin; u < block.end; ++u) sim.simulate(static_cast<int64_t>(u), out);
  bills.close();
  exposures.close();
  truth.close();
  out.bills = out.exposures = out.exposure_truth = nullptr;
  return out;
}

// bills.tsv line number of this rank's first bill: header is line 1.
int64_t first_bill_line(dist::Comm& comm, int64_t local_bills) {
  const std::vector<int64_t> all =
      dist::allgatherv<int64_t>(comm, std::span<const int64_t>(&local_bills, 1));
  int64_t line = 2;
  for (int r = 0; r < comm.rank(); ++r) line += all[r];
  return line;
}

WorldSummary reduce_summary(dist::Comm& comm, const WorldModel& world, const WorldSummary& local) {
  int64_t v[] = {local.users,
                 local.bills,
                 local.outside_bills,
                 local.exposures,
                 local.test_exposures,
                 local.cold_start_exposures,
                 local.complementary_exposures,
                 local.boosted_exposures,
                 local.clicks,
                 local.conversions};
  dist::allreduce(comm, std::span<int64_t>(v), dist::ReduceOp::kSum);
  WorldSummary s;
  s.users = v[0], s.bills = v[1], s.outside_bills = v[2], s.exposures = v[3],
  s.test_exposures = v[4];
  s.cold_start_exposures = v[5], s.complementary_exposures = v[6], s.boosted_exposures = v[7];
  s.clicks = v[8], s.conversions = v[9];
  s.entities = static_cast<int64_t>(world.taxonomy.entities.size());
  s.items = static_cast<int64_t>(world.catalog.items.size());
  for (const Item& it : world.catalog.items) s.cold_start_items += it.cold_start;
  s.complement_relations = static_cast<int64_t>(world.complements.edges());
  s.substitute_groups = static_cast<int64_t>(world.taxonomy.substitute_groups.size());
  s.train_end_ts = world.sizes.train_end_ts;
  return s;
}

// Refuses to delete a directory that does not look like a world (so `dir = "/home/me"` is safe).
void replace_dir(const fs::path& staging, const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir) || (!fs::is_empty(dir) && !fs::exists(dir / "world.json")))
      throw IoError("refusing to replace " + dir.string() +
                    ": it exists and is not a world directory");
    fs::remove_all(dir, ec);
    check(ec, "remove " + dir.string());
  }
  fs::rename(staging, dir, ec);
  check(ec, "rename " + staging.string() + " to " + dir.string());
}

// Rank 0: joins the parts in rank order, writes the JSON files and moves the world into place.
void assemble(const WorldModel& world, const WorldSummary& summary, const fs::path& staging,
              int ranks) {
  const fs::path parts = staging / "parts";
  std::vector<std::string> bills, exposures, truth,
      mentions{(parts / "item_mentions.tsv").string()};
  for (int r = 0; r < ranks; ++r) {
    bills.push_back(part(parts, "bills", r));
    exposures.push_back(part(parts, "exposures", r));
    truth.push_back(part(parts, "exposure_truth", r));
    mentions.push_back(part(parts, "bill_mentions", r));
  }
  concatenate_files((staging / "bills.tsv").string(), header_line(bills_columns()), bills);
  concatenate_files((staging / "exposures.tsv").string(), header_line(exposures_columns()),
                    exposures);
  concatenate_files((staging / "truth" / "exposures.tsv").string(),
                    header_line(exposure_truth_columns()), truth);
  concatenate_files((staging / "truth" / "mentions.tsv").string(), header_line(mentions_columns()),
                    mentions);
  std::error_code ec;
  fs::remove_all(parts, ec);
  check(ec, "remove " + parts.string());
  write_json_files(world, summary, staging.string());
  replace_dir(staging, world_dir(world.config));
}

}  // namespace

WorldSummary generate_world(dist::Comm& comm, const WorldConfig& config) {
  const WorldModel world = build_world_model(config);  // same ConfigError on every rank
  const fs::path staging = world_dir(config).string() + ".staging";
  const fs::path parts = staging / "parts";
  const bool root = comm.rank() == 0;
  dist::run_agreed(comm, [&] {
    if (root) prepare_staging(staging);
  });
  SimulationOutput out;
  dist::run_agreed(comm, [&] {
    if (root) write_catalog_files(world, staging.string(), (parts / "item_mentions.tsv").string());
    out = simulate_block(comm, world, parts);
  });
  const int64_t first_line = first_bill_line(comm, out.counts.bills);
  dist::run_agreed(comm, [&] {
    write_bill_mentions(part(parts, "bill_mentions", comm.rank()), out.mentions, first_line);
  });
  const WorldSummary summary = reduce_summary(comm, world, out.counts);
  dist::run_agreed(comm, [&] {
    if (root) assemble(world, summary, staging, comm.size());
  });
  return summary;
}

}  // namespace kerec::world
