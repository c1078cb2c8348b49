// The [llm] table of the job: the endpoint, the client's limits and retry policy, the prompt,
// prices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"
#include "kerec/llm/prompt.h"

namespace kerec::llm {

struct LlmConfig {
  // Endpoint. "simulator": every rank starts its own kerec-llm-sim on a free loopback port over
  // world.dir (found beside the kerec binary) and stops it at the end of the stage.
  std::string base_url = "simulator";  // one URL, or several comma-separated (used round-robin)
  std::string model = "kerec-sim-1";
  std::string api_key_env = "OPENAI_API_KEY";  // the key is read from this variable, never logged
  std::vector<std::string>
      simulator_args;  // extra kerec-llm-sim options with base_url = "simulator"

  // Prompt.
  std::string prompt_file = "data/prompts/judge_v1.txt";  // relative: CWD, then beside the binary
  int64_t pairs_per_request = 10;
  int64_t name_max_chars = 80;
  int64_t max_tokens = 2048;
  double temperature = 0.0;
  // How requests ask for JSON (ResponseFormat): "json_schema", "json_object" or "none". With
  // response_format_fallback, an endpoint that rejects the mode (HTTP 400/422 naming
  // response_format) gets the next weaker one for the rest of the run — each mode tried once — and
  // the report says so.
  std::string response_format = "json_schema";
  bool response_format_fallback = true;

  // Throughput limits.
  int64_t in_flight_per_rank = 8;
  int64_t requests_per_minute = 0;  // whole job, divided across ranks; 0: unlimited
  int64_t tokens_per_minute = 0;    // whole job, divided across ranks; 0: unlimited

  // Timeouts and retries.
  int64_t connect_timeout_ms = 5000;
  int64_t request_timeout_ms = 120000;  // measured from when the request is sent
  int64_t max_attempts = 6;
  int64_t backoff_base_ms = 250;
  int64_t backoff_max_ms = 30000;
  int64_t retry_after_max_ms = 120000;
  int64_t breaker_window = 20;
  double breaker_failure_share = 0.6;
  int64_t breaker_cooldown_ms = 2000;
  int64_t seed = 1;  // jitter of the backoff

  // The loud stop: once a rank has had at least stop_min_pairs pairs answered on their first ask,
  // more than stop_unparsable_share of them unreadable ends the stage with an error quoting one
  // answer (a model that does not follow the format must not cost a whole run). 1: never.
  double stop_unparsable_share = 0.2;
  int64_t stop_min_pairs = 300;

  // Journal and report.
  int64_t journal_flush_ms = 200;
  double price_in_per_mtok = 0.15;   // cost estimate: currency units per million input tokens
  double price_out_per_mtok = 0.60;  // per million output tokens

  void bind(config::Binder& b);
  // The URLs of base_url, split at commas and trimmed, without a trailing '/'.
  std::vector<std::string> urls() const;
  ResponseFormat format() const;
};

}  // namespace kerec::llm
