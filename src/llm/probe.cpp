#include "kerec/llm/probe.h"

#include <chrono>
#include <optional>

#include "kerec/llm/client.h"

namespace kerec::llm {
namespace {

constexpr size_t kRawShownBytes = 4000;

std::vector<std::string> ids_of(const std::vector<PromptPair>& pairs) {
  std::vector<std::string> ids;
  for (const auto& p : pairs) ids.push_back(p.id);
  return ids;
}

// One request in `format`, through the same client (limits, retries) as the judge.
ProbeAttempt ask(const LlmConfig& config, const PromptTemplate& prompt,
                 const std::vector<PromptPair>& pairs, const std::string& api_key,
                 ResponseFormat format) {
  ProbeAttempt a;
  a.format = format;
  const RequestOptions options{config.model, config.max_tokens, config.temperature, format};
  Client client(config, api_key, 1);
  client.enqueue({0, chat_request(prompt, pairs, options).dump(), 0});
  std::optional<CallResult> result;
  try {
    while (client.pending() > 0)
      for (auto& r : client.step(std::chrono::milliseconds(100))) result = std::move(r);
  } catch (const LlmFatalError& e) {
    a.error = e.what();
    a.http_attempts = static_cast<int32_t>(client.stats().http_calls);
    return a;
  }
  a.http_attempts = result->attempts, a.latency_s = result->latency_s;
  if (!result->ok) {
    a.format_rejected = result->cause == kFormatRejected;
    a.error = a.format_rejected
                  ? result->body
                  : result->cause + " after " + std::to_string(result->attempts) + " attempts";
    return a;
  }
  const Completion c = read_completion(result->body);
  a.answered = true;
  a.content = c.content, a.finish_reason = c.finish_reason;
  a.tokens_in = c.prompt_tokens, a.tokens_out = c.completion_tokens;
  a.parsed = parse_answer(c.content, ids_of(pairs), c.finish_reason == "length");
  return a;
}

std::string fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string padded(std::string s, size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";
  return s + std::string(width + 2 - s.size(), ' ');
}

std::string indented_raw(const std::string& content) {
  std::string raw =
      content.size() > kRawShownBytes ? content.substr(0, kRawShownBytes) + "..." : content;
  std::string out = "    | ";
  for (char ch : raw) out += ch == '\n' ? std::string("\n    | ") : std::string(1, ch);
  return out + "\n";
}

std::string verdict_table(const ProbeReport& report, const ParsedAnswer& parsed) {
  std::string out = "    " + padded("id", 3) + padded("a", 24) + padded("b", 24) +
                    padded("verdict", 9) + padded("conf", 5) + "reason\n";
  for (const auto& p : report.pairs) {
    out += "    " + padded(p.id, 3) + padded(p.a, 24) + padded(p.b, 24);
    auto it = parsed.verdicts.find(p.id);
    if (it == parsed.verdicts.end()) {
      auto problem = parsed.problems.find(p.id);
      out += "UNREAD   " + (problem == parsed.problems.end() ? std::string("?") : problem->second) +
             "\n";
      continue;
    }
    out += padded(verdict_name(it->second.verdict), 9) +
           padded(fixed(it->second.confidence, 2), 5) + it->second.reason + "\n";
  }
  return out;
}

std::string describe_attempt(const ProbeReport& report, const ProbeAttempt& a,
                             const LlmConfig& config) {
  std::string out = "response_format " + std::string(response_format_name(a.format)) + ":\n";
  if (a.format_rejected) {
    ResponseFormat weaker;
    const bool next = config.response_format_fallback && weaker_response_format(a.format, weaker);
    return out + "  rejected by the endpoint: " + a.error +
           (next ? "\n  (the judge would go on with " + std::string(response_format_name(weaker)) +
                       ")\n"
                 : "\n");
  }
  if (!a.answered) return out + "  no answer: " + a.error + "\n";
  out += "  answered in " + fixed(a.latency_s * 1000, 0) + " ms (" +
         std::to_string(a.http_attempts) + " HTTP attempt(s)), " + std::to_string(a.tokens_in) +
         " tokens in, " + std::to_string(a.tokens_out) + " out, finish_reason " + a.finish_reason +
         "\n  raw answer:\n" + indented_raw(a.content);
  out += "  read " + std::to_string(a.parsed.verdicts.size()) + " of " +
         std::to_string(report.pairs.size()) + " pairs";
  std::string lenient;
  for (const auto& [kind, n] : a.parsed.lenient)
    lenient += (lenient.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  out += lenient.empty() ? " in the exact format\n"
                         : "; accepted beyond the exact format: " + lenient + "\n";
  if (a.parsed.unknown_ids > 0)
    out += "  verdicts for ids not asked: " + std::to_string(a.parsed.unknown_ids) + "\n";
  return out + verdict_table(report, a.parsed);
}

std::string advice(const ProbeReport& report, const LlmConfig& config) {
  if (report.attempts.empty()) return "nothing was asked";
  const ProbeAttempt& last = report.attempts.back();
  const std::string used = response_format_name(last.format);
  if (report.readable())
    return report.attempts.size() == 1
               ? "readable: the judge can read this endpoint's answers with these settings"
               : "readable with response_format " + used +
                     ": the judge falls back to it by itself; set "
                     "llm.response_format = \"" +
                     used + "\" to skip the rejected modes";
  if (!last.answered) return "no usable answer: fix what the message above names, then probe again";
  return "NOT readable in response_format " + used +
         ": try another llm.response_format, a model that follows "
         "instructions, or a prompt that asks for the JSON only (llm.prompt_file)";
}

}  // namespace

bool ProbeReport::readable() const {
  if (attempts.empty() || !attempts.back().answered) return false;
  return attempts.back().parsed.verdicts.size() == pairs.size();
}

ProbeReport probe_endpoint(const LlmConfig& config, const PromptTemplate& prompt,
                           const std::vector<PromptPair>& pairs, const std::string& api_key) {
  ProbeReport report;
  report.pairs = pairs;
  ResponseFormat format = config.format();
  for (;;) {
    report.attempts.push_back(ask(config, prompt, pairs, api_key, format));
    ResponseFormat weaker = format;
    if (!report.attempts.back().format_rejected || !config.response_format_fallback ||
        !weaker_response_format(format, weaker))
      break;
    format = weaker;
  }
  return report;
}

std::string describe_probe(const ProbeReport& report, const LlmConfig& config) {
  std::string out = "probe: model '" + config.model + "' at " + config.base_url + ", " +
                    std::to_string(report.pairs.size()) + " pair(s) in one request\n";
  for (const auto& a : report.attempts) out += describe_attempt(report, a, config);
  return out + "result: " + advice(report, config) + "\n";
}

}  // namespace kerec::llm
