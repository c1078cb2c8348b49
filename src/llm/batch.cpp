#include "kerec/llm/batch.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "kerec/llm/journal.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPrefix = "kerec:";

std::string custom_id(const std::vector<PairId>& batch) {
  std::string id = kPrefix;
  for (size_t i = 0; i < batch.size(); ++i)
    id += (i ? "," : "") + std::to_string(batch[i].a) + ":" + std::to_string(batch[i].b);
  return id;
}

// The pairs of a custom_id; false if it is not one of ours.
bool parse_custom_id(const std::string& id, std::vector<PairId>& out) {
  if (id.rfind(kPrefix, 0) != 0) return false;
  out.clear();
  size_t pos = std::string(kPrefix).size();
  while (pos < id.size()) {
    size_t end = id.find(',', pos);
    if (end == std::string::npos) end = id.size();
    const std::string item = id.substr(pos, end - pos);
    const size_t colon = item.find(':');
    if (colon == std::string::npos) return false;
    try {
      out.push_back({std::stoi(item.substr(0, colon)), std::stoi(item.substr(colon + 1))});
    } catch (const std::exception&) {
      return false;
    }
    pos = end + 1;
  }
  return !out.empty();
}

}  // namespace

int64_t export_batch(const std::vector<PairId>& pairs, const std::vector<std::string>& names,
                     const LlmConfig& config, const PromptTemplate& prompt,
                     const fs::path& journal_dir, const fs::path& out_file) {
  std::unordered_set<uint64_t> wanted;
  for (const auto& p : pairs) wanted.insert(pair_key(p.a, p.b));
  const auto done = replay_journals(journal_dir, config.model, prompt.sha256(),
                                    [&](uint64_t k) { return wanted.count(k) > 0; });
  std::ofstream out(out_file, std::ios::binary);
  if (!out)
    throw IoError(errno_message("cannot write batch file '" + out_file.string() + "'", errno));
  const RequestOptions options{config.model, config.max_tokens, config.temperature,
                               config.format()};
  const auto name = [&](int32_t e) {
    return sanitize_name(
        e >= 0 && static_cast<size_t>(e) < names.size() ? names[e] : "entity " + std::to_string(e),
        static_cast<size_t>(config.name_max_chars));
  };
  int64_t requests = 0;
  std::vector<PairId> batch;
  const auto flush = [&] {
    if (batch.empty()) return;
    std::vector<PromptPair> prompt_pairs;
    for (size_t i = 0; i < batch.size(); ++i)
      prompt_pairs.push_back({std::to_string(i + 1), name(batch[i].a), name(batch[i].b)});
    out << json{{"custom_id", custom_id(batch)},
                {"method", "POST"},
                {"url", "/v1/chat/completions"},
                {"body", chat_request(prompt, prompt_pairs, options)}}
               .dump()
        << '\n';
    ++requests;
    batch.clear();
  };
  for (const auto& p : pairs) {
    if (done.answers.count(pair_key(p.a, p.b))) continue;
    batch.push_back(p);
    if (batch.size() == static_cast<size_t>(config.pairs_per_request)) flush();
  }
  flush();
  out.close();
  if (!out) throw IoError("cannot write batch file '" + out_file.string() + "'");
  return requests;
}

ImportStats import_batch(const fs::path& results_file, const LlmConfig& config,
                         const PromptTemplate& prompt, const fs::path& journal_dir) {
  std::ifstream in(results_file);
  if (!in)
    throw IoError(
        errno_message("cannot read batch results '" + results_file.string() + "'", errno));
  JournalWriter journal(journal_dir / "rank-import.jsonl", std::chrono::milliseconds(1000));
  ImportStats stats;
  std::string line;
  std::vector<PairId> pairs;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++stats.lines;
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("custom_id") || !j["custom_id"].is_string() ||
        !parse_custom_id(j["custom_id"].get<std::string>(), pairs)) {
      ++stats.bad_lines;
      continue;
    }
    const json* body = nullptr;
    if (j.contains("response") && j["response"].is_object() &&
        j["response"].value("status_code", 0) == 200)
      body = &j["response"]["body"];
    if (!body || !body->is_object() || !body->contains("choices") ||
        !(*body)["choices"].is_array() || (*body)["choices"].empty() ||
        !(*body)["choices"][0]["message"]["content"].is_string()) {
      ++stats.failed_requests;
      continue;
    }
    std::vector<std::string> ids;
    for (size_t i = 0; i < pairs.size(); ++i) ids.push_back(std::to_string(i + 1));
    const json& choice = (*body)["choices"][0];
    const auto parsed = parse_answer(choice["message"]["content"].get<std::string>(), ids,
                                     choice.value("finish_reason", "") == "length");
    stats.pair_problems += static_cast<int64_t>(parsed.problems.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      auto it = parsed.verdicts.find(ids[i]);
      if (it == parsed.verdicts.end()) continue;
      JournalRecord r;
      r.a = pairs[i].a, r.b = pairs[i].b, r.verdict = it->second.verdict,
      r.confidence = it->second.confidence;
      r.reason = it->second.reason, r.model = config.model, r.prompt_sha256 = prompt.sha256(),
      r.attempts = 1;
      journal.append(r);
      ++stats.answers;
    }
  }
  journal.close();
  return stats;
}

}  // namespace kerec::llm
