#include "kerec/extract/tables.h"

#include "kerec/dist/collectives.h"

namespace kerec::extract {
namespace {

void finish(TextRows& rows, const io::TsvReader& reader) {
  rows.skipped_rows = reader.stats().rows_skipped;
  rows.skipped_messages = reader.stats().skipped_messages;
}

// Every rank's strings, in rank order, on every rank (they contain no '\n': TSV fields cannot).
std::vector<std::string> gather_strings(dist::Comm& comm, const std::vector<std::string>& local) {
  std::string joined;
  for (const auto& s : local) joined += s + '\n';
  std::vector<std::string> all;
  for (const auto& part : dist::allgather_strings(comm, joined)) {
    size_t start = 0;
    for (size_t end; (end = part.find('\n', start)) != std::string::npos; start = end + 1)
      all.push_back(part.substr(start, end - start));
  }
  return all;
}

// Writes mention_offsets (global) into `group` and the mention columns into /mentions.
void write_mentions(const io::h5::File& file, const io::h5::Group& rows_group, const TextRows& rows,
                    dist::Comm& comm) {
  const int64_t local_mentions = static_cast<int64_t>(rows.mentions.size());
  const auto counts = dist::allgatherv<int64_t>(comm, std::span<const int64_t>(&local_mentions, 1));
  int64_t base = 0;
  for (int r = 0; r < comm.rank(); ++r) base += counts[r];
  std::vector<int64_t> offsets;
  for (size_t i = comm.rank() == 0 ? 0 : 1; i < rows.mention_offsets.size(); ++i)
    offsets.push_back(base + rows.mention_offsets[i]);
  io::h5::write_distributed<int64_t>(rows_group, "mention_offsets", offsets, comm);
  std::vector<int32_t> entity, begin, end;
  std::vector<uint8_t> source;
  for (const auto& m : rows.mentions) {
    entity.push_back(m.entity), begin.push_back(m.begin), end.push_back(m.end),
        source.push_back(m.source);
  }
  const auto group = file.require_group("mentions");
  io::h5::write_distributed<int32_t>(group, "entity", entity, comm);
  io::h5::write_distributed<int32_t>(group, "begin", begin, comm);
  io::h5::write_distributed<int32_t>(group, "end", end, comm);
  io::h5::write_distributed<uint8_t>(group, "source", source, comm);
}

}  // namespace

TextRows read_items(const std::string& path, const io::BadRowPolicy& policy, int rank, int size) {
  const auto& schema = io::items_schema();
  io::TsvReader reader(path, schema, policy, rank, size);
  const size_t id = schema.index("item_id"), title = schema.index("title");
  TextRows rows;
  io::TsvRow row;
  while (reader.next(row)) {
    rows.keys.emplace_back(row.str(id));
    rows.texts.emplace_back(row.str(title));
    rows.line.push_back(row.line());
  }
  finish(rows, reader);
  return rows;
}

TextRows read_bills(const std::string& path, const io::BadRowPolicy& policy, int rank, int size) {
  const auto& schema = io::bills_schema();
  io::TsvReader reader(path, schema, policy, rank, size);
  const size_t user = schema.index("user_id"), ts = schema.index("ts");
  const size_t text = schema.index("text"), amount = schema.index("amount");
  TextRows rows;
  io::TsvRow row;
  while (reader.next(row)) {
    rows.keys.emplace_back(row.str(user));
    rows.texts.emplace_back(row.str(text));
    rows.ts.push_back(row.i64(ts));
    rows.amount.push_back(row.f64(amount));
    rows.line.push_back(row.line());
  }
  finish(rows, reader);
  return rows;
}

void write_items(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 const io::h5::RootAttrs& attrs) {
  const auto ids = gather_strings(comm, rows.keys);
  auto file = io::h5::File::create(path, &comm);
  io::h5::write_root_attrs(file, attrs);
  const auto items = file.require_group("items");
  io::h5::write_strings(items, "id", ids);
  write_mentions(file, items, rows, comm);
  file.close();
}

void write_bills(const std::filesystem::path& path, const TextRows& rows, dist::Comm& comm,
                 const io::h5::RootAttrs& attrs) {
  const auto users = gather_strings(comm, rows.keys);
  auto file = io::h5::File::create(path, &comm);
  io::h5::write_root_attrs(file, attrs);
  const auto bills = file.require_group("bills");
  io::h5::write_strings(bills, "user", users);
  io::h5::write_distributed<int64_t>(bills, "ts", rows.ts, comm);
  io::h5::write_distributed<double>(bills, "amount", rows.amount, comm);
  io::h5::write_distributed<int64_t>(bills, "line", rows.line, comm);
  write_mentions(file, bills, rows, comm);
  file.close();
}

void write_entities(const std::filesystem::path& path, const EntityDict& dict, dist::Comm& comm,
                    const io::h5::RootAttrs& attrs) {
  std::vector<std::string> ids, names, aliases, categories;
  for (const auto& e : dict.entities()) {
    ids.push_back(e.entity_id), names.push_back(e.name), categories.push_back(e.category);
    std::string joined;
    for (size_t i = 0; i < e.aliases.size(); ++i) joined += (i ? "|" : "") + e.aliases[i];
    aliases.push_back(std::move(joined));
  }
  auto file = io::h5::File::create(path, &comm);
  io::h5::write_root_attrs(file, attrs);
  const auto group = file.require_group("entities");
  io::h5::write_strings(group, "entity_id", ids);
  io::h5::write_strings(group, "name", names);
  io::h5::write_strings(group, "aliases", aliases);
  io::h5::write_strings(group, "category", categories);
  file.close();
}

}  // namespace kerec::extract
