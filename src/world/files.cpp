#include "kerec/world/files.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace kerec::world {

static void write_entities(const WorldModel& w, const std::string& dir) {
  const Taxonomy& t = w.taxonomy;
  io::TsvWriter out(dir + "/entities.tsv", {"entity_id", "name", "aliases", "category"});
  std::string aliases;
  for (const Entity& e : t.entities) {
    aliases.clear();
    for (const std::string& a : e.aliases) (aliases.empty() ? aliases : aliases += '|') += a;
    out.field(e.id)
        .field(e.name)
        .field(aliases)
        .field(t.lex->categories[e.category].name)
        .end_row();
  }
  out.close();
}

static void write_items(const WorldModel& w, const std::string& dir,
                        const std::string& item_mentions_path) {
  const Taxonomy& t = w.taxonomy;
  io::TsvWriter items(dir + "/items.tsv", {"item_id", "title", "category", "price", "created_at"});
  io::TsvWriter links(dir + "/truth/item_entities.tsv", {"item_id", "entity_id"});
  io::TsvWriter mentions(item_mentions_path, mentions_columns(), io::TsvWriter::Header::kOmit);
  for (const Item& it : w.catalog.items) {
    const Entity& e = t.entities[it.entity];
    items.field(it.id).field(it.title.text).field(t.lex->categories[e.category].name);
    items.fixed(it.price, 2).field(it.created_at).end_row();
    links.field(it.id).field(int64_t{it.entity}).end_row();
    mentions.field("item")
        .field(it.id)
        .field(int64_t{it.title.start_cp})
        .field(int64_t{it.title.end_cp});
    mentions.field(int64_t{it.entity}).field(mention_kind_name(it.kind)).end_row();
  }
  items.close();
  links.close();
  mentions.close();
}

static void write_truth_graphs(const WorldModel& w, const std::string& dir) {
  io::TsvWriter comp(dir + "/truth/complements.tsv", {"a", "b", "strength"});
  const ComplementGraph& g = w.complements;
  for (size_t a = 0; a + 1 < g.offsets.size(); ++a) {
    for (int64_t k = g.offsets[a]; k < g.offsets[a + 1]; ++k) {
      comp.field(static_cast<int64_t>(a))
          .field(int64_t{g.targets[k]})
          .fixed(g.strengths[k], 4)
          .end_row();
    }
  }
  comp.close();
  io::TsvWriter subs(dir + "/truth/substitutes.tsv", {"group_id", "entity_id"});
  const auto& groups = w.taxonomy.substitute_groups;
  for (size_t gid = 0; gid < groups.size(); ++gid) {
    for (int32_t e : groups[gid]) subs.field(static_cast<int64_t>(gid)).field(int64_t{e}).end_row();
  }
  subs.close();
  io::TsvWriter unseen(dir + "/truth/unseen_aliases.tsv", {"entity_id", "alias"});
  for (const Entity& e : w.taxonomy.entities) {
    for (const std::string& a : e.unseen) unseen.field(int64_t{e.id}).field(a).end_row();
  }
  unseen.close();
}

const std::vector<std::string>& bills_columns() {
  static const std::vector<std::string> columns = {"user_id", "ts", "text", "amount"};
  return columns;
}

const std::vector<std::string>& exposures_columns() {
  static const std::vector<std::string> columns = {"user_id", "ts",        "item_id", "scene",
                                                   "clicked", "converted", "amount"};
  return columns;
}

const std::vector<std::string>& exposure_truth_columns() {
  static const std::vector<std::string> columns = {
      "user_id", "ts", "item_id", "scene", "p_click", "p_click_no_complement", "signal", "channel"};
  return columns;
}

const std::vector<std::string>& mentions_columns() {
  static const std::vector<std::string> columns = {"source", "key",       "start",
                                                   "end",    "entity_id", "kind"};
  return columns;
}

std::string header_line(const std::vector<std::string>& columns) {
  std::string line;
  for (const auto& c : columns) line += (line.empty() ? "" : "\t") + c;
  return line + "\n";
}

void concatenate_files(const std::string& out_path, std::string_view header,
                       const std::vector<std::string>& parts) {
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) throw IoError(errno_message("open " + out_path + " for writing", errno));
  std::vector<char> buffer(size_t{1} << 20);
  auto fail = [&](const std::string& what) {
    const int err = errno;
    std::fclose(out);
    throw IoError(errno_message(what, err));
  };
  if (!header.empty() && std::fwrite(header.data(), 1, header.size(), out) != header.size())
    fail("write " + out_path);
  for (const std::string& part : parts) {
    std::FILE* in = std::fopen(part.c_str(), "rb");
    if (!in) fail("open " + part);
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) {
      if (std::fwrite(buffer.data(), 1, n, out) != n) {
        std::fclose(in);
        fail("write " + out_path);
      }
    }
    const bool read_error = std::ferror(in);
    std::fclose(in);
    if (read_error) fail("read " + part);
  }
  if (std::fclose(out) != 0) throw IoError(errno_message("close " + out_path, errno));
}

