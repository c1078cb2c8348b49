#include "kerec/llm/link.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <set>
#include <unordered_map>

#include "kerec/llm/client.h"
#include "kerec/llm/journal.h"
#include "kerec/llm/judge.h"
#include "kerec/llm/verdict.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/sha256.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr float kMissingLinkConfidence = 0.5f;
constexpr const char* kBatchPrefix = "kerec-link:";

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One entry; empty when valid, else what is wrong.
std::string check_link(const json& e, ParsedLink& out) {
  auto entity = e.find("entity");
  if (entity == e.end() || !entity->is_string()) return "entity is not text";
  out.entity = entity->get<std::string>();
  auto words = e.find("words");
  if (words != e.end() && words->is_string()) out.words = words->get<std::string>();
  out.confidence = kMissingLinkConfidence;
  auto c = e.find("confidence");
  if (c != e.end() && c->is_number()) out.confidence = c->get<float>();
  if (!(out.confidence >= 0.0f && out.confidence <= 1.0f)) return "confidence outside [0, 1]";
  return {};
}

std::string entry_id(const json& e) {
  if (!e.is_object() || !e.contains("id")) return {};
  if (e["id"].is_string()) return e["id"].get<std::string>();
  if (e["id"].is_number_integer()) return e["id"].dump();
  return {};
}

struct Replayed {
  std::string entity_id, words;
  float confidence = 0;
};

// Every rank's journal lines for `model` and `prompt`, latest last: question key -> answer.
std::unordered_map<std::string, Replayed> replay(const fs::path& dir, const std::string& model,
                                                 const std::string& prompt) {
  std::unordered_map<std::string, Replayed> out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw IoError(errno_message("cannot read link journal '" + path.string() + "'", errno));
    std::string line;
    while (std::getline(in, line)) {  // a torn last line fails its checksum or the parse
      if (!checksum_ok(line)) continue;
      const json j = json::parse(line, nullptr, false);
      if (!j.is_object() || j.value("model", "") != model || j.value("prompt", "") != prompt ||
          !j.contains("q") || !j["q"].is_string() || !j.contains("e") || !j["e"].is_string())
        continue;
      out[j["q"].get<std::string>()] = {j["e"].get<std::string>(), j.value("w", ""),
                                        j.value("c", 0.0f)};
    }
  }
  return out;
}

class LinkAsker {
 public:
  LinkAsker(const LinkInput& in, LinkStats& stats)
      : in_(in),
        stats_(stats),
        answers_(in.questions->size()),
        client_(*in.config, in.api_key, in.ranks),
        format_(in.config->format()),
        journal_(journal_path(in.journal_dir, in.rank),
                 std::chrono::milliseconds(in.config->journal_flush_ms)) {}

  std::vector<LinkAnswer> run();

 private:
  struct Batch {
    std::vector<size_t> questions;
    ResponseFormat format = ResponseFormat::kJsonSchema;
  };
  std::vector<std::string> candidate_names(const LinkQuestion& q) const;
  std::vector<LinkLine> prompt_lines(const Batch& batch) const;
  bool replay_journal();
  void submit(Batch batch);
  void export_request(const Batch& batch);
  void ask_or_export(Batch batch);
  void on_result(CallResult& r);
  void on_format_rejected(Batch batch, const std::string& error);
  void answer(size_t i, const ParsedLink& link, int64_t tin, int64_t tout);
  void check_readable(const ParsedLinks& parsed, const std::string& content);
  void unanswered(size_t i, const std::string& cause);

  const LinkInput& in_;
  LinkStats& stats_;
  std::vector<LinkAnswer> answers_;
  std::vector<uint8_t> done_;
  Client client_;
  ResponseFormat format_;
  JournalWriter journal_;
  std::unordered_map<uint64_t, Batch> batches_;
  uint64_t next_tag_ = 0;
  int64_t asked_ = 0, unreadable_ = 0;  // questions in readable completions (the loud stop)
  std::string example_;                 // the first answer with an unreadable question
};

std::vector<std::string> LinkAsker::candidate_names(const LinkQuestion& q) const {
  std::vector<std::string> names;
  const auto max = static_cast<size_t>(in_.config->name_max_chars);
  for (int32_t e : q.candidates) names.push_back(sanitize_name((*in_.names)[e], max));
  return names;
}

