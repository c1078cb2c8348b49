// One annotated config struct per component, validated in one place.
//
// A component's config is a plain struct with defaults and a `bind(Binder&)` member that names each
// field, documents it and states its allowed values:
//
//   struct WorldConfig {
//     std::string dir = "world";  // where the world is written and read
//     int64_t seed = 42;
//     double scale = 1.0;
//     std::string language = "en";
//     void bind(config::Binder& b) {
//       b.key("dir", dir, "directory the world is written to and read from");
//       b.key("seed", seed, "seed of every random draw", config::Range<int64_t>{0, INT64_MAX});
//       b.key("scale", scale, "multiplies all counts", config::Range<double>{1e-4, 1e4});
//       b.key("language", language, "language of titles and bills", config::Choices{"en", "zh"});
//     }
//   };
//
// The same bind() serves every use: loading a TOML file (type and range checks, unknown keys
// rejected with file and line), writing the effective config, and printing the reference docs.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::config {

// Inclusive bounds; the defaults allow everything.
template <class T>
struct Range {
  T min = std::numeric_limits<T>::lowest();
  T max = std::numeric_limits<T>::max();
};

// The allowed values of a string key; empty allows any string.
using Choices = std::vector<std::string>;

class Binder {
 public:
  virtual ~Binder() = default;

  virtual void key(std::string_view name, bool& value, std::string_view doc) = 0;
  virtual void key(std::string_view name, int64_t& value, std::string_view doc,
                   Range<int64_t> range = {}) = 0;
  virtual void key(std::string_view name, double& value, std::string_view doc,
                   Range<double> range = {}) = 0;
  virtual void key(std::string_view name, std::string& value, std::string_view doc,
                   const Choices& choices = {}) = 0;
  // Each element must lie in `range`.
  virtual void key(std::string_view name, std::vector<double>& value, std::string_view doc,
                   Range<double> range = {}) = 0;
  virtual void key(std::string_view name, std::vector<int64_t>& value, std::string_view doc,
                   Range<int64_t> range = {}) = 0;
  // Each element must be one of `choices` (when not empty).
  virtual void key(std::string_view name, std::vector<std::string>& value, std::string_view doc,
                   const Choices& choices = {}) = 0;

  // A [name] table bound by `part.bind(*this)`.
  template <class Part>
  void section(std::string_view name, std::string_view doc, Part& part) {
    enter(name, doc);
    part.bind(*this);
    leave();
  }

 protected:
  virtual void enter(std::string_view name, std::string_view doc) = 0;
  virtual void leave() = 0;
};

}  // namespace kerec::config
