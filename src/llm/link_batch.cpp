// Importing a Batch API results file of link questions (link.h): each answer is matched to the
// questions of its request through the export's manifest and journaled as a live answer is.
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "kerec/llm/journal.h"
#include "kerec/llm/link.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ManifestQuestion {
  std::string key;
  std::vector<std::string> candidates, ids;
};
using Manifest = std::unordered_map<std::string, std::vector<ManifestQuestion>>;

std::vector<std::string> strings(const json& j, const std::string& where) {
  if (!j.is_array()) throw InputError(where + ": not an array of strings");
  std::vector<std::string> out;
  for (const auto& s : j) {
    if (!s.is_string()) throw InputError(where + ": not an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

// custom_id -> its questions, from every export's lines (a later export of the same id wins).
Manifest read_manifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in)
    throw IoError(errno_message(
        "cannot read the link batch manifest '" + file.string() + "' (written by the export)",
        errno));
  Manifest out;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    const std::string where = file.string() + ":" + std::to_string(n);
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("custom_id") || !j["custom_id"].is_string() ||
        !j.contains("questions") || !j["questions"].is_array())
      throw InputError(where + ": not a manifest line {\"custom_id\": ..., \"questions\": [...]}");
    std::vector<ManifestQuestion> qs;
    for (const auto& q : j["questions"]) {
      if (!q.is_object() || !q.contains("q") || !q["q"].is_string())
        throw InputError(where + ": a question without a key \"q\"");
      qs.push_back({q["q"].get<std::string>(), strings(q.value("candidates", json()), where),
                    strings(q.value("ids", json()), where)});
      if (qs.back().candidates.size() != qs.back().ids.size())
        throw InputError(where + ": \"candidates\" and \"ids\" differ in length");
    }
    out[j["custom_id"].get<std::string>()] = std::move(qs);
  }
  return out;
}

// The chat completion of a result line, or nullptr for a failed request.
const json* completion_of(const json& j) {
  if (!j.contains("response") || !j["response"].is_object() ||
      j["response"].value("status_code", 0) != 200)
    return nullptr;
  const json& body = j["response"]["body"];
  if (!body.is_object() || !body.contains("choices") || !body["choices"].is_array() ||
      body["choices"].empty() || !body["choices"][0].is_object() ||
      !body["choices"][0].contains("message") ||
      !body["choices"][0]["message"].value("content", json()).is_string())
    return nullptr;
  return &body;
}

}  // namespace

LinkImportStats import_link_batch(const fs::path& results_file, const fs::path& manifest_file,
                                  const std::string& model, const std::string& prompt_sha256,
                                  const fs::path& journal_dir) {
  const Manifest manifest = read_manifest(manifest_file);
  std::ifstream in(results_file);
  if (!in)
    throw IoError(
        errno_message("cannot read batch results '" + results_file.string() + "'", errno));
  JournalWriter journal(journal_dir / "rank-import.jsonl", std::chrono::milliseconds(1000));
  LinkImportStats stats;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++stats.lines;
    const json j = json::parse(line, nullptr, false);
    const auto request = j.is_object() && j.value("custom_id", json()).is_string()
                             ? manifest.find(j["custom_id"].get<std::string>())
                             : manifest.end();
    if (request == manifest.end()) {
      ++stats.bad_lines;
      continue;
    }
    const json* body = completion_of(j);
    if (!body) {
      ++stats.failed_requests;
      continue;
    }
    const auto& questions = request->second;
    std::vector<std::string> ids;
    for (size_t k = 0; k < questions.size(); ++k) ids.push_back(std::to_string(k + 1));
    const ParsedLinks parsed =
        parse_link_answer((*body)["choices"][0]["message"]["content"].get<std::string>(), ids);
    for (size_t k = 0; k < questions.size(); ++k) {
      auto it = parsed.links.find(ids[k]);
      const int c =
          it == parsed.links.end() ? -2 : candidate_of(it->second.entity, questions[k].candidates);
      if (c == -2) {
        ++stats.question_problems;
        continue;
      }
      journal.append_line(link_journal_line(
          questions[k].key, c < 0 ? std::string() : questions[k].ids[static_cast<size_t>(c)],
          it->second.words, it->second.confidence, model, prompt_sha256, 0, 0));
      ++stats.answers;
    }
  }
  journal.close();
  return stats;
}

}  // namespace kerec::llm