// True when some question is still to be asked.
bool LinkAsker::replay_journal() {
  const auto replayed = replay(in_.journal_dir, in_.config->model, in_.prompt->sha256());
  done_.assign(answers_.size(), 0);
  bool left = false;
  for (size_t i = 0; i < answers_.size(); ++i) {
    const LinkQuestion& q = (*in_.questions)[i];
    auto it = replayed.find(q.key);
    int32_t entity = -2;
    if (it != replayed.end()) {
      if (it->second.entity_id.empty()) entity = -1;
      for (int32_t c : q.candidates)
        if ((*in_.entity_ids)[c] == it->second.entity_id) entity = c;
    }
    if (entity == -2) {
      left = true;
      continue;
    }
    answers_[i] = {true, entity, it->second.words, it->second.confidence, {}};
    done_[i] = 1;
    ++stats_.from_journal;
  }
  return left;
}

std::vector<LinkLine> LinkAsker::prompt_lines(const Batch& batch) const {
  std::vector<LinkLine> lines;
  const auto max_text = static_cast<size_t>(4 * in_.config->name_max_chars);
  for (size_t k = 0; k < batch.questions.size(); ++k) {
    const LinkQuestion& q = (*in_.questions)[batch.questions[k]];
    LinkLine line{
        std::to_string(k + 1), sanitize_name(q.mention, max_text), {}, candidate_names(q)};
    for (const auto& text : q.examples) line.examples.push_back(sanitize_name(text, max_text));
    lines.push_back(std::move(line));
  }
  return lines;
}

void LinkAsker::submit(Batch batch) {
  const std::vector<LinkLine> lines = prompt_lines(batch);
  batch.format = format_;
  const RequestOptions options{in_.config->model, in_.config->max_tokens, in_.config->temperature,
                               format_};
  std::string body = link_request(*in_.prompt, lines, options).dump();
  const int64_t estimate =
      static_cast<int64_t>(body.size() / 4) + 30 * static_cast<int64_t>(lines.size());
  const uint64_t tag = next_tag_++;
  ++stats_.requests;
  batches_.emplace(tag, std::move(batch));
  client_.enqueue({tag, std::move(body), estimate});
}

// Batch export (link.h): the request line and its manifest line; the questions stay unanswered.
void LinkAsker::export_request(const Batch& batch) {
  const std::vector<LinkLine> lines = prompt_lines(batch);
  const RequestOptions options{in_.config->model, in_.config->max_tokens, in_.config->temperature,
                               format_};
  const json body = link_request(*in_.prompt, lines, options);
  const std::string id = kBatchPrefix + sha256_hex(body.dump()).substr(0, 16);
  json questions = json::array();
  for (size_t k = 0; k < lines.size(); ++k) {
    const LinkQuestion& q = (*in_.questions)[batch.questions[k]];
    json ids = json::array();
    for (int32_t e : q.candidates) ids.push_back((*in_.entity_ids)[e]);
    questions.push_back({{"q", q.key}, {"candidates", lines[k].candidates}, {"ids", ids}});
    unanswered(batch.questions[k], "exported to a batch file");
  }
  const auto dump = [](const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace) + '\n';
  };
  in_.batch->requests += dump(
      {{"custom_id", id}, {"method", "POST"}, {"url", "/v1/chat/completions"}, {"body", body}});
  in_.batch->manifest += dump({{"custom_id", id}, {"questions", questions}});
  ++in_.batch->request_count;
  in_.batch->question_count += static_cast<int64_t>(lines.size());
}

void LinkAsker::unanswered(size_t i, const std::string& cause) {
  answers_[i].cause = cause;
  ++stats_.unanswered_by_cause[cause];
}

void LinkAsker::answer(size_t i, const ParsedLink& link, int64_t tin, int64_t tout) {
  const LinkQuestion& q = (*in_.questions)[i];
  const int c = candidate_of(link.entity, candidate_names(q));
  if (c == -2) return unanswered(i, "not a candidate");
  const int32_t entity = c < 0 ? -1 : q.candidates[static_cast<size_t>(c)];
  answers_[i] = {true, entity, link.words, link.confidence, {}};
  journal_.append_line(
      link_journal_line(q.key, entity < 0 ? std::string() : (*in_.entity_ids)[entity], link.words,
                        link.confidence, in_.config->model, in_.prompt->sha256(), tin, tout));
}

