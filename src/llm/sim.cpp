#include "kerec/llm/sim.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "kerec/llm/prompt.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"
#include "kerec/util/utf8.h"

namespace kerec::llm {
namespace {

using nlohmann::json;

int64_t tokens_of(const std::string& text) { return static_cast<int64_t>((text.size() + 3) / 4); }

json error_body(const std::string& message, const std::string& type, const std::string& code,
                const json& param = nullptr) {
  return {{"error", {{"message", message}, {"type", type}, {"param", param}, {"code", code}}}};
}

// The response_format type of a request: "none" without one (or for type "text").
std::string format_of(const json& request) {
  if (!request.contains("response_format") || !request["response_format"].is_object())
    return "none";
  const json& type = request["response_format"].value("type", json());
  if (!type.is_string()) return "invalid";
  return type.get<std::string>() == "text" ? "none" : type.get<std::string>();
}

// The lines of the last user message that are JSON (a prompt's pair or question lines).
std::vector<json> user_json_lines(const json& messages) {
  std::string content;
  for (const auto& m : messages)
    if (m.is_object() && m.value("role", "") == "user" && m.contains("content") &&
        m["content"].is_string())
      content = m["content"].get<std::string>();
  std::vector<json> out;
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    const std::string line = content.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] != '{') continue;
    json p = json::parse(line, nullptr, false);
    if (!p.is_discarded()) out.push_back(std::move(p));
  }
  return out;
}

// The pairs of the last user message: lines that are JSON objects with string id, a and b.
std::vector<std::array<std::string, 3>> pairs_in(const json& messages) {
  std::vector<std::array<std::string, 3>> out;
  for (const json& p : user_json_lines(messages)) {
    if (p.is_object() && p.contains("id") && p["id"].is_string() && p.contains("a") &&
        p["a"].is_string() && p.contains("b") && p["b"].is_string())
      out.push_back(
          {p["id"].get<std::string>(), p["a"].get<std::string>(), p["b"].get<std::string>()});
  }
  return out;
}

struct LinkAsked {
  std::string id, mention;
  std::vector<std::string> candidates;
};

