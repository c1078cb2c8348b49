// SimWorld (llm/sim.h): the truth the simulator answers from, read from a world directory.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "kerec/llm/prompt.h"
#include "kerec/llm/sim.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Rows of a TSV file (header skipped), split at tabs. `required`: IoError when it is missing.
std::vector<std::vector<std::string>> read_tsv(const fs::path& path, bool required) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  if (!in) {
    if (required)
      throw IoError(errno_message("simulator: cannot read '" + path.string() + "'", errno));
    return rows;
  }
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_ascii_alnum(char32_t c) { return c < 128 && std::isalnum(static_cast<int>(c)); }

// The column of `name` in a TSV header line; -1 when absent.
int column_of(const std::string& header, const std::string& name) {
  int col = 0;
  size_t start = 0;
  for (size_t tab;; start = tab + 1, ++col) {
    tab = header.find('\t', start);
    if (header.substr(start, tab == std::string::npos ? std::string::npos : tab - start) == name)
      return col;
    if (tab == std::string::npos) return -1;
  }
}

// The `column` field of every data row of `path` (line numbers from 2) that `wanted` accepts,
// keyed by `key_column`'s field, or by the line number when key_column < 0.
std::unordered_map<std::string, std::string> texts_of(
    const fs::path& path, const std::string& key_name, const std::string& text_name,
    const std::unordered_map<std::string, int>& wanted) {
  std::unordered_map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return out;
  const int key_col = key_name.empty() ? -1 : column_of(line, key_name);
  const int text_col = column_of(line, text_name);
  if (text_col < 0) return out;
  for (int64_t n = 2; std::getline(in, line); ++n) {
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    const std::string key = key_col < 0                                 ? std::to_string(n)
                            : key_col < static_cast<int>(fields.size()) ? fields[key_col]
                                                                        : std::string();
    if (wanted.count(key) && text_col < static_cast<int>(fields.size()))
      out[key] = fields[text_col];
  }
  return out;
}

// A code-point offset of truth/mentions.tsv; false when the field is not a number (the simulator
// reads the truth for answers only: an unreadable row is left out, not fatal).
bool parse_offset(const std::string& field, size_t& out) {
  char* end = nullptr;
  const unsigned long v = std::strtoul(field.c_str(), &end, 10);
  if (field.empty() || end != field.c_str() + field.size()) return false;
  out = v;
  return true;
}

}  // namespace

SimWorld::SimWorld(const fs::path& dir) {
  for (const auto& row : read_tsv(dir / "entities.tsv", true)) {
    if (row.size() < 2) continue;
    name_to_id_[sanitize_name(row[1], 1000)] = row[0];
    name_to_id_.emplace(sanitize_name(row[1], 80), row[0]);
  }
  for (const auto& row : read_tsv(dir / "truth" / "complements.tsv", true))
    if (row.size() >= 3) strength_[row[0] + "\x1f" + row[1]] = std::stod(row[2]);
  for (const auto& row : read_tsv(dir / "truth" / "item_entities.tsv", false))
    if (row.size() >= 2) ++items_[row[1]];
  read_surfaces(dir);
}

void SimWorld::read_surfaces(const fs::path& dir) {
  for (const auto& row : read_tsv(dir / "entities.tsv", true)) {
    if (row.size() < 2) continue;
    id_to_name_[row[0]] = sanitize_name(row[1], 80);
    surface_to_id_.emplace(ascii_lower(row[1]), row[0]);
    if (row.size() < 3) continue;
    size_t start = 0;
    for (size_t bar;; start = bar + 1) {
      bar = row[2].find('|', start);
      const std::string alias = row[2].substr(start, bar == std::string::npos ? bar : bar - start);
      if (!alias.empty()) surface_to_id_.emplace(ascii_lower(alias), row[0]);
      if (bar == std::string::npos) break;
    }
  }
  for (const auto& row : read_tsv(dir / "truth" / "unseen_aliases.tsv", false))
    if (row.size() >= 2) surface_to_id_.emplace(ascii_lower(row[1]), row[0]);
  read_text_truth(dir);
}

