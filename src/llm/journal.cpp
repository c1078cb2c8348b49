#include "kerec/llm/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>

#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write_all(int fd, const std::string& bytes, const fs::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError(errno_message("write to journal '" + path.string() + "'", errno));
    done += static_cast<size_t>(n);
  }
}

// Size of the file up to and including its last newline.
off_t complete_size(int fd, const fs::path& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    throw IoError(errno_message("stat journal '" + path.string() + "'", errno));
  off_t end = st.st_size;
  char c;
  while (end > 0) {
    if (::pread(fd, &c, 1, end - 1) != 1)
      throw IoError(errno_message("read journal '" + path.string() + "'", errno));
    if (c == '\n') break;
    --end;
  }
  return end;
}

// Every line starts with its own checksum: {"x":"<xxh64 hex of the line's JSON without the x
// member>", ...}. A line whose bytes changed fails it and is not replayed (its pair is asked
// again).
constexpr std::string_view kChecksumPrefix = "{\"x\":\"";
constexpr size_t kChecksumEnd = 6 + 16;  // the closing quote; the next byte is the comma

}  // namespace

std::string with_checksum(const std::string& body) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(xxh64(body.data(), body.size(), 0)));
  return std::string(kChecksumPrefix) + hex + "\"," + body.substr(1) + "\n";
}

bool checksum_ok(const std::string& line) {
  if (line.compare(0, kChecksumPrefix.size(), kChecksumPrefix) != 0) return true;
  if (line.size() < kChecksumEnd + 3 || line.compare(kChecksumEnd, 2, "\",") != 0) return false;
  std::string body = "{" + line.substr(kChecksumEnd + 2);
  if (!body.empty() && body.back() == '\n') body.pop_back();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(xxh64(body.data(), body.size(), 0)));
  return line.compare(kChecksumPrefix.size(), 16, hex) == 0;
}

namespace {

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string to_json_line(const JournalRecord& r) {
  json j = {{"a", r.a},
            {"b", r.b},
            {"v", verdict_name(r.verdict)},
            {"c", r.confidence},
            {"r", r.reason},
            {"model", r.model},
            {"prompt", r.prompt_sha256},
            {"tin", r.tokens_in},
            {"tout", r.tokens_out},
            {"att", r.attempts},
            {"t", r.unix_ms ? r.unix_ms : now_unix_ms()},
            {"ms", r.latency_ms}};
  return with_checksum(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string to_json_line(const UnreadableRecord& r) {
  const bool cut = r.raw.size() > kUnreadableRawMaxBytes;
  json j = {{"unreadable", r.problem},
            {"pairs", r.pairs},
            {"raw", cut ? r.raw.substr(0, kUnreadableRawMaxBytes) : r.raw},
            {"cut", cut},
            {"fmt", r.response_format},
            {"model", r.model},
            {"prompt", r.prompt_sha256},
            {"t", r.unix_ms ? r.unix_ms : now_unix_ms()}};
  return with_checksum(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

namespace {

bool is_unreadable_line(const std::string& line) {
  if (!checksum_ok(line)) return false;
  const json j = json::parse(line, nullptr, false);
  return j.is_object() && j.contains("unreadable") && j.contains("raw");
}

}  // namespace

bool from_json_line(const std::string& line, JournalRecord& r) {
  if (!checksum_ok(line)) return false;
  json j = json::parse(line, nullptr, false);
  if (!j.is_object()) return false;
  try {
    r.a = j.at("a").get<int32_t>();
    r.b = j.at("b").get<int32_t>();
    if (!parse_verdict_word(j.at("v").get<std::string>(), r.verdict)) return false;
    r.confidence = j.at("c").get<float>();
    r.reason = j.at("r").get<std::string>();
    r.model = j.at("model").get<std::string>();
    r.prompt_sha256 = j.at("prompt").get<std::string>();
    r.tokens_in = j.value("tin", int64_t{0});
    r.tokens_out = j.value("tout", int64_t{0});
    r.attempts = j.value("att", 0);
    r.unix_ms = j.value("t", int64_t{0});
    r.latency_ms = j.value("ms", int64_t{0});
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

fs::path journal_path(const fs::path& dir, int rank) {
  return dir / ("rank-" + std::to_string(rank) + ".jsonl");
}

JournalWriter::JournalWriter(const fs::path& path, std::chrono::milliseconds flush_interval)
    : path_(path), interval_(flush_interval), last_flush_(std::chrono::steady_clock::now()) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    throw IoError("cannot create journal directory '" + path.parent_path().string() +
                  "': " + ec.message());
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(errno_message("open journal '" + path.string() + "'", errno));
  struct stat st;
  ::fstat(fd_, &st);
  const off_t complete = complete_size(fd_, path);
  if (complete < st.st_size) {
    torn_bytes_ = st.st_size - complete;
    if (::ftruncate(fd_, complete) != 0)
      throw IoError(errno_message("truncate journal '" + path.string() + "'", errno));
  }
}

JournalWriter::~JournalWriter() {
  try {
    close();
  } catch (...) {}
}

void JournalWriter::append(const JournalRecord& record) {
  buffer_ += to_json_line(record);
  maybe_flush();
}

void JournalWriter::append(const UnreadableRecord& record) {
  buffer_ += to_json_line(record);
  maybe_flush();
}

void JournalWriter::append_line(const std::string& line) {
  buffer_ += line;
  maybe_flush();
}

void JournalWriter::maybe_flush() {
  if (std::chrono::steady_clock::now() - last_flush_ >= interval_) flush();
}

void JournalWriter::flush() {
  last_flush_ = std::chrono::steady_clock::now();
  if (buffer_.empty() || fd_ < 0) return;
  write_all(fd_, buffer_, path_);
  buffer_.clear();
}

void JournalWriter::close() {
  if (fd_ < 0) return;
  flush();
  ::fdatasync(fd_);
  ::close(fd_);
  fd_ = -1;
}

JournalReplay replay_journals(const fs::path& dir, const std::string& model,
                              const std::string& prompt_sha256,
                              const std::function<bool(uint64_t)>& wanted) {
  JournalReplay out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("rank-", 0) == 0 && e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(errno_message("cannot read journal '" + path.string() + "'", errno));
    ++out.files;
    // Line by line: a journal holds every answer of a run (150 MB for a million pairs), and every
    // rank reads every file. getline stops at end of file without a newline: a torn last record.
    for (std::string line; std::getline(in, line);) {
      const bool last_torn = in.eof();
      JournalRecord r;
      if (!from_json_line(line, r)) {
        if (!last_torn && is_unreadable_line(line))
          ++out.unreadable_answers;
        else
          ++(last_torn ? out.torn_last_records : out.bad_records);
        continue;
      }
      if (last_torn) {  // parsed, but without its newline the write may not be complete
        ++out.torn_last_records;
        continue;
      }
      ++out.records;
      if (r.model != model || r.prompt_sha256 != prompt_sha256) {
        ++out.other_model_or_prompt;
        continue;
      }
      const uint64_t key = pair_key(r.a, r.b);
      if (!wanted(key)) continue;
      r.model = std::string(), r.prompt_sha256 = std::string();  // known: the ones asked for
      out.answers[key] = std::move(r);
    }
    if (in.bad())
      throw IoError(errno_message("cannot read journal '" + path.string() + "'", errno));
  }
  return out;
}

}  // namespace kerec::llm
