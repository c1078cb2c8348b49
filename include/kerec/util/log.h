// Rank-aware logging on spdlog.
//
// Rank 0 logs to the console (stderr; colours only when it is a terminal); other ranks print only
// errors to the console, prefixed with their rank, so a failure on any rank is visible. Every rank
// can also log everything to its own file (`add_rank_file`), e.g. RUN_DIR/logs/rank-3.log.
// Call init() once, from main(), before logging; the functions below are then safe anywhere.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace kerec::log {

// level: "trace" | "debug" | "info" | "warn" | "error". Throws ConfigError for another value.
void init(int rank, int size, const std::string& level);
// Adds a file sink (appending) for this rank's log. Throws IoError if the file cannot be opened.
void add_rank_file(const std::string& path);
void set_level(const std::string& level);

using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;

}  // namespace kerec::log
