// `kerec judge --probe`: one small request to the endpoint, shown the way a person checks a new
// endpoint — the raw answer, how it was read, the verdicts. It asks in the configured
// response_format and, when the endpoint rejects that and llm.response_format_fallback is on, in
// the weaker modes the judge stage would fall back to, so the probe shows what a run will do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/llm/config.h"
#include "kerec/llm/prompt.h"
#include "kerec/llm/verdict.h"

namespace kerec::llm {

struct ProbeAttempt {
  ResponseFormat format = ResponseFormat::kJsonSchema;
  bool answered = false;         // a chat completion came back
  bool format_rejected = false;  // the endpoint refused `format` (the next attempt is weaker)
  std::string error;             // !answered: the cause, or the endpoint's own message
  std::string content;           // answered: the assistant message as the model wrote it
  std::string finish_reason;
  int64_t tokens_in = 0, tokens_out = 0;
  int32_t http_attempts = 0;
  double latency_s = 0.0;
  ParsedAnswer parsed;  // answered: what parse_answer made of `content`
};

struct ProbeReport {
  std::vector<PromptPair> pairs;  // as asked (ids "1".."k")
  std::vector<ProbeAttempt> attempts;
  // The last attempt was answered and every pair got a readable verdict.
  bool readable() const;
};

// Sends `pairs` (names already sanitised) as one request; never throws for what the endpoint says
// (an LlmFatalError becomes the attempt's error). `api_key` may be empty (loopback).
ProbeReport probe_endpoint(const LlmConfig& config, const PromptTemplate& prompt,
                           const std::vector<PromptPair>& pairs, const std::string& api_key);

// The report as text for a terminal: per attempt the mode, status, the raw answer (indented), the
// kinds accepted leniently, and a table of the verdicts; then one line of advice.
std::string describe_probe(const ProbeReport& report, const LlmConfig& config);

}  // namespace kerec::llm
