// Binders that write the current values: as TOML (the effective config of a run) and as a Markdown
// reference (docs/config.md).
#include <algorithm>
#include <sstream>

#include "config_format.h"
#include "kerec/config/config.h"

namespace kerec::config {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s + "]";
}

template <class T, class F>
std::string list(const std::vector<T>& v, F&& fmt) {
  std::vector<std::string> items;
  for (const auto& x : v) items.push_back(fmt(x));
  return join(items);
}

std::string int_text(int64_t v) { return std::to_string(v); }

// Visits every key with its TOML value text; subclasses decide what to write.
class ValueVisitor : public Binder {
 public:
  void key(std::string_view n, bool& v, std::string_view d) override {
    emit(n, v ? "true" : "false", "boolean", "", d);
  }
  void key(std::string_view n, int64_t& v, std::string_view d, Range<int64_t> r) override {
    emit(n, int_text(v), "integer", range_text(r), d);
  }
  void key(std::string_view n, double& v, std::string_view d, Range<double> r) override {
    emit(n, format_double(v), "float", range_text(r), d);
  }
  void key(std::string_view n, std::string& v, std::string_view d, const Choices& c) override {
    emit(n, quote(v), "string", choices_text(c), d);
  }
  void key(std::string_view n, std::vector<double>& v, std::string_view d,
           Range<double> r) override {
    emit(n, list(v, format_double), "array of floats", range_text(r), d);
  }
  void key(std::string_view n, std::vector<int64_t>& v, std::string_view d,
           Range<int64_t> r) override {
    emit(n, list(v, int_text), "array of integers", range_text(r), d);
  }
  void key(std::string_view n, std::vector<std::string>& v, std::string_view d,
           const Choices& c) override {
    emit(n, list(v, quote), "array of strings", choices_text(c), d);
  }

 protected:
  virtual void emit(std::string_view name, const std::string& value, const char* type,
                    const std::string& allowed, std::string_view doc) = 0;
  void enter(std::string_view name, std::string_view doc) override {
    path_.push_back(std::string(name));
    on_section(doc);
  }
  void leave() override { path_.pop_back(); }
  virtual void on_section(std::string_view doc) = 0;

  std::string section_path() const {
    std::string s;
    for (const auto& p : path_) s += (s.empty() ? "" : ".") + p;
    return s;
  }
  std::vector<std::string> path_;
};

class TomlWriter final : public ValueVisitor {
 public:
  explicit TomlWriter(const std::vector<std::string>& sections) : sections_(sections) {}
  std::string text() const { return out_.str(); }

 private:
  bool selected() const {
    return sections_.empty() || (!path_.empty() && std::find(sections_.begin(), sections_.end(),
                                                             path_[0]) != sections_.end());
  }
  void on_section(std::string_view doc) override {
    if (!selected()) return;
    out_ << (out_.tellp() > 0 ? "\n" : "") << "# " << doc << "\n[" << section_path() << "]\n";
  }
  void emit(std::string_view name, const std::string& value, const char*,
            const std::string& allowed, std::string_view doc) override {
    if (!selected()) return;
    out_ << "# " << doc << (allowed.empty() ? "" : " (" + allowed.substr(1) + ")") << "\n"
         << name << " = " << value << "\n";
  }
  const std::vector<std::string>& sections_;
  std::ostringstream out_;
};

class ReferenceWriter final : public ValueVisitor {
 public:
  std::string text() const { return out_.str(); }

 private:
  void on_section(std::string_view doc) override {
    out_ << "\n## [" << section_path() << "]\n\n"
         << doc << "\n\n"
         << "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n";
  }
  void emit(std::string_view name, const std::string& value, const char* type,
            const std::string& allowed, std::string_view doc) override {
    out_ << "| `" << section_path() << "." << name << "` | " << type << " | `" << value << "` | "
         << (allowed.empty() ? "any" : allowed.substr(1)) << " | " << doc << " |\n";
  }
  std::ostringstream out_;
};

}  // namespace

std::string to_toml(const BindFn& bind, const std::vector<std::string>& sections) {
  TomlWriter writer(sections);
  bind(writer);
  return writer.text();
}

std::string reference_markdown(const BindFn& bind) {
  ReferenceWriter writer;
  bind(writer);
  return writer.text();
}

}  // namespace kerec::config
