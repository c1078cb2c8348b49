// The built-in input schemas (docs/design.md §2.1), column lookup by name, schema checks.
#include <stdexcept>

#include "io/tsv_fields.h"
#include "kerec/io/tsv.h"

namespace kerec::io {
namespace {

Column text(std::string name) { return {std::move(name), ColumnType::kString}; }
Column number(std::string name, bool non_negative = false) {
  return {std::move(name), ColumnType::kDouble, false, non_negative};
}
Column bool01(std::string name) { return {std::move(name), ColumnType::kBool01}; }
Column time(std::string name) { return {std::move(name), ColumnType::kTime}; }

}  // namespace

size_t TsvSchema::index(std::string_view column_name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column_name) return i;
  }
  std::string known;
  for (const Column& column : columns) known += (known.empty() ? "" : ", ") + column.name;
  throw std::out_of_range("schema '" + name + "' has no column '" + std::string(column_name) +
                          "' (columns: " + known + ")");
}

namespace detail {

void check_schema(const TsvSchema& schema) {
  if (schema.columns.empty()) {
    throw std::invalid_argument("TsvReader: schema '" + schema.name + "' has no columns");
  }
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    if (schema.index(schema.columns[c].name) != c) {
      throw std::invalid_argument("TsvReader: schema '" + schema.name + "' names column '" +
                                  schema.columns[c].name + "' twice");
    }
  }
}

}  // namespace detail

const TsvSchema& items_schema() {
  static const TsvSchema schema{"items",
                                {text("item_id"), text("title"), text("category"),
                                 number("price", true), time("created_at")}};
  return schema;
}

const TsvSchema& bills_schema() {
  // A bill's amount may be negative: a refund is still a payment record.
  static const TsvSchema schema{"bills",
                                {text("user_id"), time("ts"), text("text"), number("amount")}};
  return schema;
}

const TsvSchema& exposures_schema() {
  static const TsvSchema schema{"exposures",
                                {text("user_id"), time("ts"), text("item_id"), text("scene"),
                                 bool01("clicked"), bool01("converted"), number("amount", true)}};
  return schema;
}

const TsvSchema& entities_schema() {
  static const TsvSchema schema{
      "entities",
      {text("entity_id"), text("name"), {"aliases", ColumnType::kString, true}, text("category")}};
  return schema;
}

}  // namespace kerec::io
