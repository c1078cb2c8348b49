// The per-rank answer journal: every verdict is appended here before it counts, so a killed job
// resumes without asking again and a re-run with the same model and prompt makes no calls.
//
// Layout: DIR/rank-N.jsonl (DIR is RUN_DIR/journal/judge, outside the stage's staging folder so it
// survives a killed run), one JSON object per line:
//   {"a":3,"b":17,"v":"yes","c":0.9,"r":"...","model":"m","prompt":"<sha256>","tin":120,"tout":40,
//    "att":1,"t":1732500000123,"ms":52}
// tin/tout are this pair's share of its request's token usage; t is unix ms; ms the request
// latency. Each line begins with "x", the XXH64 (hex) of the line's JSON without it: a line whose
// bytes were damaged is counted bad and its pair asked again, never replayed with a changed
// verdict. Lines without "x" (older journals) are read unchecked. Only answers (yes/no/uncertain)
// count when replayed; an unjudged pair is asked again by the next run. Beside them, every answer
// that could not be read is kept as an UnreadableRecord, so a user can see what the model wrote.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/llm/verdict.h"

namespace kerec::llm {

inline uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

struct JournalRecord {
  int32_t a = 0, b = 0;
  Verdict verdict = Verdict::kUnjudged;
  float confidence = 0.0f;
  std::string reason;
  std::string model;
  std::string prompt_sha256;
  int64_t tokens_in = 0, tokens_out = 0;
  int32_t attempts = 0;
  int64_t unix_ms = 0;
  int64_t latency_ms = 0;
};

// An answer with pairs it gave no readable verdict for, as the model wrote it:
//   {"unreadable":"<why, for the first such
//   pair>","pairs":[[3,17],...],"raw":"<content>","cut":false,
//    "fmt":"json_schema","model":"m","prompt":"<sha256>","t":1732500000123}
// `raw` is cut to kUnreadableRawMaxBytes (then "cut" is true). Replay counts these and skips them.
struct UnreadableRecord {
  std::vector<std::pair<int32_t, int32_t>> pairs;  // the pairs without a readable verdict
  std::string problem;
  std::string raw;
  std::string response_format;
  std::string model;
  std::string prompt_sha256;
  int64_t unix_ms = 0;
};
inline constexpr size_t kUnreadableRawMaxBytes = 64 * 1024;

// A journal line from a JSON object's text `body` ("{...}"): the checksum member first, then a
// newline. checksum_ok: true when a line carries no checksum (written before kerec 0.9) or a
// matching one. Other journals (the linker's, llm/link.h) use the same line format.
std::string with_checksum(const std::string& body);
bool checksum_ok(const std::string& line);

std::string to_json_line(const JournalRecord& r);
std::string to_json_line(const UnreadableRecord& r);
// False when the line is not a complete, valid record (or fails its checksum).
bool from_json_line(const std::string& line, JournalRecord& out);

// Appends to one rank's journal. Records are buffered and written (one write(2), O_APPEND) when
// `flush_interval` has passed since the last write, on flush(), and on destruction; close() also
// fdatasyncs. A `kill -9` loses only what was buffered — answers that had not yet counted.
class JournalWriter {
 public:
  // Creates DIR and the file if needed. A torn last line (no trailing newline, from a killed
  // writer) is cut off first, so appends start on a line boundary. IoError on failure.
  JournalWriter(const std::filesystem::path& path, std::chrono::milliseconds flush_interval);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  void append(const JournalRecord& record);
  void append(const UnreadableRecord& record);
  // A complete line (with_checksum) of another record type.
  void append_line(const std::string& line);
  // Writes the buffer if the interval has passed.
  void maybe_flush();
  void flush();
  void close();
  // Bytes of a torn last line removed on open.
  int64_t torn_bytes_removed() const { return torn_bytes_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_flush_;
  int64_t torn_bytes_ = 0;
};

struct JournalReplay {
  // pair_key -> latest answer; model and prompt_sha256 left empty (they are the ones asked for)
  std::unordered_map<uint64_t, JournalRecord> answers;
  int64_t files = 0;
  int64_t records = 0;                // valid records read
  int64_t other_model_or_prompt = 0;  // valid, but for another model or prompt hash: ignored
  int64_t torn_last_records = 0;      // an incomplete last line (a killed writer): ignored
  int64_t bad_records = 0;            // invalid lines elsewhere: ignored and reported
  int64_t unreadable_answers = 0;     // UnreadableRecords (not answers): skipped
};

// Reads every rank-*.jsonl in `dir` (all ranks' journals, so a resume with another rank count finds
// every answer) and keeps the answers for `model` and `prompt_sha256` whose pair `wanted` accepts.
// A missing dir gives an empty replay. Files are read line by line (memory: the kept answers).
JournalReplay replay_journals(const std::filesystem::path& dir, const std::string& model,
                              const std::string& prompt_sha256,
                              const std::function<bool(uint64_t)>& wanted);

std::filesystem::path journal_path(const std::filesystem::path& dir, int rank);

}  // namespace kerec::llm