void SimWorld::read_text_truth(const fs::path& dir) {
  struct Row {
    bool bill, misspelt;
    std::string key, entity;
    size_t begin, end;
  };
  std::vector<Row> rows;
  std::unordered_map<std::string, int> item_keys, bill_keys;
  for (const auto& r : read_tsv(dir / "truth" / "mentions.tsv", false)) {
    size_t begin = 0, end = 0;
    if (r.size() < 6 || !parse_offset(r[2], begin) || !parse_offset(r[3], end)) continue;
    const bool bill = r[0] == "bill";
    rows.push_back({bill, r[5] == "misspelling", r[1], r[4], begin, end});
    (bill ? bill_keys : item_keys)[r[1]] = 1;
  }
  if (rows.empty()) return;
  const auto titles = texts_of(dir / "items.tsv", "item_id", "title", item_keys);
  const auto bills = texts_of(dir / "bills.tsv", "", "text", bill_keys);
  std::unordered_map<std::string, std::map<std::string, int64_t>> votes;
  for (const auto& r : rows) {
    const auto& texts = r.bill ? bills : titles;
    auto it = texts.find(r.key);
    if (it == texts.end() || !utf8::is_valid(it->second)) continue;  // a damaged row: no answer
    const std::u32string cps = utf8::decode(it->second);
    if (r.end > cps.size() || r.begin >= r.end) continue;
    const std::string surface =
        utf8::encode(std::u32string_view(cps).substr(r.begin, r.end - r.begin));
    text_gold_[ascii_lower(it->second)].emplace_back(surface, r.entity);
    if (r.misspelt) ++votes[ascii_lower(surface)][r.entity];
  }
  for (const auto& [surface, by_entity] : votes) {
    auto best = std::max_element(by_entity.begin(), by_entity.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    misspelt_to_id_.emplace(surface, best->first);
  }
}

bool SimWorld::longest_inside(const std::string& mention, std::string& words,
                              std::string& entity_id) const {
  const std::u32string cps = utf8::decode(mention);
  const size_t n = cps.size();
  for (size_t len = std::min<size_t>(n, 32); len >= 1; --len) {
    for (size_t b = 0; b + len <= n; ++b) {
      const std::u32string_view part = std::u32string_view(cps).substr(b, len);
      // A Latin surface is a whole word sequence, as a reader sees it.
      if ((b > 0 && is_ascii_alnum(cps[b - 1]) && is_ascii_alnum(cps[b])) ||
          (b + len < n && is_ascii_alnum(cps[b + len]) && is_ascii_alnum(cps[b + len - 1])))
        continue;
      auto it = surface_to_id_.find(ascii_lower(utf8::encode(part)));
      if (it == surface_to_id_.end()) continue;
      words = utf8::encode(part), entity_id = it->second;
      return true;
    }
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> SimWorld::named_in(
    const std::string& mention) const {
  const std::string folded = ascii_lower(mention);
  if (auto it = text_gold_.find(folded); it != text_gold_.end()) return it->second;
  for (const auto* table : {&surface_to_id_, &misspelt_to_id_})
    if (auto it = table->find(folded); it != table->end()) return {{mention, it->second}};
  std::string words, id;
  if (longest_inside(mention, words, id)) return {{words, id}};
  return {};
}

std::string SimWorld::name_of(const std::string& entity_id) const {
  auto it = id_to_name_.find(entity_id);
  return it == id_to_name_.end() ? std::string() : it->second;
}

std::string SimWorld::entity_of(const std::string& name) const {
  auto it = name_to_id_.find(name);
  return it == name_to_id_.end() ? std::string() : it->second;
}

double SimWorld::strength(const std::string& a, const std::string& b) const {
  auto it = strength_.find(a + "\x1f" + b);
  return it == strength_.end() ? 0.0 : it->second;
}

int64_t SimWorld::items(const std::string& id) const {
  auto it = items_.find(id);
  return it == items_.end() ? 0 : it->second;
}

}  // namespace kerec::llm
