#include "kerec/util/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "kerec/util/error.h"

namespace kerec::log {
namespace {

spdlog::level::level_enum parse_level(const std::string& level) {
  if (level == "trace") return spdlog::level::trace;
  if (level == "debug") return spdlog::level::debug;
  if (level == "info") return spdlog::level::info;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  throw ConfigError("log level '" + level + "': allowed one of trace, debug, info, warn, error");
}

}  // namespace

void init(int rank, int size, const std::string& level) {
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  const std::string who = size > 1 ? "[rank " + std::to_string(rank) + "] " : "";
  console->set_pattern("%^[%H:%M:%S] " + who + "%v%$");
  if (rank != 0) console->set_level(spdlog::level::err);
  auto logger = std::make_shared<spdlog::logger>("kerec", console);
  logger->set_level(parse_level(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void add_rank_file(const std::string& path) {
  try {
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/false);
    file->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
    spdlog::default_logger()->sinks().push_back(file);
  } catch (const spdlog::spdlog_ex& e) {
    throw IoError("cannot open log file '" + path + "': " + e.what());
  }
}

void set_level(const std::string& level) {
  spdlog::default_logger()->set_level(parse_level(level));
}

}  // namespace kerec::log
