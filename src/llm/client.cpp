#include "kerec/llm/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>

namespace kerec::llm {
namespace {

using nlohmann::json;

// Retry-After in ms: "retry-after-ms" (a number), else "retry-after" (seconds or an HTTP date).
int64_t retry_after_ms(const HttpResponse& r) {
  if (auto it = r.headers.find("retry-after-ms"); it != r.headers.end()) {
    try {
      return static_cast<int64_t>(std::max(0.0, std::stod(it->second)));
    } catch (...) {}
  }
  if (auto it = r.headers.find("retry-after"); it != r.headers.end()) {
    try {
      return static_cast<int64_t>(std::max(0.0, std::stod(it->second) * 1000.0));
    } catch (...) {
      const time_t when = curl_getdate(it->second.c_str(), nullptr);
      if (when > 0) return std::max<int64_t>(0, (when - time(nullptr)) * 1000);
    }
  }
  return -1;
}

// The error object's text of an OpenAI-style error body, for messages (cut to 300 bytes).
std::string error_text(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  std::string text;
  if (doc.is_object() && doc.contains("error")) {
    const json& e = doc["error"];
    if (e.is_object()) {
      if (e.contains("message") && e["message"].is_string()) text = e["message"].get<std::string>();
      if (e.contains("code") && e["code"].is_string() && !e["code"].get<std::string>().empty())
        text += " (" + e["code"].get<std::string>() + ")";
    } else if (e.is_string()) {
      text = e.get<std::string>();
    }
  }
  if (text.empty()) text = body;
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

bool quota_exhausted(const std::string& body) {
  std::string lower = body;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower.find("insufficient_quota") != std::string::npos ||
         lower.find("quota exceeded") != std::string::npos ||
         lower.find("exceeded your current quota") != std::string::npos;
}

// A 400/422 about the request's response_format: the error's param, or its text, names it.
bool rejects_response_format(const HttpResponse& r) {
  if (r.status != 400 && r.status != 422) return false;
  const json doc = json::parse(r.body, nullptr, false);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_object() &&
      doc["error"].value("param", json()).is_string() &&
      doc["error"]["param"].get<std::string>() == "response_format")
    return true;
  std::string lower = r.body;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"response_format", "json_schema", "json_object"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

bool valid_completion(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  return doc.is_object() && doc.contains("choices") && doc["choices"].is_array() &&
         !doc["choices"].empty() && doc["choices"][0].contains("message") &&
         doc["choices"][0]["message"].is_object() &&
         doc["choices"][0]["message"].contains("content") &&
         doc["choices"][0]["message"]["content"].is_string();
}

}  // namespace

Completion read_completion(const std::string& body) {
  const json doc = json::parse(body);
  const json& choice = doc["choices"][0];
  Completion c;
  if (choice["message"]["content"].is_string())
    c.content = choice["message"]["content"].get<std::string>();
  if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
    c.finish_reason = choice["finish_reason"].get<std::string>();
  if (doc.contains("usage") && doc["usage"].is_object()) {
    c.prompt_tokens = doc["usage"].value("prompt_tokens", int64_t{0});
    c.completion_tokens = doc["usage"].value("completion_tokens", int64_t{0});
  }
  return c;
}

Outcome classify(const HttpResponse& r, const std::string& api_key_env) {
  Outcome o;
  o.retry_after_ms = retry_after_ms(r);
  const auto retry = [&](std::string cause) {
    return o.kind = Outcome::Kind::kRetry, o.cause = std::move(cause), o;
  };
  const auto fatal = [&](std::string message) {
    return o.kind = Outcome::Kind::kFatal, o.cause = std::move(message), o;
  };
  if (r.curl_code != 0) return retry(r.timed_out ? "timeout" : "connection");
  const std::string status = "HTTP " + std::to_string(r.status);
  if (r.status == 200) return valid_completion(r.body) ? o : retry("bad_response");
  if (r.status == 408 || r.status == 409) return retry("http_" + std::to_string(r.status));
  if (r.status == 429) {
    if (quota_exhausted(r.body))
      return fatal(
          "the LLM endpoint says the quota is exhausted (" + status + "): " + error_text(r.body) +
          "; add credit or raise the quota, then rerun: answers so far are kept in the journal");
    return retry("http_429");
  }
  if (r.status >= 500) return retry("http_5xx");
  if (rejects_response_format(r))
    return o.kind = Outcome::Kind::kFormatRejected, o.cause = error_text(r.body), o;
  if (r.status == 401 || r.status == 403)
    return fatal("the LLM endpoint refused the credentials (" + status +
                 "): " + error_text(r.body) + "; check the API key in the environment variable " +
                 api_key_env + " (llm.api_key_env)");
  if (r.status == 404)
    return fatal("the LLM endpoint answered " + status + ": " + error_text(r.body) +
                 "; check llm.base_url (it should end in /v1) and llm.model");
  return fatal("the LLM endpoint rejected the request (" + status + "): " + error_text(r.body) +
               "; check llm.model and llm.max_tokens");
}

void Client::Bucket::refill(Clock::time_point now) {
  const double dt = std::chrono::duration<double>(now - last).count();
  last = now;
  level = std::min(capacity, level + dt * rate_per_s);
}

Client::Client(const LlmConfig& config, std::string api_key, int ranks)
    : config_(config),
      api_key_(std::move(api_key)),
      urls_(config.urls()),
      jitter_(static_cast<uint64_t>(config.seed), "llm_backoff", 0) {
  if (urls_.empty()) throw ConfigError("key 'llm.base_url': no URL");
  const auto now = Clock::now();
  const double share = 1.0 / std::max(1, ranks);
  requests_.rate_per_s = config.requests_per_minute * share / 60.0;
  requests_.capacity = std::max(1.0, requests_.rate_per_s);
  tokens_.rate_per_s = config.tokens_per_minute * share / 60.0;
  tokens_.capacity = std::max(1.0, tokens_.rate_per_s);
  requests_.level = requests_.capacity, tokens_.level = tokens_.capacity;
  requests_.last = tokens_.last = now;
}

Client::~Client() = default;

void Client::enqueue(CallSpec call) { queued_.push_back({std::move(call), 0, {}}); }

bool Client::may_send(Clock::time_point now, const Call& call) {
  if (in_flight_.size() >= static_cast<size_t>(config_.in_flight_per_rank) || now < breaker_until_)
    return false;
  requests_.refill(now), tokens_.refill(now);
  return (requests_.unlimited() || requests_.level >= 0) &&
         (tokens_.unlimited() || tokens_.level >= 0);
}

void Client::send(Call call, Clock::time_point now) {
  if (!requests_.unlimited()) requests_.level -= 1;
  if (!tokens_.unlimited()) tokens_.level -= static_cast<double>(call.spec.estimated_tokens);
  ++call.attempts;
  ++stats_.http_calls;
  HttpRequest r;
  r.id = next_request_id_++;
  r.url = urls_[next_url_++ % urls_.size()] + "/chat/completions";
  r.body = call.spec.body;
  if (!api_key_.empty()) r.headers.push_back("Authorization: Bearer " + api_key_);
  r.connect_timeout_ms = config_.connect_timeout_ms;
  r.timeout_ms = config_.request_timeout_ms;
  in_flight_.emplace(r.id, std::move(call));
  loop_.submit(std::move(r));
}

void Client::promote_due(Clock::time_point now) {
  // Due retries go to the front, oldest first, so a retried call is not starved by new ones.
  std::vector<Call> due;
  auto keep =
      std::partition(waiting_.begin(), waiting_.end(), [&](const Call& c) { return c.due > now; });
  due.assign(std::make_move_iterator(keep), std::make_move_iterator(waiting_.end()));
  waiting_.erase(keep, waiting_.end());
  std::sort(due.begin(), due.end(), [](const Call& x, const Call& y) { return x.due > y.due; });
  for (auto& c : due) queued_.push_front(std::move(c));
}

int64_t Client::backoff_ms(int32_t attempts, int64_t retry_after) {
  const double base = std::min<double>(static_cast<double>(config_.backoff_max_ms),
                                       config_.backoff_base_ms * std::pow(2.0, attempts - 1));
  int64_t delay = static_cast<int64_t>(base * (0.5 + 0.5 * jitter_.uniform()));  // equal jitter
  if (retry_after >= 0) delay = std::max(delay, std::min(retry_after, config_.retry_after_max_ms));
  return delay;
}

void Client::record_outcome(bool failed, Clock::time_point now) {
  recent_failures_.push_back(failed);
  if (recent_failures_.size() > static_cast<size_t>(config_.breaker_window))
    recent_failures_.pop_front();
  if (recent_failures_.size() < static_cast<size_t>(config_.breaker_window)) return;
  const auto fails = std::count(recent_failures_.begin(), recent_failures_.end(), true);
  if (fails < config_.breaker_failure_share * static_cast<double>(recent_failures_.size())) return;
  // Most recent requests failed: stop sending for a cooldown, then start counting afresh.
  breaker_until_ = now + std::chrono::milliseconds(config_.breaker_cooldown_ms);
  recent_failures_.clear();
  ++stats_.breaker_opens;
}

void Client::handle(HttpResponse& r, std::vector<CallResult>& done) {
  auto node = in_flight_.extract(r.id);
  Call call = std::move(node.mapped());
  const auto now = Clock::now();
  const Outcome o = classify(r, config_.api_key_env);
  if (o.kind == Outcome::Kind::kFatal) throw LlmFatalError(o.cause);
  if (o.kind == Outcome::Kind::kFormatRejected) {
    done.push_back({call.spec.tag, false, o.cause, kFormatRejected, call.attempts, r.elapsed_s});
    return;
  }
  record_outcome(o.kind != Outcome::Kind::kOk, now);
  if (o.kind == Outcome::Kind::kOk) {
    stats_.latency_sum_s += r.elapsed_s;
    done.push_back({call.spec.tag, true, std::move(r.body), {}, call.attempts, r.elapsed_s});
    return;
  }
  if (call.attempts >= config_.max_attempts) {
    ++stats_.failed_calls;
    done.push_back({call.spec.tag, false, {}, o.cause, call.attempts, r.elapsed_s});
    return;
  }
  ++stats_.retries;
  ++stats_.retries_by_cause[o.cause];
  call.due = now + std::chrono::milliseconds(backoff_ms(call.attempts, o.retry_after_ms));
  waiting_.push_back(std::move(call));
}

Client::Clock::time_point Client::next_wake(Clock::time_point now) const {
  auto wake = now + std::chrono::seconds(1);
  for (const auto& c : waiting_) wake = std::min(wake, c.due);
  if (breaker_until_ > now) wake = std::min(wake, breaker_until_);
  const auto bucket_wait = [&](const Bucket& b) {
    if (b.unlimited() || b.level >= 0) return wake;
    return now + std::chrono::microseconds(static_cast<int64_t>(-b.level / b.rate_per_s * 1e6) + 1);
  };
  return std::min({wake, bucket_wait(requests_), bucket_wait(tokens_)});
}

std::vector<CallResult> Client::step(std::chrono::milliseconds max_wait) {
  std::vector<CallResult> done;
  auto now = Clock::now();
  promote_due(now);
  while (!queued_.empty() && may_send(now, queued_.front())) {
    Call c = std::move(queued_.front());
    queued_.pop_front();
    send(std::move(c), now);
  }
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_wake(now) - now);
  wait = std::clamp(wait, std::chrono::milliseconds(0), max_wait);
  if (in_flight_.empty() &&
      wait.count() > 0) {  // nothing can complete: just wait for a retry or budget
    std::vector<HttpResponse> none;
    loop_.take(none, std::chrono::milliseconds(0));
    std::this_thread::sleep_for(wait);
    return done;
  }
  std::vector<HttpResponse> responses;
  loop_.take(responses, in_flight_.empty() ? std::chrono::milliseconds(0) : wait);
  for (auto& r : responses) handle(r, done);
  return done;
}

}  // namespace kerec::llm
