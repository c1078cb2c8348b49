// The versioned prompt template (data/prompts/judge_v*.txt) and the chat-completions request body.
//
// Template file format: a line "[system]" starts the system message, a line "[user]" the user
// message; in the user message "{{count}}" becomes the number of pairs and "{{pairs}}" one line per
// pair, the JSON object {"id": "...", "a": "...", "b": "..."}. The SHA-256 of the file's bytes is
// the prompt hash recorded with every answer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::llm {

// One pair as it goes into a prompt: an id unique within the request and the two entity names.
struct PromptPair {
  std::string id;
  std::string a;
  std::string b;
};

// A name made safe for the prompt: control characters (C0, DEL, C1, U+2028/9) become spaces,
// double quotes become single quotes, backslashes become '/', runs of spaces collapse, the ends are
// trimmed, invalid UTF-8 becomes U+FFFD, and the result is cut to `max_chars` code points.
std::string sanitize_name(std::string_view name, size_t max_chars);

class PromptTemplate {
 public:
  // Parses template text; InputError naming `origin` if a section or `placeholder` (where the
  // request's lines go: "{{pairs}}" for the judge, "{{mentions}}" for linking) is missing.
  PromptTemplate(std::string text, std::string origin, std::string placeholder = "{{pairs}}");
  // Reads a template file; IoError if it cannot be read.
  static PromptTemplate load(const std::filesystem::path& path,
                             const std::string& placeholder = "{{pairs}}");

  const std::string& sha256() const { return sha256_; }
  const std::string& system() const { return system_; }
  // The user message for these pairs (names must already be sanitised).
  std::string render_user(const std::vector<PromptPair>& pairs) const;
  // The user message with {{count}} = `count` and the placeholder = `lines`.
  std::string render_lines(size_t count, const std::string& lines) const;

 private:
  std::string text_, origin_, sha256_, system_, user_, placeholder_;
};

// Finds a prompt file: `configured` as given (absolute, or relative to the working directory);
// else, for a relative path, beside the running executable's directory and its parents (so
// build/kerec finds data/prompts/ of its source tree). IoError listing the places tried and naming
// `key`, the config key that sets it.
std::filesystem::path locate_prompt_file(const std::string& configured,
                                         const std::string& key = "llm.prompt_file");

// How a request asks for the answer's format (llm.response_format), strongest first:
//   kJsonSchema  response_format {"type": "json_schema", ...} with verdict_schema() (guided
//   decoding) kJsonObject  response_format {"type": "json_object"} (any JSON object) kNone no
//   response_format: the prompt alone asks for the JSON (parse_answer reads prose)
enum class ResponseFormat { kJsonSchema, kJsonObject, kNone };

const char* response_format_name(ResponseFormat f);  // "json_schema", "json_object", "none"
// False for any other text.
bool parse_response_format(std::string_view text, ResponseFormat& out);
// The mode to fall back to when an endpoint rejects `f`; false for kNone (nothing weaker).
bool weaker_response_format(ResponseFormat f, ResponseFormat& out);

struct RequestOptions {
  std::string model;
  int64_t max_tokens = 2048;
  double temperature = 0.0;
  ResponseFormat response_format = ResponseFormat::kJsonSchema;
};

// The JSON schema of the answer: {"verdicts": [{"id", "verdict", "confidence", "reason"}]}.
nlohmann::json verdict_schema();

// An OpenAI chat-completions request body: a system and a user message, and the response_format
// of `options` (kJsonSchema: `schema` under the name `schema_name`).
nlohmann::json chat_body(const std::string& system, const std::string& user,
                         const RequestOptions& options, const char* schema_name,
                         const nlohmann::json& schema);

// The OpenAI chat-completions request body for these pairs.
nlohmann::json chat_request(const PromptTemplate& prompt, const std::vector<PromptPair>& pairs,
                            const RequestOptions& options);

}  // namespace kerec::llm
