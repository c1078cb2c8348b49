// The chat-completions client of one rank: an HttpLoop plus the policy around it, run from the main
// thread — the in-flight limit, the job's request and token rate limits (divided across ranks),
// retries with exponential backoff and jitter that honour Retry-After / retry-after-ms, a circuit
// breaker, and errors that stop the job (LlmFatalError).
//
//   Client client(config, api_key, comm.size());
//   client.enqueue({.tag = 7, .body = request.dump(), .estimated_tokens = 900});
//   while (client.pending()) for (auto& r : client.step(100ms)) use(r);
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kerec/llm/config.h"
#include "kerec/llm/http_loop.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::llm {

// Retrying cannot help: bad credentials (401/403), a request the endpoint rejects (400, 404, other
// 4xx), an exhausted quota (429 "insufficient_quota"). The message says what to fix; no key in it.
class LlmFatalError : public Error {
 public:
  using Error::Error;
};

struct CallSpec {
  uint64_t tag = 0;              // the caller's id of the call
  std::string body;              // the JSON request body
  int64_t estimated_tokens = 0;  // for the tokens-per-minute limit (prompt + expected output)
};

// CallResult::cause of a request the endpoint refused for its response_format (HTTP 400/422 whose
// error names response_format, json_schema or json_object): not retried, not fatal — the caller
// decides whether to ask again in a weaker mode (LlmConfig::response_format_fallback).
inline constexpr const char* kFormatRejected = "response_format_rejected";

struct CallResult {
  uint64_t tag = 0;
  bool ok = false;
  std::string
      body;  // ok: the response body (a JSON chat.completion); kFormatRejected: the error text
  std::string
      cause;  // !ok: why the last attempt failed, e.g. "http_503", "timeout", kFormatRejected
  int32_t attempts = 0;
  double latency_s = 0.0;  // of the last attempt
};

// The parts of a successful call's body (a chat.completion, its shape checked by the client) that
// the judge reads. Missing usage counts as 0 tokens.
struct Completion {
  std::string content;
  std::string finish_reason;
  int64_t prompt_tokens = 0, completion_tokens = 0;
};
Completion read_completion(const std::string& body);

struct ClientStats {
  int64_t http_calls = 0;  // requests sent, retries included
  int64_t retries = 0;
  std::map<std::string, int64_t> retries_by_cause;
  int64_t failed_calls = 0;  // gave up after max_attempts
  int64_t breaker_opens = 0;
  double latency_sum_s = 0.0;  // over successful attempts
};

// Classification of one attempt's outcome (exposed for tests).
struct Outcome {
  enum class Kind { kOk, kRetry, kFatal, kFormatRejected } kind = Kind::kOk;
  // kRetry: "http_429", "http_5xx", "timeout", ...; kFatal: the message; kFormatRejected: the
  // server's text
  std::string cause;
  int64_t retry_after_ms = -1;  // from the response headers, -1 when absent
};
Outcome classify(const HttpResponse& response, const std::string& api_key_env);

class Client {
 public:
  // `ranks`: the job's rank count, dividing the rate limits. The key may be empty (loopback).
  Client(const LlmConfig& config, std::string api_key, int ranks);
  ~Client();

  void enqueue(CallSpec call);
  // Sends what the limits allow, waits up to `max_wait` for completions and returns the calls that
  // finished (succeeded, or failed after max_attempts). Throws LlmFatalError.
  std::vector<CallResult> step(std::chrono::milliseconds max_wait);
  // Calls queued, in flight or waiting to be retried.
  size_t pending() const { return queued_.size() + waiting_.size() + in_flight_.size(); }
  size_t in_flight() const { return in_flight_.size(); }
  const ClientStats& stats() const { return stats_; }
  // CPU seconds of the event-loop thread.
  double loop_cpu_seconds() const { return loop_.thread_cpu_seconds(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Call {
    CallSpec spec;
    int32_t attempts = 0;
    Clock::time_point due;
  };
  struct Bucket {  // allows a send while level >= 0; a send subtracts its cost
    double rate_per_s = 0, capacity = 0, level = 0;
    Clock::time_point last;
    bool unlimited() const { return rate_per_s <= 0; }
    void refill(Clock::time_point now);
  };

  bool may_send(Clock::time_point now, const Call& call);
  void send(Call call, Clock::time_point now);
  void promote_due(Clock::time_point now);
  void handle(HttpResponse& r, std::vector<CallResult>& done);
  void record_outcome(bool failed, Clock::time_point now);
  int64_t backoff_ms(int32_t attempts, int64_t retry_after_ms);
  Clock::time_point next_wake(Clock::time_point now) const;

  LlmConfig config_;
  std::string api_key_;
  std::vector<std::string> urls_;
  HttpLoop loop_;
  Rng jitter_;
  std::deque<Call> queued_;
  std::vector<Call> waiting_;  // retries not yet due
  std::map<uint64_t, Call> in_flight_;
  uint64_t next_request_id_ = 1;
  size_t next_url_ = 0;
  Bucket requests_, tokens_;
  std::deque<bool> recent_failures_;
  Clock::time_point breaker_until_{};
  ClientStats stats_;
};

}  // namespace kerec::llm
