// Text helpers shared by the config loader, writer and reference (internal).
#pragma once

#include <toml++/toml.h>

#include <charconv>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::config {

// Shortest text that reads back as the same double.
inline std::string format_double(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, end);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a TOML float
  return s;
}

inline std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

template <class T>
std::string range_text(Range<T> r) {
  const bool has_min = r.min != std::numeric_limits<T>::lowest();
  const bool has_max = r.max != std::numeric_limits<T>::max();
  auto fmt = [](T v) {
    if constexpr (std::is_floating_point_v<T>)
      return format_double(v);
    else
      return std::to_string(v);
  };
  if (has_min && has_max) return " in [" + fmt(r.min) + ", " + fmt(r.max) + "]";
  if (has_min) return " >= " + fmt(r.min);
  if (has_max) return " <= " + fmt(r.max);
  return "";
}

inline std::string choices_text(const Choices& c) {
  if (c.empty()) return "";
  std::string s = " one of ";
  for (size_t i = 0; i < c.size(); ++i) s += (i ? ", " : "") + quote(c[i]);
  return s;
}

inline std::string describe(const toml::node& node) {
  std::string type;
  switch (node.type()) {
    case toml::node_type::string:
      return "string " + quote(*node.value<std::string>());
    case toml::node_type::integer:
      return "integer " + std::to_string(*node.value<int64_t>());
    case toml::node_type::floating_point:
      return "float " + format_double(*node.value<double>());
    case toml::node_type::boolean:
      return *node.value<bool>() ? "boolean true" : "boolean false";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time";
  }
}

}  // namespace kerec::config
