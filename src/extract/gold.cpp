#include "kerec/extract/gold.h"

#include <charconv>

#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace kerec::extract {

GoldSpans read_gold(const std::string& path, const EntityDict& dict) {
  using io::ColumnType;
  const io::TsvSchema schema{"mentions",
                             {{"source"},
                              {"key"},
                              {"start", ColumnType::kInt64, false, true},
                              {"end", ColumnType::kInt64, false, true},
                              {"entity_id"},
                              {"kind"}}};
  std::unordered_map<std::string, int32_t> index;
  for (size_t i = 0; i < dict.size(); ++i)
    index.emplace(dict.entities()[i].entity_id, static_cast<int32_t>(i));
  io::TsvReader reader(path, schema);
  GoldSpans gold;
  io::TsvRow row;
  while (reader.next(row)) {
    const auto source = row.str(0);
    const int kind = gold_kind_of(row.str(5));
    if (kind < 0 || (source != "item" && source != "bill"))
      throw InputError(path + ":" + std::to_string(row.line()) + ": unknown source or kind");
    const auto it = index.find(std::string(row.str(4)));
    if (it == index.end()) {
      ++gold.unknown_entities;
      continue;
    }
    const GoldMention m{static_cast<int32_t>(row.i64(2)), static_cast<int32_t>(row.i64(3)),
                        it->second, static_cast<uint8_t>(kind)};
    if (source == "item") {
      gold.items[std::string(row.str(1))].push_back(m);
      continue;
    }
    const auto key = row.str(1);
    int64_t line = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), line);
    if (ec != std::errc() || end != key.data() + key.size())
      throw InputError(path + ":" + std::to_string(row.line()) +
                       ": column 'key': a bill's key must be its line number");
    gold.bills[line].push_back(m);
  }
  return gold;
}

}  // namespace kerec::extract