void write_catalog_files(const WorldModel& w, const std::string& dir,
                         const std::string& item_mentions_path) {
  write_entities(w, dir);
  write_items(w, dir, item_mentions_path);
  write_truth_graphs(w, dir);
}

void write_bill_mentions(const std::string& path, const std::vector<BillMention>& mentions,
                         int64_t first_line) {
  io::TsvWriter out(path, mentions_columns(), io::TsvWriter::Header::kOmit);
  for (const BillMention& m : mentions) {
    out.field("bill").field(first_line + m.row).field(int64_t{m.start_cp}).field(int64_t{m.end_cp});
    out.field(int64_t{m.entity}).field(mention_kind_name(m.kind)).end_row();
  }
  out.close();
}

// ---- JSON ----

// A Binder that records every key's value as JSON.
class JsonBinder : public config::Binder {
 public:
  explicit JsonBinder(nlohmann::ordered_json& out) : out_(out) {}
  void key(std::string_view n, bool& v, std::string_view) override { out_[std::string(n)] = v; }
  void key(std::string_view n, int64_t& v, std::string_view, config::Range<int64_t>) override {
    set(n, v);
  }
  void key(std::string_view n, double& v, std::string_view, config::Range<double>) override {
    set(n, v);
  }
  void key(std::string_view n, std::string& v, std::string_view, const config::Choices&) override {
    set(n, v);
  }
  void key(std::string_view n, std::vector<double>& v, std::string_view,
           config::Range<double>) override {
    set(n, v);
  }
  void key(std::string_view n, std::vector<int64_t>& v, std::string_view,
           config::Range<int64_t>) override {
    set(n, v);
  }
  void key(std::string_view n, std::vector<std::string>& v, std::string_view,
           const config::Choices&) override {
    set(n, v);
  }

 protected:
  void enter(std::string_view, std::string_view) override {}
  void leave() override {}

 private:
  template <class T>
  void set(std::string_view name, const T& v) {
    out_[std::string(name)] = v;
  }
  nlohmann::ordered_json& out_;
};

static nlohmann::ordered_json summary_json(const WorldSummary& s) {
  return {{"entities", s.entities},
          {"items", s.items},
          {"cold_start_items", s.cold_start_items},
          {"users", s.users},
          {"bills", s.bills},
          {"outside_bills", s.outside_bills},
          {"exposures", s.exposures},
          {"test_exposures", s.test_exposures},
          {"cold_start_exposures", s.cold_start_exposures},
          {"complementary_exposures", s.complementary_exposures},
          {"boosted_exposures", s.boosted_exposures},
          {"clicks", s.clicks},
          {"conversions", s.conversions},
          {"complement_relations", s.complement_relations},
          {"substitute_groups", s.substitute_groups},
          {"train_end_ts", s.train_end_ts}};
}

static void write_json(const std::string& path, const nlohmann::ordered_json& j) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << j.dump(2) << '\n';
  out.close();
  if (!out) throw IoError(errno_message("write " + path, errno));
}

void write_json_files(const WorldModel& w, const WorldSummary& summary, const std::string& dir) {
  write_json(dir + "/world.json", summary_json(summary));
  nlohmann::ordered_json b;
  b["seed"] = w.config.seed;
  b["language"] = w.config.language;
  b["start_ts"] = w.sizes.start_ts;
  b["train_end_ts"] = w.sizes.train_end_ts;
  b["end_ts"] = w.sizes.end_ts;
  b["sizes"] = {{"entities", w.sizes.entities},
                {"items", w.sizes.items},
                {"users", w.sizes.users},
                {"exposures_target", w.sizes.exposures_target}};
  WorldConfig copy = w.config;
  JsonBinder binder(b["parameters"]);
  copy.bind(binder);
  b["parameters"].erase("dir");  // a location, not a parameter: same world, same bytes anywhere
  b["click_logit"] =
      "click_bias + click_interest_weight*interest(category) + click_quality_weight*quality + "
      "click_price_weight*log(price/entity_median_price) + user_bias + click_search_bonus*[search] "
      "+ "
      "complement_boost*signal";
  b["conversion_logit"] =
      "conversion_bias + conversion_price_weight*log(price/entity_median_price) + "
      "conversion_complement_boost*signal";
  b["signal"] =
      "max over the user's bills a within complement_window_h: strength(a->b) * "
      "0.5^(hours since bill / complement_half_life_h)";
  nlohmann::ordered_json categories = nlohmann::ordered_json::array();
  for (const auto& c : w.taxonomy.lex->categories) categories.push_back(c.name);
  b["categories"] = categories;
  b["summary"] = summary_json(summary);
  write_json(dir + "/truth/behaviour.json", b);
}

}  // namespace kerec::world
