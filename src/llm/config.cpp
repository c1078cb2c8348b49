#include "kerec/llm/config.h"

#include "kerec/util/error.h"

namespace kerec::llm {

void LlmConfig::bind(config::Binder& b) {
  using config::Range;
  const Range<int64_t> ms{0, 86'400'000};
  b.key("base_url", base_url,
        "OpenAI-compatible endpoint ending in /v1 (several: comma-separated, used round-robin); "
        "\"simulator\": each rank starts kerec-llm-sim over world.dir on a free loopback port");
  b.key("model", model, "model name sent with every request and recorded with every answer");
  b.key("api_key_env", api_key_env,
        "environment variable holding the API key (not needed for loopback)");
  b.key("simulator_args", simulator_args,
        "extra kerec-llm-sim options when base_url = \"simulator\", "
        "e.g. [\"--latency-median-ms\", \"50\"]");
  b.key("prompt_file", prompt_file,
        "prompt template; a relative path is looked up in the working directory, "
        "then beside the kerec binary and its parent directories");
  b.key("pairs_per_request", pairs_per_request, "pairs per request (k)", Range<int64_t>{1, 200});
  b.key("name_max_chars", name_max_chars,
        "entity names are cut to this many code points in the prompt", Range<int64_t>{8, 1000});
  b.key("max_tokens", max_tokens, "max_tokens of each request", Range<int64_t>{16, 1'000'000});
  b.key("temperature", temperature, "sampling temperature", Range<double>{0.0, 2.0});
  b.key("response_format", response_format,
        "how requests ask for JSON: \"json_schema\" (the verdict schema, "
        "guided decoding), \"json_object\" (any JSON object) or \"none\" (the prompt alone)",
        config::Choices{"json_schema", "json_object", "none"});
  b.key("response_format_fallback", response_format_fallback,
        "when the endpoint rejects the response_format "
        "(HTTP 400/422 naming it), go on with the next weaker mode (json_schema, json_object, "
        "none) and say so");
  b.key("in_flight_per_rank", in_flight_per_rank, "requests in flight per rank (L)",
        Range<int64_t>{1, 4096});
  b.key("requests_per_minute", requests_per_minute,
        "requests per minute for the whole job, divided across "
        "ranks; 0: unlimited",
        Range<int64_t>{0, INT64_MAX});
  b.key("tokens_per_minute", tokens_per_minute,
        "estimated tokens per minute for the whole job, divided "
        "across ranks; 0: unlimited",
        Range<int64_t>{0, INT64_MAX});
  b.key("connect_timeout_ms", connect_timeout_ms, "TCP/TLS connect timeout",
        Range<int64_t>{1, 600'000});
  b.key("request_timeout_ms", request_timeout_ms, "timeout of one request, from when it is sent",
        Range<int64_t>{1, 86'400'000});
  b.key("max_attempts", max_attempts, "attempts per request before its pairs are unjudged",
        Range<int64_t>{1, 100});
  b.key("backoff_base_ms", backoff_base_ms, "first retry delay; doubles per attempt, with jitter",
        ms);
  b.key("backoff_max_ms", backoff_max_ms, "cap of the exponential backoff", ms);
  b.key("retry_after_max_ms", retry_after_max_ms, "cap on a server's Retry-After / retry-after-ms",
        ms);
  b.key("breaker_window", breaker_window, "circuit breaker: outcomes considered",
        Range<int64_t>{1, 100000});
  b.key("breaker_failure_share", breaker_failure_share,
        "circuit breaker: share of failures in the window "
        "that pauses all sending",
        Range<double>{0.0, 1.0});
  b.key("breaker_cooldown_ms", breaker_cooldown_ms, "circuit breaker: pause when it opens", ms);
  b.key("seed", seed, "seed of the retry jitter", Range<int64_t>{0, INT64_MAX});
  b.key(
      "stop_unparsable_share", stop_unparsable_share,
      "stop the judge stage with an error quoting one answer "
      "when more than this share of a rank's first-asked pairs got no readable verdict (1: never); "
      "the same for the extract stage's linking questions",
      Range<double>{0.0, 1.0});
  b.key("stop_min_pairs", stop_min_pairs,
        "... counted once a rank has had at least this many pairs (or linking questions) answered",
        Range<int64_t>{1, INT64_MAX});
  b.key("journal_flush_ms", journal_flush_ms,
        "answers are written to the journal at least this often", Range<int64_t>{0, 60'000});
  b.key("price_in_per_mtok", price_in_per_mtok, "cost estimate: price per million input tokens",
        Range<double>{0.0, 1e6});
  b.key("price_out_per_mtok", price_out_per_mtok, "cost estimate: price per million output tokens",
        Range<double>{0.0, 1e6});
}

ResponseFormat LlmConfig::format() const {
  ResponseFormat f = ResponseFormat::kJsonSchema;
  if (!parse_response_format(response_format, f))
    throw ConfigError("key 'llm.response_format': '" + response_format +
                      "' is not json_schema, json_object or none");
  return f;
}

std::vector<std::string> LlmConfig::urls() const {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= base_url.size()) {
    size_t end = base_url.find(',', start);
    if (end == std::string::npos) end = base_url.size();
    std::string url = base_url.substr(start, end - start);
    while (!url.empty() && std::isspace(static_cast<unsigned char>(url.front()))) url.erase(0, 1);
    while (!url.empty() &&
           (std::isspace(static_cast<unsigned char>(url.back())) || url.back() == '/'))
      url.pop_back();
    if (!url.empty()) out.push_back(url);
    start = end + 1;
  }
  return out;
}

}  // namespace kerec::llm
