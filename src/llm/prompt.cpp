#include "kerec/llm/prompt.h"
#include "kerec/util/data_file.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;

// Decodes one code point at `i` (advancing it); U+FFFD for an ill-formed sequence (skips 1 byte).
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const int len = b0 < 0x80         ? 1
                  : (b0 >> 5) == 6  ? 2
                  : (b0 >> 4) == 14 ? 3
                  : (b0 >> 3) == 30 ? 4
                                    : 0;
  if (len == 0 || i + len > s.size()) return ++i, 0xFFFD;
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return ++i, 0xFFFD;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return ++i, 0xFFFD;
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_space_like(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
         cp == ' ';
}

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

std::string trim_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.front() == '\n') s.erase(0, 1);
  return s;
}

}  // namespace

std::string sanitize_name(std::string_view name, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  bool pending_space = false;
  for (size_t i = 0; i < name.size() && chars < max_chars;) {
    char32_t cp = next_code_point(name, i);
    if (is_space_like(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (cp == '"') cp = '\'';
    if (cp == '\\') cp = '/';
    if (pending_space && chars + 1 < max_chars) out += ' ', ++chars;
    pending_space = false;
    append_utf8(out, cp);
    ++chars;
  }
  return out;
}

PromptTemplate::PromptTemplate(std::string text, std::string origin, std::string placeholder)
    : text_(std::move(text)),
      origin_(std::move(origin)),
      sha256_(sha256_hex(text_)),
      placeholder_(std::move(placeholder)) {
  const size_t sys = text_.find("[system]\n");
  const size_t usr = text_.find("\n[user]\n");
  if (sys != 0 || usr == std::string::npos)
    throw InputError(
        origin_ + ": a prompt template starts with a line \"[system]\" and has a line \"[user]\"");
  system_ = trim_newlines(text_.substr(9, usr - 9));
  user_ = trim_newlines(text_.substr(usr + 8));
  if (user_.find(placeholder_) == std::string::npos)
    throw InputError(origin_ + ": the [user] section has no " + placeholder_ + " placeholder");
}

PromptTemplate PromptTemplate::load(const fs::path& path, const std::string& placeholder) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw IoError(errno_message("cannot read prompt template '" + path.string() + "'", errno));
  std::stringstream text;
  text << in.rdbuf();
  return PromptTemplate(text.str(), path.string(), placeholder);
}

std::string PromptTemplate::render_user(const std::vector<PromptPair>& pairs) const {
  std::string lines;
  for (const auto& p : pairs) {
    if (!lines.empty()) lines += '\n';
    lines += nlohmann::json{{"id", p.id}, {"a", p.a}, {"b", p.b}}.dump();
  }
  return render_lines(pairs.size(), lines);
}

std::string PromptTemplate::render_lines(size_t count, const std::string& lines) const {
  std::string out = user_;
  replace_all(out, "{{count}}", std::to_string(count));
  replace_all(out, placeholder_, lines);
  return out;
}

fs::path locate_prompt_file(const std::string& configured, const std::string& key) {
  try {
    return locate_data_file(configured, "set " + key);
  } catch (const IoError& e) {
    throw IoError(std::string("prompt template ") + e.what());
  }
}

nlohmann::json verdict_schema() {
  using nlohmann::json;
  json item = {{"type", "object"},
               {"properties",
                {{"id", {{"type", "string"}}},
                 {"verdict", {{"type", "string"}, {"enum", {"yes", "no", "uncertain"}}}},
                 {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                 {"reason", {{"type", "string"}}}}},
               {"required", {"id", "verdict", "confidence", "reason"}},
               {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties", {{"verdicts", {{"type", "array"}, {"items", item}}}}},
          {"required", {"verdicts"}},
          {"additionalProperties", false}};
}

nlohmann::json chat_body(const std::string& system, const std::string& user,
                         const RequestOptions& options, const char* schema_name,
                         const nlohmann::json& schema) {
  nlohmann::json body = {
      {"model", options.model},
      {"messages",
       {{{"role", "system"}, {"content", system}}, {{"role", "user"}, {"content", user}}}},
      {"temperature", options.temperature},
      {"max_tokens", options.max_tokens},
      {"n", 1},
      {"stream", false}};
  if (options.response_format == ResponseFormat::kJsonSchema)
    body["response_format"] = {
        {"type", "json_schema"},
        {"json_schema", {{"name", schema_name}, {"strict", true}, {"schema", schema}}}};
  if (options.response_format == ResponseFormat::kJsonObject)
    body["response_format"] = {{"type", "json_object"}};
  return body;
}

nlohmann::json chat_request(const PromptTemplate& prompt, const std::vector<PromptPair>& pairs,
                            const RequestOptions& options) {
  return chat_body(prompt.system(), prompt.render_user(pairs), options, "verdicts",
                   verdict_schema());
}

const char* response_format_name(ResponseFormat f) {
  switch (f) {
    case ResponseFormat::kJsonSchema:
      return "json_schema";
    case ResponseFormat::kJsonObject:
      return "json_object";
    case ResponseFormat::kNone:
      return "none";
  }
  return "?";
}

bool parse_response_format(std::string_view text, ResponseFormat& out) {
  for (ResponseFormat f :
       {ResponseFormat::kJsonSchema, ResponseFormat::kJsonObject, ResponseFormat::kNone})
    if (text == response_format_name(f)) return out = f, true;
  return false;
}

bool weaker_response_format(ResponseFormat f, ResponseFormat& out) {
  if (f == ResponseFormat::kNone) return false;
  out = f == ResponseFormat::kJsonSchema ? ResponseFormat::kJsonObject : ResponseFormat::kNone;
  return true;
}

}  // namespace kerec::llm