// As the judge does (judge.h): the first refusal of the mode in use moves to the next weaker one.
void LinkAsker::on_format_rejected(Batch batch, const std::string& error) {
  if (batch.format == format_) {
    ResponseFormat weaker = format_;
    if (!in_.config->response_format_fallback || !weaker_response_format(format_, weaker))
      throw LlmFatalError("linking: the LLM endpoint rejected response_format '" +
                          std::string(response_format_name(batch.format)) + "': " + error);
    log::warn("link: rank {}: the endpoint rejected response_format '{}'; asking with '{}'",
              in_.rank, response_format_name(format_), response_format_name(weaker));
    format_ = weaker;
    ++stats_.format_fallbacks;
  }
  submit(std::move(batch));
}

void LinkAsker::on_result(CallResult& r) {
  auto node = batches_.extract(r.tag);
  if (!r.ok && r.cause == kFormatRejected)
    return on_format_rejected(std::move(node.mapped()), r.body);
  const Batch& batch = node.mapped();
  if (!r.ok) {
    for (size_t i : batch.questions)
      unanswered(i, r.cause + " after " + std::to_string(r.attempts) + " attempts");
    return;
  }
  const Completion completion = read_completion(r.body);
  stats_.tokens_in += completion.prompt_tokens, stats_.tokens_out += completion.completion_tokens;
  std::vector<std::string> ids;
  for (size_t k = 0; k < batch.questions.size(); ++k) ids.push_back(std::to_string(k + 1));
  const ParsedLinks parsed = parse_link_answer(completion.content, ids);
  check_readable(parsed, completion.content);
  const auto n = static_cast<int64_t>(ids.size());
  for (size_t k = 0; k < ids.size(); ++k) {
    auto it = parsed.links.find(ids[k]);
    if (it == parsed.links.end()) {
      unanswered(batch.questions[k], "unreadable: " + parsed.problems.at(ids[k]));
      continue;
    }
    answer(batch.questions[k], it->second, completion.prompt_tokens / n,
           completion.completion_tokens / n);
  }
}

void LinkAsker::ask_or_export(Batch batch) {
  if (in_.batch) return export_request(batch);
  submit(std::move(batch));
}

// The judge's loud stop (LlmConfig::stop_unparsable_share), over questions: a model that does not
// follow the format must not cost a whole run. Throws UnreadableAnswers quoting one answer.
void LinkAsker::check_readable(const ParsedLinks& parsed, const std::string& content) {
  asked_ += static_cast<int64_t>(parsed.links.size() + parsed.problems.size());
  unreadable_ += static_cast<int64_t>(parsed.problems.size());
  if (!parsed.problems.empty() && example_.empty())
    example_ = content.size() > 400 ? content.substr(0, 400) + "..." : content;
  const LlmConfig& c = *in_.config;
  if (asked_ < c.stop_min_pairs || c.stop_unparsable_share >= 1.0 ||
      static_cast<double>(unreadable_) <= c.stop_unparsable_share * static_cast<double>(asked_))
    return;
  journal_.close();
  char share[32];
  std::snprintf(share, sizeof share, "%.2f", c.stop_unparsable_share);
  throw UnreadableAnswers(
      "linking: the answers of model '" + c.model + "' at " + c.base_url +
      " cannot be read: " + std::to_string(unreadable_) + " of the " + std::to_string(asked_) +
      " questions answered on rank " + std::to_string(in_.rank) +
      " have no readable link (more than llm.stop_unparsable_share = " + std::string(share) +
      "). One answer: <<" + example_ +
      ">>. Try another response_format, a model that follows "
      "instructions, or extract.llm_link = false.");
}

