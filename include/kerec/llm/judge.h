// Judging one rank's pairs: replay the journal, ask the LLM for the rest (k pairs per request),
// parse (kerec/llm/verdict.h), re-ask failed pairs alone once, journal every answer (and the raw
// text of every unreadable one), fall back to a weaker response_format when the endpoint rejects
// the one asked for (LlmConfig::response_format_fallback). Local to the rank: no
// collectives, so the caller agrees on errors afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kerec/llm/config.h"
#include "kerec/llm/prompt.h"
#include "kerec/llm/verdict.h"
#include "kerec/util/error.h"

namespace kerec::llm {

struct PairId {
  int32_t a = 0;
  int32_t b = 0;
};

struct PairResult {
  Verdict verdict = Verdict::kUnjudged;
  float confidence = 0.0f;
  std::string reason;  // the LLM's reason, or for unjudged pairs the cause
};

// The loud stop: the endpoint's answers cannot be read (LlmConfig::stop_unparsable_share).
class UnreadableAnswers : public Error {
 public:
  using Error::Error;
};

struct JudgeStats {
  int64_t pairs = 0;
  int64_t from_journal = 0;  // answered by an earlier run: not asked
  int64_t asked = 0;         // pairs sent in a first request
  int64_t yes = 0, no = 0, uncertain = 0, unjudged = 0;
  std::map<std::string, int64_t> unjudged_by_cause;
  int64_t requests = 0;  // logical requests (re-asks included, retries not)
  int64_t reasks = 0;    // single-pair re-asks
  int64_t http_calls = 0, retries = 0, failed_calls = 0, breaker_opens = 0;
  std::map<std::string, int64_t> retries_by_cause;
  std::map<std::string, int64_t> parse_problems;  // per pair, before re-asking
  std::map<std::string, int64_t>
      lenient_parsing;  // accepted beyond the exact format (ParsedAnswer::lenient)
  int64_t unknown_ids = 0;
  int64_t tokens_in = 0, tokens_out = 0;
  int64_t journal_records = 0, journal_other_model = 0, journal_torn = 0, journal_bad = 0;
  int64_t journal_unreadable = 0;       // unreadable answers of earlier runs in the journal
  int64_t unreadable_answers_kept = 0;  // answers journaled raw by this run (UnreadableRecord)
  // response_format: the mode new requests used at the end (after any fallback), how many times
  // this rank fell back, and how many requests were refused for their format and sent again.
  std::string format_used;
  int64_t format_fallbacks = 0, format_rejected_requests = 0;
  double latency_sum_s = 0.0;  // successful attempts
  double wall_s = 0.0;         // of the asking loop
  double loop_cpu_s = 0.0;     // the event loop thread
  double main_cpu_s = 0.0;     // the whole process during the loop (main thread and loop thread)
};

struct JudgeInput {
  const std::vector<PairId>* pairs = nullptr;       // this rank's pairs
  const std::vector<std::string>* names = nullptr;  // entity index -> name (raw; sanitised here)
  const LlmConfig* config = nullptr;
  const PromptTemplate* prompt = nullptr;
  std::string api_key;
  std::filesystem::path journal_dir;  // RUN_DIR/journal/judge
  int rank = 0;
  int ranks = 1;
  // Called from the asking loop about once a second with (answered, total) pairs; may be empty.
  std::function<void(int64_t, int64_t)> progress;
};

// results[i] belongs to (*input.pairs)[i]. Throws LlmFatalError (after flushing the journal).
std::vector<PairResult> judge_pairs(const JudgeInput& input, JudgeStats& stats);

}  // namespace kerec::llm
