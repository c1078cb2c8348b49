#include "kerec/extract/tables.h"

namespace kerec::extract {
namespace {

void finish(TextRows& rows, const io::TsvReader& reader) {
  rows.skipped_rows = reader.stats().rows_skipped;
  rows.skipped_messages = reader.stats().skipped_messages;
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

}  // namespace kerec::extract
