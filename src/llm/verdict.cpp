#include "kerec/llm/verdict.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
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
  if (nl != std::string_view::npos && s.substr(0, nl).find('{') == std::string_view::npos)
    s.remove_prefix(nl + 1);
  return trim(s);
}

// The end of the balanced {...} starting at `from` (strings and escapes respected), or npos.
size_t balanced_end(std::string_view s, size_t from) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = from; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{')
      ++depth;
    else if (c == '}' && --depth == 0)
      return i + 1;
  }
  return std::string_view::npos;
}

bool has_array(const json& doc, const char* key) {
  return doc.is_object() && doc.contains(key) && doc[key].is_array();
}

bool has_verdicts(const json& doc) { return has_array(doc, "verdicts"); }

}  // namespace

json find_document(std::string_view content, const char* array_key,
                   std::map<std::string, int64_t>& lenient) {
  json doc = json::parse(unfence(content), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  for (size_t at = content.find('{'); at != std::string_view::npos;
       at = content.find('{', at + 1)) {
    const size_t end = balanced_end(content, at);
    if (end == std::string_view::npos) break;
    json inner = json::parse(content.substr(at, end - at), nullptr, false);
    if (!inner.is_discarded() && has_array(inner, array_key)) {
      ++lenient["json_in_prose"];
      return inner;
    }
  }
  return doc;
}

namespace {

// A number, or a numeric string (counted number_as_string); false otherwise.
bool read_number(const json& v, double& out, std::map<std::string, int64_t>& lenient) {
  if (v.is_number()) return out = v.get<double>(), true;
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(out)) return false;
  ++lenient["number_as_string"];
  return true;
}

std::string check_verdict(const json& e, ParsedVerdict& out,
                          std::map<std::string, int64_t>& lenient) {
  auto v = e.find("verdict");
  if (v != e.end() && v->is_boolean()) {
    out.verdict = v->get<bool>() ? Verdict::kYes : Verdict::kNo;
    return ++lenient["verdict_word"], std::string();
  }
  bool variant = false;
  if (v == e.end() || !v->is_string() ||
      !parse_verdict_liberal(v->get<std::string>(), out.verdict, variant))
    return "verdict is not yes/no/uncertain";
  if (variant) ++lenient["verdict_word"];
  return {};
}

std::string check_confidence(const json& e, ParsedVerdict& out,
                             std::map<std::string, int64_t>& lenient) {
  auto c = e.find("confidence");
  if (c == e.end() || c->is_null()) {
    out.confidence = kMissingConfidence;
    return ++lenient["confidence_missing"], std::string();
  }
  double conf = 0;
  if (!read_number(*c, conf, lenient)) return "confidence is not a number";
  if (conf > 1.0 && conf <= 100.0 && conf == std::floor(conf))
    conf /= 100.0, ++lenient["confidence_percent"];
  if (!(conf >= 0.0 && conf <= 1.0)) return "confidence outside [0, 1]";
  out.confidence = static_cast<float>(conf);
  return {};
}

// One entry; empty string when valid, else what is wrong.
std::string check_entry(const json& e, ParsedVerdict& out,
                        std::map<std::string, int64_t>& lenient) {
  if (!e.is_object()) return "entry is not an object";
  if (std::string p = check_verdict(e, out, lenient); !p.empty()) return p;
  if (std::string p = check_confidence(e, out, lenient); !p.empty()) return p;
  auto r = e.find("reason");
  if (r != e.end() && r->is_string() && !r->get<std::string>().empty())
    out.reason = r->get<std::string>();
  else if (r == e.end() || r->is_null() || r->is_string())
    ++lenient["reason_missing"];
  else
    return "reason is not text";
  return {};
}

// The entry's id as text: a string, or an integer (counted id_as_number); empty when neither.
std::string entry_id(const json& e, std::map<std::string, int64_t>& lenient) {
  if (!e.is_object() || !e.contains("id")) return {};
  const json& id = e["id"];
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return ++lenient["id_as_number"], id.dump();
  return {};
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kNo:
      return "no";
    case Verdict::kYes:
      return "yes";
    case Verdict::kUncertain:
      return "uncertain";
    case Verdict::kUnjudged:
      return "unjudged";
  }
  return "unjudged";
}

bool parse_verdict_word(std::string_view word, Verdict& out) {
  if (word == "yes") return out = Verdict::kYes, true;
  if (word == "no") return out = Verdict::kNo, true;
  if (word == "uncertain") return out = Verdict::kUncertain, true;
  return false;
}

bool parse_verdict_liberal(std::string_view word, Verdict& out, bool& variant) {
  variant = false;
  if (parse_verdict_word(word, out)) return true;
  std::string w;
  for (char c : word) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!w.empty() && std::isspace(static_cast<unsigned char>(w.back()))) w.pop_back();
  while (!w.empty() && std::isspace(static_cast<unsigned char>(w.front()))) w.erase(w.begin());
  if (!w.empty() && (w.back() == '.' || w.back() == '!')) w.pop_back();
  variant = true;
  if (parse_verdict_word(w, out)) return true;
  if (w == "true") return out = Verdict::kYes, true;
  if (w == "false") return out = Verdict::kNo, true;
  if (w == "unsure") return out = Verdict::kUncertain, true;
  return variant = false;
}

ParsedAnswer parse_answer(std::string_view content, const std::vector<std::string>& asked_ids,
                          bool truncated) {
  ParsedAnswer answer;
  const std::set<std::string> asked(asked_ids.begin(), asked_ids.end());
  json doc = find_document(content, "verdicts", answer.lenient);
  const char* whole_problem = nullptr;
  if (doc.is_discarded())
    whole_problem = truncated ? "truncated JSON" : "malformed JSON";
  else if (!has_verdicts(doc))
    whole_problem = "no \"verdicts\" array";
  if (whole_problem) {
    for (const auto& id : asked_ids) answer.problems[id] = whole_problem;
    return answer;
  }
  std::map<std::string, int> seen;
  for (const auto& e : doc["verdicts"]) {
    const std::string id = entry_id(e, answer.lenient);
    if (id.empty() || !asked.count(id)) {
      ++answer.unknown_ids;
      continue;
    }
    if (++seen[id] > 1) continue;
    ParsedVerdict v;
    const std::string problem = check_entry(e, v, answer.lenient);
    if (problem.empty())
      answer.verdicts[id] = std::move(v);
    else
      answer.problems[id] = "malformed verdict: " + problem;
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
