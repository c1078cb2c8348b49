// Verdicts and the parsing of an answer: exact about what it accepts, liberal about how chat models
// write it (docs/artifacts.md "judge", "Reading answers").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::llm {

// Stored as uint8 in verdicts.h5 (docs/artifacts.md). Unjudged is never "no".
enum class Verdict : uint8_t { kNo = 0, kYes = 1, kUncertain = 2, kUnjudged = 3 };

const char* verdict_name(Verdict v);
// "yes" / "no" / "uncertain"; false for anything else.
bool parse_verdict_word(std::string_view word, Verdict& out);
// The same, liberally: any case, surrounding spaces and one trailing '.' or '!', and the variants
// true / false / unsure. Sets `variant` when the word was not already exact.
bool parse_verdict_liberal(std::string_view word, Verdict& out, bool& variant);

struct ParsedVerdict {
  Verdict verdict = Verdict::kUnjudged;
  float confidence = 0.0f;
  std::string reason;
};

// What one answer gave for the ids asked. `verdicts` holds the ids that got exactly one valid
// verdict; `problems` maps every other asked id to why (missing, duplicated, malformed entry, ...);
// `unknown_ids` counts entries for ids that were not asked. If the content is not the expected JSON
// at all, every asked id is in `problems` with that reason.
struct ParsedAnswer {
  std::map<std::string, ParsedVerdict> verdicts;
  std::map<std::string, std::string> problems;
  int64_t unknown_ids = 0;
  // What was accepted beyond the exact format, counted per kind (per answer for the document-level
  // kinds, per verdict for the others): json_in_prose, verdict_word, number_as_string,
  // id_as_number, confidence_missing, confidence_percent, reason_missing.
  std::map<std::string, int64_t> lenient;
};

// The confidence given to a verdict that has none (counted as confidence_missing): below the
// graph's default min_confidence, so a "yes" without one becomes no edge unless the user lowers it.
inline constexpr float kMissingConfidence = 0.45f;

// The answer's document: the content (without one surrounding ``` fence) when it parses as JSON,
// else the first balanced {...} in it that parses and has an array `array_key` (counted
// json_in_prose in `lenient`). Discarded (is_discarded()) when neither.
nlohmann::json find_document(std::string_view content, const char* array_key,
                             std::map<std::string, int64_t>& lenient);

// Parses the assistant message content: the object {"verdicts": [...]}, optionally inside one
// ```json fence, or else the first balanced {...} in the text that parses and has a "verdicts"
// array (prose and fences around it). Each entry needs an "id" (string, or an integer written as a
// number), a "verdict" (parse_verdict_liberal, or a JSON boolean), a "confidence" in [0, 1] (a
// number or a numeric string; a whole number in 2..100 read as a percentage; missing:
// kMissingConfidence) and a
// "reason" (missing: empty). Everything accepted beyond the exact format is counted in `lenient`;
// anything else is a problem, never a "no". `truncated` (finish_reason "length") marks unparsable
// content as truncated in the problem text.
ParsedAnswer parse_answer(std::string_view content, const std::vector<std::string>& asked_ids,
                          bool truncated = false);

}  // namespace kerec::llm
