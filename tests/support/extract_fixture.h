// Test fixture (not product code): writes extract/entities.h5, items.h5 and bills.h5 in the layout
// of docs/artifacts.md ("Entity index", "Extracted mentions"), either from tables a test builds by
// hand or from a synthetic world's truth (truth/mentions.tsv: the gold entity of every title and
// bill), so the stages after extract can be tested and measured before, and independently of, the
// extract stage. Header-only; needs kerec_io.
#pragma once

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/io/hdf5.h"
#include "kerec/io/tsv.h"

namespace kerec::test {

// One row (item or bill) and its mentions.
struct FixtureMention {
  int32_t entity = 0;
  int32_t begin = 0, end = 0;  // code points, end exclusive
  uint8_t source = 0;          // 0 dictionary, 1 tagger
};

struct ExtractFixture {
  std::vector<std::string> entity_id, entity_name, entity_aliases, entity_category;
  std::vector<std::string> item_id;
  std::vector<std::vector<FixtureMention>> item_mentions;
  std::vector<std::string> bill_user;
  std::vector<int64_t> bill_ts, bill_line;
  std::vector<double> bill_amount;
  std::vector<std::vector<FixtureMention>> bill_mentions;

  void add_entity(std::string id, std::string category) {
    entity_name.push_back("entity " + id);
    entity_aliases.emplace_back();
    entity_id.push_back(std::move(id));
    entity_category.push_back(std::move(category));
  }
  void add_item(std::string id, std::vector<int32_t> entities) {
    item_id.push_back(std::move(id));
    item_mentions.push_back(mentions_of(entities));
  }
  void add_bill(std::string user, int64_t ts, std::vector<int32_t> entities) {
    bill_user.push_back(std::move(user));
    bill_ts.push_back(ts);
    bill_line.push_back(static_cast<int64_t>(bill_ts.size()) + 1);
    bill_amount.push_back(1.0);
    bill_mentions.push_back(mentions_of(entities));
  }
  static std::vector<FixtureMention> mentions_of(const std::vector<int32_t>& entities) {
    std::vector<FixtureMention> m;
    for (int32_t e : entities) m.push_back({e, 0, 1, 0});
    return m;
  }
};

namespace fixture_detail {

namespace h5 = io::h5;

inline void write_mentions(const h5::File& file, const std::string& group,
                           const std::vector<std::vector<FixtureMention>>& rows) {
  std::vector<int64_t> offsets{0};
  std::vector<int32_t> entity, begin, end;
  std::vector<uint8_t> source;
  for (const auto& row : rows) {
    for (const auto& m : row) {
      entity.push_back(m.entity), begin.push_back(m.begin), end.push_back(m.end),
          source.push_back(m.source);
    }
    offsets.push_back(static_cast<int64_t>(entity.size()));
  }
  h5::write<int64_t>(file, group + "/mention_offsets", std::span<const int64_t>(offsets));
  h5::write<int32_t>(file, "mentions/entity", std::span<const int32_t>(entity));
  h5::write<int32_t>(file, "mentions/begin", std::span<const int32_t>(begin));
  h5::write<int32_t>(file, "mentions/end", std::span<const int32_t>(end));
  h5::write<uint8_t>(file, "mentions/source", std::span<const uint8_t>(source));
}

inline h5::File create(const std::filesystem::path& path, const std::string& schema) {
  auto file = h5::File::create(path);
  h5::write_root_attrs(file,
                       {.schema = schema, .schema_version = 1, .config_sha256 = "test-fixture"});
  return file;
}

}  // namespace fixture_detail

// Writes the three files into `dir` (created if missing).
inline void write_extract_fixture(const std::filesystem::path& dir, const ExtractFixture& f) {
  namespace h5 = io::h5;
  std::filesystem::create_directories(dir);
  {
    auto file = fixture_detail::create(dir / "entities.h5", "extract_entities");
    h5::write_strings(file, "entities/entity_id", f.entity_id);
    h5::write_strings(file, "entities/name", f.entity_name);
    h5::write_strings(file, "entities/aliases", f.entity_aliases);
    h5::write_strings(file, "entities/category", f.entity_category);
  }
  {
    auto file = fixture_detail::create(dir / "items.h5", "extract_items");
    h5::write_strings(file, "items/id", f.item_id);
    fixture_detail::write_mentions(file, "items", f.item_mentions);
  }
  auto file = fixture_detail::create(dir / "bills.h5", "extract_bills");
  h5::write_strings(file, "bills/user", f.bill_user);
  h5::write<int64_t>(file, "bills/ts", std::span<const int64_t>(f.bill_ts));
  h5::write<int64_t>(file, "bills/line", std::span<const int64_t>(f.bill_line));
  h5::write<double>(file, "bills/amount", std::span<const double>(f.bill_amount));
  fixture_detail::write_mentions(file, "bills", f.bill_mentions);
}

// The extract tables a perfect extractor would produce on a synthetic world: every item and bill
// gets its gold mention from truth/mentions.tsv (source 0 for names and dict aliases, 1 for
// misspellings and unseen aliases, which only the tagger could find).
inline ExtractFixture extract_fixture_from_truth(const std::filesystem::path& world) {
  ExtractFixture f;
  std::unordered_map<std::string, int32_t> entity_index;
  io::TsvRow row;
  {
    io::TsvReader r((world / "entities.tsv").string(), io::entities_schema());
    while (r.next(row)) {
      entity_index.emplace(std::string(row.str(0)), static_cast<int32_t>(f.entity_id.size()));
      f.entity_id.emplace_back(row.str(0));
      f.entity_name.emplace_back(row.str(1));
      f.entity_aliases.emplace_back(row.str(2));
      f.entity_category.emplace_back(row.str(3));
    }
  }
  std::unordered_map<std::string, size_t> item_row;
  {
    io::TsvReader r((world / "items.tsv").string(), io::items_schema());
    while (r.next(row)) {
      item_row.emplace(std::string(row.str(0)), f.item_id.size());
      f.item_id.emplace_back(row.str(0));
    }
    f.item_mentions.resize(f.item_id.size());
  }
  {
    io::TsvReader r((world / "bills.tsv").string(), io::bills_schema());
    while (r.next(row)) {
      f.bill_user.emplace_back(row.str(0));
      f.bill_ts.push_back(row.i64(1));
      f.bill_amount.push_back(row.f64(3));
      f.bill_line.push_back(static_cast<int64_t>(f.bill_ts.size()) + 1);
    }
    f.bill_mentions.resize(f.bill_ts.size());
  }
  const io::TsvSchema schema{"mentions",
                             {{"source"},
                              {"key"},
                              {"start", io::ColumnType::kInt64},
                              {"end", io::ColumnType::kInt64},
                              {"entity_id"},
                              {"kind"}}};
  io::TsvReader r((world / "truth" / "mentions.tsv").string(), schema);
  while (r.next(row)) {
    const std::string kind(row.str(5));
    const FixtureMention m{entity_index.at(std::string(row.str(4))),
                           static_cast<int32_t>(row.i64(2)), static_cast<int32_t>(row.i64(3)),
                           static_cast<uint8_t>(kind == "name" || kind == "alias" ? 0 : 1)};
    if (row.str(0) == "item")
      f.item_mentions.at(item_row.at(std::string(row.str(1)))).push_back(m);
    else
      f.bill_mentions.at(std::stoull(std::string(row.str(1))) - 2).push_back(m);
  }
  return f;
}

}  // namespace kerec::test
