// Verdicts and the strict parsing of an answer.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::llm {

// Stored as uint8 in verdicts.h5 (docs/artifacts.md). Unjudged is never "no".
enum class Verdict : uint8_t { kNo = 0, kYes = 1, kUncertain = 2, kUnjudged = 3 };

const char* verdict_name(Verdict v);
// "yes" / "no" / "uncertain"; false for anything else.
bool parse_verdict_word(std::string_view word, Verdict& out);

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
};

// Parses the assistant message content: the object {"verdicts": [...]}, optionally inside one
// ```json fence. Each entry needs a string "id", "verdict" in yes/no/uncertain, a number
// "confidence" in [0, 1] and a non-empty string "reason". `truncated` (finish_reason "length")
// marks unparsable content as truncated in the problem text.
ParsedAnswer parse_answer(std::string_view content, const std::vector<std::string>& asked_ids,
                          bool truncated = false);

}  // namespace kerec::llm
