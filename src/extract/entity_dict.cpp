#include "kerec/extract/entity_dict.h"

#include "kerec/text/normalize.h"
#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

constexpr size_t kMaxMessages = 20;

std::vector<std::string> split_aliases(std::string_view field) {
  std::vector<std::string> out;
  if (field.empty()) return out;
  size_t start = 0;
  for (size_t bar; (bar = field.find('|', start)) != std::string_view::npos; start = bar + 1)
    out.emplace_back(field.substr(start, bar - start));
  out.emplace_back(field.substr(start));
  return out;
}

std::string where(const std::string& source, int64_t line) {
  return source + ":" + std::to_string(line);
}

}  // namespace

void EntityDict::note(const std::string& message) {
  if (stats_.messages.size() < kMaxMessages) stats_.messages.push_back(message);
}

void EntityDict::add(Entity row, const DictPolicy& policy, const std::string& source) {
  const std::string at = where(source, row.line);
  ++stats_.rows;
  if (ids_.count(row.entity_id)) {
    const std::string m = at + ": column 'entity_id': duplicate id '" + row.entity_id + "'";
    if (policy.duplicate_id == "fail") throw InputError(m);
    ++stats_.duplicate_ids;
    return note(m + " (row dropped, dict_duplicate_id = keep_first)");
  }
  const std::u32string name_key = text::normalize(row.name);
  if (name_key.empty()) {
    const std::string m = at + ": column 'name': empty name (after normalisation)";
    if (policy.empty_name == "fail") throw InputError(m);
    ++stats_.empty_names;
    return note(m + " (row dropped, dict_empty_name = skip)");
  }
  const auto index = static_cast<int32_t>(entities_.size());
  auto claim = [&](const std::string& s, const std::u32string& key, const char* column) -> bool {
    const auto it = owner_.find(key);
    if (it == owner_.end()) {
      owner_.emplace(key, index);
      owner_line_.emplace(key, row.line);
      return true;
    }
    if (it->second == index) {
      ++stats_.self_duplicates;
      return false;
    }
    const std::string m =
        at + ": column '" + column + "': '" + s + "' is already a name or alias of entity '" +
        entities_[it->second].entity_id + "' (" + where(source, owner_line_[key]) + ")";
    if (policy.shared_alias == "fail") throw InputError(m);
    ++stats_.shared_strings;
    note(m + " (dropped here, dict_shared_alias = keep_first)");
    return false;
  };
  claim(row.name, name_key,
        "name");  // under keep_first a shared name stays with the earlier entity
  std::vector<std::string> kept;
  for (auto& alias : row.aliases) {
    const std::u32string key = text::normalize(alias);
    if (key.empty()) {
      ++stats_.empty_aliases;
      note(at + ": column 'aliases': empty alias dropped");
      continue;
    }
    if (claim(alias, key, "aliases")) kept.push_back(std::move(alias));
  }
  row.aliases = std::move(kept);
  ids_.insert(row.entity_id);
  entities_.push_back(std::move(row));
}

EntityDict EntityDict::from_entities(std::vector<Entity> rows, const DictPolicy& policy,
                                     const std::string& source) {
  EntityDict dict;
  for (auto& row : rows) dict.add(std::move(row), policy, source);
  return dict;
}

EntityDict EntityDict::load(const std::string& path, const DictPolicy& policy,
                            const io::BadRowPolicy& bad_rows) {
  const auto& schema = io::entities_schema();
  io::TsvReader reader(path, schema, bad_rows);
  const size_t id = schema.index("entity_id"), name = schema.index("name");
  const size_t aliases = schema.index("aliases"), category = schema.index("category");
  EntityDict dict;
  io::TsvRow row;
  while (reader.next(row)) {
    Entity e{std::string(row.str(id)), std::string(row.str(name)), split_aliases(row.str(aliases)),
             std::string(row.str(category)), row.line()};
    dict.add(std::move(e), policy, path);
  }
  dict.stats_.bad_rows = reader.stats().rows_skipped;
  for (const auto& m : reader.stats().skipped_messages) dict.note(m);
  return dict;
}

}  // namespace kerec::extract