std::vector<LinkAnswer> LinkAsker::run() {
  if (replay_journal()) {
    const auto per = static_cast<size_t>(std::max<int64_t>(1, in_.questions_per_request));
    Batch batch;
    for (size_t i = 0; i < answers_.size(); ++i) {
      if (done_[i]) continue;
      batch.questions.push_back(i);
      ++(in_.batch ? stats_.exported : stats_.asked);
      if (batch.questions.size() == per) ask_or_export(std::exchange(batch, Batch{}));
    }
    if (!batch.questions.empty()) ask_or_export(std::move(batch));
  }
  const auto start = Clock::now();
  while (client_.pending() > 0) {
    for (auto& r : client_.step(std::chrono::milliseconds(100))) on_result(r);
    journal_.maybe_flush();
  }
  journal_.close();
  stats_.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  const ClientStats& c = client_.stats();
  stats_.http_calls = c.http_calls, stats_.retries = c.retries,
  stats_.failed_calls = c.failed_calls;
  return std::move(answers_);
}

}  // namespace

std::string link_journal_line(const std::string& question_key, const std::string& entity_id,
                              const std::string& words, float confidence, const std::string& model,
                              const std::string& prompt_sha256, int64_t tokens_in,
                              int64_t tokens_out) {
  const json rec = {{"q", question_key},
                    {"e", entity_id},
                    {"w", words},
                    {"c", confidence},
                    {"model", model},
                    {"prompt", prompt_sha256},
                    {"tin", tokens_in},
                    {"tout", tokens_out},
                    {"t", std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()}};
  return with_checksum(rec.dump(-1, ' ', false, json::error_handler_t::replace));
}

json link_schema() {
  json item = {{"type", "object"},
               {"properties",
                {{"id", {{"type", "string"}}},
                 {"entity", {{"type", "string"}}},
                 {"words", {{"type", "string"}}},
                 {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}}},
               {"required", {"id", "entity", "words", "confidence"}},
               {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties", {{"links", {{"type", "array"}, {"items", item}}}}},
          {"required", {"links"}},
          {"additionalProperties", false}};
}

json link_request(const PromptTemplate& prompt, const std::vector<LinkLine>& lines,
                  const RequestOptions& options) {
  std::string text;
  for (const auto& l : lines) {
    if (!text.empty()) text += '\n';
    text += json{{"id", l.id},
                 {"mention", l.mention},
                 {"examples", l.examples},
                 {"candidates", l.candidates}}
                .dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return chat_body(prompt.system(), prompt.render_lines(lines.size(), text), options, "links",
                   link_schema());
}

ParsedLinks parse_link_answer(std::string_view content, const std::vector<std::string>& asked_ids) {
  ParsedLinks out;
  std::map<std::string, int64_t> lenient;
  const json doc = find_document(content, "links", lenient);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("links") ||
      !doc["links"].is_array()) {
    for (const auto& id : asked_ids)
      out.problems[id] = doc.is_discarded() ? "malformed JSON" : "no \"links\" array";
    return out;
  }
  const std::set<std::string> asked(asked_ids.begin(), asked_ids.end());
  std::map<std::string, int> seen;
  for (const auto& e : doc["links"]) {
    const std::string id = entry_id(e);
    if (id.empty() || !asked.count(id)) {
      ++out.unknown_ids;
      continue;
    }
    if (++seen[id] > 1) continue;
    ParsedLink link;
    if (std::string problem = check_link(e, link); problem.empty())
      out.links[id] = std::move(link);
    else
      out.problems[id] = "malformed link: " + problem;
  }
  for (const auto& id : asked_ids) {
    if (seen[id] > 1) out.links.erase(id), out.problems[id] = "duplicated link";
    if (seen[id] == 0) out.problems[id] = "missing link";
  }
  return out;
}

int candidate_of(std::string_view entity, const std::vector<std::string>& candidates) {
  const std::string folded = lower_trimmed(entity);
  if (folded.empty() || folded == "none" || folded == "null") return -1;
  for (size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i] == entity) return static_cast<int>(i);
  for (size_t i = 0; i < candidates.size(); ++i)
    if (lower_trimmed(candidates[i]) == folded) return static_cast<int>(i);
  return -2;
}

std::vector<LinkAnswer> link_mentions(const LinkInput& input, LinkStats& stats) {
  stats = LinkStats{};
  stats.questions = static_cast<int64_t>(input.questions->size());
  LinkAsker asker(input, stats);
  std::vector<LinkAnswer> answers = asker.run();
  for (const auto& a : answers)
    ++(!a.answered ? stats.unanswered : a.entity < 0 ? stats.none : stats.linked);
  return answers;
}

}  // namespace kerec::llm
