// Loading, writing and documenting configs declared with config::Binder (binder.h).
//
// A job file is TOML. `load` walks the root struct's bind() against the parsed file and:
//  - stores each key's value into its field, keeping the default for keys the file leaves out;
//  - rejects a value of the wrong type or outside its range/choices, and any key or table the
//  struct
//    does not declare, with "FILE:LINE: key 'section.key': what was wrong; allowed: ...".
// `--set section.key=value` overrides (from the command line) are applied on top of the file; the
// value is read as a TOML value (`3`, `0.5`, `true`, `"text"`, `[1, 2]`), and anything that is not
// valid TOML is taken as a string (`--set world.language=zh`). Errors in an override name it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kerec/config/binder.h"

namespace kerec::config {

using BindFn = std::function<void(Binder&)>;

struct Source {
  std::string name;                    // file name for messages ("jobs/demo.toml")
  std::string text;                    // the TOML text
  std::vector<std::string> overrides;  // "section.key=value", applied in order
};

// Reads `path` into a Source (IoError naming the path if it cannot be read).
Source read_source(const std::string& path, std::vector<std::string> overrides);

// Validates `source` against the keys that `bind` declares and stores the values (ConfigError).
void load(const Source& source, const BindFn& bind);

// The current values as TOML, each key preceded by its doc as a comment. With `sections` non-empty,
// only those top-level tables are written (used to hash the config a stage depends on).
std::string to_toml(const BindFn& bind, const std::vector<std::string>& sections = {});

// A Markdown reference of every key: name, type, default, allowed values, meaning.
std::string reference_markdown(const BindFn& bind);

}  // namespace kerec::config
