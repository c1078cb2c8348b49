#include "kerec/llm/verdict.h"

#include <nlohmann/json.hpp>
#include <set>

namespace kerec::llm {
namespace {

using nlohmann::json;

// Strips one surrounding ``` fence (with an optional language tag) and surrounding whitespace.
std::string_view unfence(std::string_view s) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return v;
  };
  s = trim(s);
  if (s.size() < 6 || s.substr(0, 3) != "```" || s.substr(s.size() - 3) != "```") return s;
  s = s.substr(3, s.size() - 6);
  const size_t nl = s.find('\n');
  if (nl != std::string_view::npos && s.substr(0, nl).find('{') == std::string_view::npos) s.remove_prefix(nl + 1);
  return trim(s);
}

// One entry; empty string when valid, else what is wrong.
std::string check_entry(const json& e, ParsedVerdict& out) {
  if (!e.is_object()) return "entry is not an object";
  auto v = e.find("verdict");
  if (v == e.end() || !v->is_string() || !parse_verdict_word(v->get<std::string>(), out.verdict))
    return "verdict is not yes/no/uncertain";
  auto c = e.find("confidence");
  if (c == e.end() || !c->is_number()) return "confidence is not a number";
  const double conf = c->get<double>();
  if (!(conf >= 0.0 && conf <= 1.0)) return "confidence outside [0, 1]";
  out.confidence = static_cast<float>(conf);
  auto r = e.find("reason");
  if (r == e.end() || !r->is_string() || r->get<std::string>().empty()) return "reason missing";
  out.reason = r->get<std::string>();
  return {};
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kNo: return "no";
    case Verdict::kYes: return "yes";
    case Verdict::kUncertain: return "uncertain";
    case Verdict::kUnjudged: return "unjudged";
  }
  return "unjudged";
}

bool parse_verdict_word(std::string_view word, Verdict& out) {
  if (word == "yes") return out = Verdict::kYes, true;
  if (word == "no") return out = Verdict::kNo, true;
  if (word == "uncertain") return out = Verdict::kUncertain, true;
  return false;
}

ParsedAnswer parse_answer(std::string_view content, const std::vector<std::string>& asked_ids,
                          bool truncated) {
  ParsedAnswer answer;
  const std::set<std::string> asked(asked_ids.begin(), asked_ids.end());
  json doc = json::parse(unfence(content), nullptr, /*allow_exceptions=*/false);
  const char* whole_problem = nullptr;
  if (doc.is_discarded()) whole_problem = truncated ? "truncated JSON" : "malformed JSON";
  else if (!doc.is_object() || !doc.contains("verdicts") || !doc["verdicts"].is_array())
    whole_problem = "no \"verdicts\" array";
  if (whole_problem) {
    for (const auto& id : asked_ids) answer.problems[id] = whole_problem;
    return answer;
  }
  std::map<std::string, int> seen;
  for (const auto& e : doc["verdicts"]) {
    if (!e.is_object() || !e.contains("id") || !e["id"].is_string()) {
      ++answer.unknown_ids;
      continue;
    }
    const std::string id = e["id"].get<std::string>();
    if (!asked.count(id)) {
      ++answer.unknown_ids;
      continue;
    }
    if (++seen[id] > 1) continue;
    ParsedVerdict v;
    const std::string problem = check_entry(e, v);
    if (problem.empty()) answer.verdicts[id] = std::move(v);
    else answer.problems[id] = "malformed verdict: " + problem;
  }
  for (const auto& id : asked_ids) {
    if (seen[id] > 1) {
      answer.verdicts.erase(id);
      answer.problems[id] = "duplicated verdict";
    } else if (seen[id] == 0) {
      answer.problems[id] = "missing verdict";
    }
  }
  return answer;
}

}  // namespace kerec::llm