// The linking questions of the last user message: lines that are JSON objects with string id and
// mention and an array of candidates (llm/link.h).
std::vector<LinkAsked> links_in(const json& messages) {
  std::vector<LinkAsked> out;
  for (const json& p : user_json_lines(messages)) {
    if (!p.is_object() || !p.contains("id") || !p["id"].is_string() || !p.contains("mention") ||
        !p["mention"].is_string() || !p.contains("candidates") || !p["candidates"].is_array())
      continue;
    LinkAsked q{p["id"].get<std::string>(), p["mention"].get<std::string>(), {}};
    for (const auto& c : p["candidates"])
      if (c.is_string()) q.candidates.push_back(c.get<std::string>());
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace

const char* fault_name(SimFault f) {
  switch (f) {
    case SimFault::kNone:
      return "none";
    case SimFault::k429:
      return "429";
    case SimFault::k500:
      return "500";
    case SimFault::k503:
      return "503";
    case SimFault::kStall:
      return "stall";
    case SimFault::kMalformed:
      return "malformed";
    case SimFault::kTruncated:
      return "truncated";
    case SimFault::kWrongId:
      return "wrong_id";
    case SimFault::kClose:
      return "close";
  }
  return "none";
}

SimService::SimService(const SimWorld& world, SimOptions options)
    : world_(world), options_(std::move(options)) {}

ParsedVerdict SimService::answer(const std::string& a_name, const std::string& b_name) const {
  const std::string a = world_.entity_of(a_name), b = world_.entity_of(b_name);
  if (a.empty() || b.empty())
    return {Verdict::kUncertain, 0.2f, "I do not know one of these products."};
  Rng rng(options_.seed, "sim_verdict", hash64(a + "\x1f" + b));
  const bool rare = std::min(world_.items(a), world_.items(b)) <= options_.rare_items;
  const double mult = rare ? options_.rare_factor : 1.0;
  const double s = world_.strength(a, b);
  const double u = rng.uniform(), conf_noise = rng.uniform();
  if (u < std::min(0.9, options_.uncertain_rate * mult))
    return {Verdict::kUncertain, static_cast<float>(0.3 + 0.3 * conf_noise),
            "The relation depends on the use."};
  const double u2 = rng.uniform();
  if (s > 0 && u2 >= std::min(0.9, options_.fn_rate * mult))
    return {
        Verdict::kYes,
        static_cast<float>(std::round((0.55 + 0.4 * s * (0.8 + 0.2 * conf_noise)) * 1000) / 1000),
        "People who bought " + a_name + " often need " + b_name + " next."};
  if (s <= 0 && u2 < std::min(0.9, options_.fp_rate * mult))
    return {Verdict::kYes, static_cast<float>(std::round((0.5 + 0.3 * conf_noise) * 1000) / 1000),
            b_name + " may be used together with " + a_name + "."};
  return {Verdict::kNo, static_cast<float>(std::round((0.6 + 0.35 * conf_noise) * 1000) / 1000),
          b_name + " is not usually needed after buying " + a_name + "."};
}

json SimService::link(const std::string& mention_in,
                      const std::vector<std::string>& candidates) const {
  const std::string mention =
      utf8::is_valid(mention_in) ? mention_in : sanitize_name(mention_in, 1000);
  // The first entity named that is a candidate (else the first named), as a reader would choose.
  const auto named = world_.named_in(mention);
  std::string words, truth;
  for (const auto& [surface, id] : named)
    if (std::find(candidates.begin(), candidates.end(), world_.name_of(id)) != candidates.end()) {
      words = surface, truth = id;
      break;
    }
  if (truth.empty() && !named.empty()) words = named[0].first, truth = named[0].second;
  const bool known = !truth.empty();
  Rng rng(options_.seed, "sim_link", hash64(mention));
  const double mult =
      known && world_.items(truth) <= options_.rare_items ? options_.rare_factor : 1.0;
  const std::string name = known ? world_.name_of(truth) : std::string();
  const auto at = std::find(candidates.begin(), candidates.end(), name);
  const double u = rng.uniform(), conf = 0.6 + 0.35 * rng.uniform();
  std::string answer = "none";
  if (u < std::min(0.9, options_.link_wrong_rate * mult)) {
    for (const auto& c : candidates)
      if (c != name) {
        answer = c;
        break;
      }
  } else if (known && at != candidates.end() &&
             u >= options_.link_wrong_rate * mult + options_.link_miss_rate * mult) {
    answer = name;
  }
  if (words.empty()) words = mention;
  return {{"entity", answer},
          {"words", answer == "none" ? std::string() : words},
          {"confidence", std::round(conf * 1000) / 1000}};
}

SimFault SimService::draw_fault(uint64_t seq) const {
  double u = Rng(options_.seed, "sim_fault", seq).uniform();
  const std::pair<double, SimFault> rates[] = {{options_.rate_429, SimFault::k429},
                                               {options_.rate_500, SimFault::k500},
                                               {options_.rate_503, SimFault::k503},
                                               {options_.rate_stall, SimFault::kStall},
                                               {options_.rate_malformed, SimFault::kMalformed},
                                               {options_.rate_truncated, SimFault::kTruncated},
                                               {options_.rate_wrong_id, SimFault::kWrongId},
                                               {options_.rate_close, SimFault::kClose}};
  for (const auto& [rate, fault] : rates) {
    if (u < rate) return fault;
    u -= rate;
  }
  return SimFault::kNone;
}

double SimService::draw_latency_ms(uint64_t seq) const {
  if (options_.latency_median_ms <= 0) return 0.0;
  return Rng(options_.seed, "sim_latency", seq)
      .lognormal(std::log(options_.latency_median_ms), options_.latency_sigma);
}

bool SimService::reject_format(const json& request, SimReply& reply) {
  const std::string format = format_of(request);
  const auto& taken = options_.response_formats;
  const bool ok = std::find(taken.begin(), taken.end(), format) != taken.end();
  {
    std::lock_guard lock(mutex_);
    ++(ok ? by_format_ : format_rejected_)[format];
  }
  if (ok) return false;
  std::string list;
  for (const auto& f : taken) list += (list.empty() ? "" : ", ") + f;
  reply.status = 400;
  reply.body = error_body("Invalid parameter: 'response_format' of type '" + format +
                              "' is not supported by this server (it takes: " + list + ")",
                          "invalid_request_error", "", "response_format")
                   .dump();
  return true;
}

void SimService::count_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::lock_guard lock(mutex_);
  ++chat_requests_;
  pairs_total_ += static_cast<int64_t>(pairs.size());
  for (const auto& [a, b] : pairs) ++asked_[a + "\x1f" + b];
}

// `verdicts` as a chat model without a JSON mode might write them (SimOptions::sloppy_rate).
std::string sloppy_content(json verdicts, Rng& rng) {
  const bool prose = rng.bernoulli(0.5), caps = rng.bernoulli(0.5), strings = rng.bernoulli(0.5),
             numeric_ids = rng.bernoulli(0.5), no_reason = rng.bernoulli(0.5),
             commentary = rng.bernoulli(0.5);
  for (json& v : verdicts) {
    if (caps) {
      std::string w = v["verdict"].get<std::string>();
      w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
      v["verdict"] = w + ".";
    }
    if (strings) v["confidence"] = json(v["confidence"].get<double>()).dump();
    const std::string id = v["id"].get<std::string>();
    if (numeric_ids && !id.empty() && id.find_first_not_of("0123456789") == std::string::npos &&
        id.size() < 15)
      v["id"] = std::stoll(id);
  }
  if (no_reason && !verdicts.empty()) verdicts[0].erase("reason");
  std::string content = json{{"verdicts", verdicts}}.dump(2);
  if (prose) content = "Sure! Here are my judgments:\n```json\n" + content + "\n```";
  if (commentary) content += "\n\nLet me know if you need more detail on any of these pairs.";
  return content;
}

json completion_body(const std::string& model, const std::string& content,
                     const std::string& finish_reason, int64_t prompt_tokens,
                     int64_t completion_tokens, uint64_t seq) {
  return {{"id", "chatcmpl-sim-" + std::to_string(seq)},
          {"object", "chat.completion"},
          {"created", static_cast<int64_t>(std::time(nullptr))},
          {"model", model},
          {"choices",
           {{{"index", 0},
             {"message", {{"role", "assistant"}, {"content", content}}},
             {"logprobs", nullptr},
             {"finish_reason", finish_reason}}}},
          {"usage",
           {{"prompt_tokens", prompt_tokens},
            {"completion_tokens", completion_tokens},
            {"total_tokens", prompt_tokens + completion_tokens}}}};
}

SimReply SimService::chat(const std::string& body) {
  const uint64_t seq = sequence_++;
  SimReply reply;
  reply.delay_ms = draw_latency_ms(seq);
  json req = json::parse(body, nullptr, false);
  if (!req.is_object() || !req.contains("model") || !req["model"].is_string() ||
      !req.contains("messages") || !req["messages"].is_array()) {
    std::lock_guard lock(mutex_);
    ++bad_requests_;
    reply.status = 400;
    reply.body = error_body("the request needs a string 'model' and an array 'messages'",
                            "invalid_request_error", "invalid_request")
                     .dump();
    return reply;
  }
  if (reject_format(req, reply)) return reply;
  const auto pairs = pairs_in(req["messages"]);
  std::vector<std::pair<std::string, std::string>> names;
  for (const auto& p : pairs) names.emplace_back(p[1], p[2]);
  count_pairs(names);
  reply.fault = draw_fault(seq);
  {
    std::lock_guard lock(mutex_);
    ++faults_[fault_name(reply.fault)];
  }
  switch (reply.fault) {
    case SimFault::k429:
      reply.status = 429;
      reply.headers = {{"retry-after-ms", std::to_string(options_.retry_after_ms)},
                       {"Retry-After", std::to_string((options_.retry_after_ms + 999) / 1000)}};
      reply.body =
          error_body("Rate limit reached for requests", "requests", "rate_limit_exceeded").dump();
      return reply;
    case SimFault::k500:
    case SimFault::k503:
      reply.status = reply.fault == SimFault::k500 ? 500 : 503;
      reply.body =
          error_body("The server had an error while processing your request", "server_error", "")
              .dump();
      return reply;
    case SimFault::kStall:
      reply.delay_ms = static_cast<double>(options_.stall_ms);
      break;
    case SimFault::kClose:
      reply.close_connection = true;
      break;
    default:
      break;
  }
  const auto links = pairs.empty() ? links_in(req["messages"]) : std::vector<LinkAsked>{};
  json verdicts = json::array();
  for (size_t i = 0; i < links.size(); ++i) {
    json l = link(links[i].mention, links[i].candidates);
    l["id"] = reply.fault == SimFault::kWrongId && i == 0 ? "x" + links[i].id : links[i].id;
    verdicts.push_back(std::move(l));
  }
  if (!links.empty()) {
    std::lock_guard lock(mutex_);
    link_questions_ += static_cast<int64_t>(links.size());
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const ParsedVerdict v = answer(pairs[i][1], pairs[i][2]);
    std::string id = pairs[i][0];
    if (reply.fault == SimFault::kWrongId && i == 0) id = "x" + id;
    verdicts.push_back({{"id", id},
                        {"verdict", verdict_name(v.verdict)},
                        {"confidence", v.confidence},
                        {"reason", v.reason}});
  }
  std::string content = json{{links.empty() ? "verdicts" : "links", verdicts}}.dump();
  Rng sloppy(options_.seed, "sim_sloppy", seq);
  if (links.empty() && reply.fault != SimFault::kMalformed && reply.fault != SimFault::kTruncated &&
      sloppy.uniform() < options_.sloppy_rate)
    content = sloppy_content(verdicts, sloppy);
  std::string finish = "stop";
  if (reply.fault == SimFault::kMalformed)
    content = "Sure! Here are the verdicts: " + content.substr(0, content.size() - 2) + ",}";
  if (reply.fault == SimFault::kTruncated)
    content = content.substr(0, content.size() / 2), finish = "length";
  int64_t prompt_tokens = 0;
  for (const auto& m : req["messages"])
    if (m.is_object() && m.contains("content") && m["content"].is_string())
      prompt_tokens += tokens_of(m["content"].get<std::string>()) + 4;
  reply.body = completion_body(req["model"].get<std::string>(), content, finish, prompt_tokens,
                               tokens_of(content), seq)
                   .dump();
  return reply;
}

std::string SimService::models() const {
  return json{
      {"object", "list"},
      {"data",
       {{{"id", options_.model}, {"object", "model"}, {"created", 0}, {"owned_by", "kerec"}}}}}
      .dump();
}

json SimService::stats() const {
  std::lock_guard lock(mutex_);
  int64_t distinct = static_cast<int64_t>(asked_.size()), repeated = 0;
  for (const auto& [k, n] : asked_) repeated += n - 1;
  return {{"chat_requests", chat_requests_},
          {"bad_requests", bad_requests_},
          {"pairs_asked", pairs_total_},
          {"pairs_distinct", distinct},
          {"link_questions", link_questions_},
          {"pairs_repeated", repeated},
          {"faults", faults_},
          {"entities", world_.entities()},
          {"complements", world_.complements()},
          {"requests_by_format", by_format_},
          {"format_rejected", format_rejected_}};
}

}  // namespace kerec::llm
