// Files kerec ships beside its binary (data/prompts/, scripts/): found by their path relative to
// the working directory, then relative to the binary's directory and up to three parents (so both
// build/kerec and an installed prefix/bin/kerec find them).
#pragma once

#include <filesystem>
#include <string>

namespace kerec {

// The first existing candidate; IoError naming every path tried and `hint` (what to set instead).
std::filesystem::path locate_data_file(const std::string& relative, const std::string& hint);

}  // namespace kerec
