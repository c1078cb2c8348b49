// The Binder that reads a parsed TOML table into config structs, validating as it goes.
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config_format.h"
#include "kerec/config/config.h"
#include "kerec/util/error.h"

namespace kerec::config {
namespace {

// Keys of earlier versions, with what replaced them (a job file that sets one gets this message).
const std::map<std::string, std::string>& retired_keys() {
  static const std::map<std::string, std::string> keys = {
      {"llm.json_schema",
       "is no longer a key: use llm.response_format = \"json_schema\", \"json_object\" or "
       "\"none\" (json_schema = false is \"none\")"}};
  return keys;
}

// One open table: the TOML table (null when the file lacks it), its dotted path, the keys visited.
struct Frame {
  const toml::table* table = nullptr;
  std::string path;
  std::set<std::string, std::less<>> known;
};

class TomlLoader final : public Binder {
 public:
  TomlLoader(const toml::table& root, std::string file,
             std::map<std::string, std::string> overridden)
      : file_(std::move(file)), overridden_(std::move(overridden)) {
    frames_.push_back({&root, "", {}});
  }

  void finish() { reject_unknown(frames_.back()); }

  void key(std::string_view name, bool& value, std::string_view) override {
    if (auto* node = find(name)) value = expect<bool>(*node, name, "a boolean (true or false)");
  }
  void key(std::string_view name, int64_t& value, std::string_view, Range<int64_t> r) override {
    if (auto* node = find(name)) value = checked_int(*node, name, r);
  }
  void key(std::string_view name, double& value, std::string_view, Range<double> r) override {
    if (auto* node = find(name)) value = checked_double(*node, name, r);
  }
  void key(std::string_view name, std::string& value, std::string_view, const Choices& c) override {
    if (auto* node = find(name)) value = checked_string(*node, name, c);
  }
  void key(std::string_view name, std::vector<double>& value, std::string_view,
           Range<double> r) override {
    if (auto* node = find(name))
      value = array_of<double>(*node, name, [&](auto& n) { return checked_double(n, name, r); });
  }
  void key(std::string_view name, std::vector<int64_t>& value, std::string_view,
           Range<int64_t> r) override {
    if (auto* node = find(name))
      value = array_of<int64_t>(*node, name, [&](auto& n) { return checked_int(n, name, r); });
  }
  void key(std::string_view name, std::vector<std::string>& value, std::string_view,
           const Choices& c) override {
    auto* node = find(name);
    if (!node) return;
    if (node->is_string()) {  // "a,b,c" is accepted for a list of strings, e.g. --set
                              // run.stages=a,b
      value.clear();
      std::stringstream parts(*node->value<std::string>());
      for (std::string item; std::getline(parts, item, ',');)
        value.push_back(check_choice(item, node, name, c));
      return;
    }
    value = array_of<std::string>(*node, name, [&](auto& n) { return checked_string(n, name, c); });
  }

 protected:
  void enter(std::string_view name, std::string_view) override {
    Frame& parent = frames_.back();
    parent.known.insert(std::string(name));
    Frame child{nullptr, dotted(name), {}};
    if (parent.table) {
      if (const toml::node* node = parent.table->get(name)) {
        if (!node->is_table()) fail(node, child.path, "must be a table ([" + child.path + "])");
        child.table = node->as_table();
      }
    }
    frames_.push_back(std::move(child));
  }
  void leave() override {
    reject_unknown(frames_.back());
    frames_.pop_back();
  }

 private:
  std::string dotted(std::string_view name) const {
    const std::string& base = frames_.back().path;
    return base.empty() ? std::string(name) : base + "." + std::string(name);
  }

  const toml::node* find(std::string_view name) {
    Frame& f = frames_.back();
    f.known.insert(std::string(name));
    return f.table ? f.table->get(name) : nullptr;
  }

  [[noreturn]] void fail(const toml::node* node, const std::string& key,
                         const std::string& what) const {
    auto it = overridden_.find(key);
    std::string where;
    if (it != overridden_.end()) {
      where = "--set " + it->second;
    } else {
      where = file_;
      if (node && node->source().begin.line > 0)
        where += ":" + std::to_string(node->source().begin.line);
    }
    throw ConfigError(where + ": key '" + key + "' " + what);
  }

