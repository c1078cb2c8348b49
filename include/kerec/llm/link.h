// LLM-assisted entity linking: mentions the extractor could not link (or a whole text it could not
// read) go to the LLM with a few example texts and candidate entities, and the question "which of
// these entities does the mention name, or none". The extract stage builds the questions and turns
// the answers into aliases (docs/artifacts.md "LLM linking"); this is the asking part, local to one
// rank (no collectives): the judge's client (rate limits, retries, breaker), a journal so that a
// re-run asks nothing twice, and the same fallback of the response_format.
//
// Request lines (prompt placeholder {{mentions}}), one JSON object per question:
//   {"id": "1", "mention": "蓝莓动物黄油", "examples": ["<text>", ...], "candidates": ["黄油",
//   ...]}
// The answer: {"links": [{"id": "1", "entity": "<a candidate as written, or none>",
//                         "words": "<the words of the mention that name it>", "confidence": 0.9}]}
//
// Journal: DIR/rank-N.jsonl (DIR = RUN_DIR/journal/link), lines in the judge journal's checksummed
// format (journal.h): {"x":..,"q":"<question key>","e":"<entity_id or empty for none>","w":"..",
// "c":0.9,"model":"m","prompt":"<sha256>","tin":..,"tout":..,"t":<unix ms>}.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/llm/config.h"
#include "kerec/llm/prompt.h"

namespace kerec::llm {

struct LinkQuestion {
  std::string key;                    // unique among the questions; the journal's key
  std::string mention;                // the words to link as written (or a whole text)
  std::vector<std::string> examples;  // texts the mention is in
  std::vector<int32_t> candidates;    // entity indices, best first
};

struct LinkAnswer {
  bool answered = false;  // a readable answer: a candidate, or none
  int32_t entity = -1;    // the candidate named, or -1 for none
  std::string words;      // the words of the mention that name it, as the LLM wrote them
  float confidence = 0.0f;
  std::string cause;  // !answered: why
};

struct LinkStats {
  int64_t questions = 0;
  int64_t from_journal = 0;  // answered by an earlier run: not asked
  int64_t asked = 0;
  int64_t exported = 0;  // to a batch file instead of asked (LinkInput::batch)
  int64_t linked = 0, none = 0, unanswered = 0;
  std::map<std::string, int64_t> unanswered_by_cause;
  int64_t requests = 0, http_calls = 0, retries = 0, failed_calls = 0;
  int64_t tokens_in = 0, tokens_out = 0;
  int64_t format_fallbacks = 0;
  double wall_s = 0.0;
};

// Batch export (OpenAI Batch API files, as the judge's in batch.h): with LinkInput::batch set,
// link_mentions asks nothing. Each question the journal does not answer is left unanswered (cause
// "exported to a batch file") and its request is appended to the batch:
//   request  {"custom_id": "kerec-link:<first 16 hex of the body's sha256>", "method": "POST",
//             "url": "/v1/chat/completions", "body": {chat-completions request}}
//   manifest {"custom_id": "...", "questions": [{"q": "<question key>",
//             "candidates": ["<name as in the prompt>", ...], "ids": ["<entity_id>", ...]}]}
// The manifest is what import_link_batch needs to turn an answer's entity name back into an
// entity_id; the ids in a prompt are "1", "2", ... in manifest order.
struct LinkBatch {
  std::string requests, manifest;  // JSON lines
  int64_t request_count = 0, question_count = 0;
};

struct LinkInput {
  const std::vector<LinkQuestion>* questions = nullptr;
  const std::vector<std::string>* names = nullptr;       // entity index -> name
  const std::vector<std::string>* entity_ids = nullptr;  // entity index -> entity_id (journal)
  const LlmConfig* config = nullptr;
  const PromptTemplate* prompt = nullptr;
  int64_t questions_per_request = 8;
  std::string api_key;
  std::filesystem::path journal_dir;  // RUN_DIR/journal/link
  int rank = 0;
  int ranks = 1;
  LinkBatch* batch = nullptr;  // set: export instead of asking (above)
};

// answers[i] belongs to (*input.questions)[i]. Throws LlmFatalError, or UnreadableAnswers when more
// than llm.stop_unparsable_share of at least llm.stop_min_pairs questions answered on this rank
// have no readable link (the judge's loud stop), after flushing the journal.
std::vector<LinkAnswer> link_mentions(const LinkInput& input, LinkStats& stats);

struct LinkImportStats {
  int64_t lines = 0;
  int64_t answers = 0;            // answers appended to the journal
  int64_t failed_requests = 0;    // error, non-200 status or not a chat completion
  int64_t bad_lines = 0;          // not JSON, or a custom_id that no export wrote
  int64_t question_problems = 0;  // questions without one readable answer naming a candidate
};

// Appends the readable answers of a Batch API results file to `journal_dir`/rank-import.jsonl,
// recorded with `model` and `prompt_sha256`; `manifest_file` holds the manifest lines of every
// export. The next extraction finds them there and asks nothing more. InputError/IoError if a file
// cannot be read.
LinkImportStats import_link_batch(const std::filesystem::path& results_file,
                                  const std::filesystem::path& manifest_file,
                                  const std::string& model, const std::string& prompt_sha256,
                                  const std::filesystem::path& journal_dir);

// A journal line (checksummed) recording an answer: entity_id empty for "none".
std::string link_journal_line(const std::string& question_key, const std::string& entity_id,
                              const std::string& words, float confidence, const std::string& model,
                              const std::string& prompt_sha256, int64_t tokens_in,
                              int64_t tokens_out);

// One question as it goes into a prompt (names and texts already sanitised).
struct LinkLine {
  std::string id;
  std::string mention;
  std::vector<std::string> examples;
  std::vector<std::string> candidates;
};

// The JSON schema of the answer.
nlohmann::json link_schema();
// The chat-completions request body for these questions.
nlohmann::json link_request(const PromptTemplate& prompt, const std::vector<LinkLine>& lines,
                            const RequestOptions& options);

// One entry of an answer, before the entity is matched against the candidates.
struct ParsedLink {
  std::string entity;  // as written; "none" (any case) or empty for none
  std::string words;
  float confidence = 0.0f;
};
struct ParsedLinks {
  std::map<std::string, ParsedLink> links;      // asked ids with exactly one valid entry
  std::map<std::string, std::string> problems;  // every other asked id: why
  int64_t unknown_ids = 0;
};
// Reads {"links": [...]} (in a fence or prose too, as parse_answer does). An entry needs an id
// (string or integer) and an entity (string); confidence (number, missing: 0.5) and words (string,
// missing: empty) are optional.
ParsedLinks parse_link_answer(std::string_view content, const std::vector<std::string>& asked_ids);

// The candidate an answer names: the index in `candidates` whose name equals `entity` (exactly,
// else ignoring ASCII case and surrounding spaces); -1 for "none" or empty; -2 when it names none
// of them.
int candidate_of(std::string_view entity, const std::vector<std::string>& candidates);

}  // namespace kerec::llm