  template <class T>
  T expect(const toml::node& node, std::string_view name, const std::string& wanted) const {
    if (auto v = node.value_exact<T>()) return *v;
    fail(&node, dotted(name), "must be " + wanted + ", got " + describe(node));
  }

  int64_t checked_int(const toml::node& node, std::string_view name, Range<int64_t> r) const {
    if (!node.is_integer())
      fail(&node, dotted(name), "must be an integer" + range_text(r) + ", got " + describe(node));
    const int64_t v = *node.value<int64_t>();
    if (v < r.min || v > r.max)
      fail(&node, dotted(name),
           "is out of range: " + std::to_string(v) + "; allowed" + range_text(r));
    return v;
  }

  double checked_double(const toml::node& node, std::string_view name, Range<double> r) const {
    if (!node.is_number())
      fail(&node, dotted(name), "must be a number" + range_text(r) + ", got " + describe(node));
    const double v = *node.value<double>();
    if (!(v >= r.min && v <= r.max))
      fail(&node, dotted(name),
           "is out of range: " + format_double(v) + "; allowed" + range_text(r));
    return v;
  }

  std::string checked_string(const toml::node& node, std::string_view name,
                             const Choices& c) const {
    if (!node.is_string())
      fail(&node, dotted(name), "must be a string" + choices_text(c) + ", got " + describe(node));
    return check_choice(*node.value<std::string>(), &node, name, c);
  }

  std::string check_choice(const std::string& v, const toml::node* node, std::string_view name,
                           const Choices& c) const {
    if (!c.empty() && std::find(c.begin(), c.end(), v) == c.end())
      fail(node, dotted(name), "has value '" + v + "'; allowed" + choices_text(c));
    return v;
  }

  template <class T, class F>
  std::vector<T> array_of(const toml::node& node, std::string_view name, F&& element) const {
    if (!node.is_array()) fail(&node, dotted(name), "must be an array, got " + describe(node));
    std::vector<T> out;
    for (const toml::node& item : *node.as_array()) out.push_back(element(item));
    return out;
  }

  void reject_unknown(const Frame& f) const {
    if (!f.table) return;
    for (const auto& [k, node] : *f.table) {
      if (f.known.count(k.str())) continue;
      const std::string key =
          f.path.empty() ? std::string(k.str()) : f.path + "." + std::string(k.str());
      if (auto retired = retired_keys().find(key); retired != retired_keys().end())
        fail(&node, key, retired->second);
      std::string known;
      for (const auto& name : f.known) known += (known.empty() ? "" : ", ") + name;
      fail(&node, key,
           "is not a known key; known keys " +
               (f.path.empty() ? std::string("(top level)") : "in [" + f.path + "]") + ": " +
               known);
    }
  }

  std::string file_;
  std::map<std::string, std::string> overridden_;  // dotted key -> the --set text that set it
  std::vector<Frame> frames_;
};

// Parses the value of an override as TOML, or takes it as a string when it is not valid TOML.
toml::table parse_override_value(const std::string& value) {
  try {
    return toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    toml::table t;
    t.insert("v", value);
    return t;
  }
}

void apply_override(toml::table& root, const std::string& text,
                    std::map<std::string, std::string>& overridden) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set " + text + ": expected section.key=value");
  const std::string key = text.substr(0, eq);
  toml::table* table = &root;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    const std::string part = key.substr(start, dot - start);
    auto [it, inserted] = table->insert(part, toml::table{});
    if (!it->second.is_table())
      throw ConfigError("--set " + text + ": '" + part + "' is not a table");
    table = it->second.as_table();
  }
  table->insert_or_assign(key.substr(start), *parse_override_value(text.substr(eq + 1)).get("v"));
  overridden[key] = text;
}

}  // namespace

Source read_source(const std::string& path, std::vector<std::string> overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(errno_message("cannot read config file '" + path + "'", errno));
  std::stringstream text;
  text << in.rdbuf();
  return {path, text.str(), std::move(overrides)};
}

void load(const Source& source, const BindFn& bind) {
  toml::table root;
  try {
    root = toml::parse(source.text, source.name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(source.name + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  std::map<std::string, std::string> overridden;
  for (const auto& text : source.overrides) apply_override(root, text, overridden);
  TomlLoader loader(root, source.name, std::move(overridden));
  bind(loader);
  loader.finish();
}

}  // namespace kerec::config
