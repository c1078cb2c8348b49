// The LLM simulator's logic (the HTTP server around it is src/llm_sim/): an OpenAI-compatible
// chat-completions service that answers the pairs in the prompt from the synthetic world's truth,
// with configurable errors, latency and injected faults. It lives in the library so that tests can
// check its answers and its response schema without a network.
//
// Determinism: the verdict for a pair depends only on (entity ids of a and b, seed) — never on the
// request order, the batching or the rank count. Faults and latency are drawn per request from
// (seed, request sequence number) and so are reproducible only for one request order.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kerec/llm/verdict.h"

namespace kerec::llm {

struct SimOptions {
  uint64_t seed = 7;
  std::string model = "kerec-sim-1";
  // Errors: the chance to answer "yes" for a non-complement (fp) or "no" for a complement (fn),
  // multiplied by rare_factor when either entity has at most rare_items items (a rare entity).
  double fp_rate = 0.02;
  double fn_rate = 0.10;
  double uncertain_rate = 0.02;
  // Linking (llm/link.h): the chance to name a candidate other than the true entity, and to answer
  // "none" although the true entity is a candidate; both times rare_factor for a rare entity.
  double link_wrong_rate = 0.02;
  double link_miss_rate = 0.05;
  double rare_factor = 3.0;
  int64_t rare_items = 2;
  // Latency: lognormal with this median and sigma (of the log), per request.
  double latency_median_ms = 50.0;
  double latency_sigma = 0.3;
  int64_t max_concurrency = 64;  // requests processed at once; more wait
  // Fault rates per request (their sum must be <= 1).
  double rate_429 = 0.0;
  int64_t retry_after_ms =
      200;  // sent with every 429 as retry-after-ms (and Retry-After, rounded up)
  double rate_500 = 0.0;
  double rate_503 = 0.0;
  double rate_stall = 0.0;  // answer only after stall_ms (past the client's timeout)
  int64_t stall_ms = 5000;
  double rate_malformed = 0.0;  // content that is not valid JSON
  double rate_truncated = 0.0;  // content cut in half, finish_reason "length"
  double rate_wrong_id = 0.0;   // one verdict carries an id that was not asked
  double rate_close = 0.0;      // the connection is closed before the response is complete
  // Answers written as chat models write them without a JSON mode (independent of the faults):
  // each of prose around a ```json fence, capitalised verdict words with a period, confidences as
  // strings, ids as numbers, a missing reason and trailing commentary, with probability 1/2 each.
  // The verdicts themselves are those of a clean answer.
  double sloppy_rate = 0.0;
  // The response_format types the server takes ("none": a request without one, or type "text");
  // any other is answered 400 with an OpenAI-style error whose param is "response_format".
  std::vector<std::string> response_formats = {"json_schema", "json_object", "none"};
};

enum class SimFault { kNone, k429, k500, k503, kStall, kMalformed, kTruncated, kWrongId, kClose };
const char* fault_name(SimFault f);

// What the server should do with one request.
struct SimReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  double delay_ms = 0.0;          // wait this long before answering
  bool close_connection = false;  // drop the connection instead of answering
  SimFault fault = SimFault::kNone;
};

// The truth the simulator answers from: entities.tsv, truth/complements.tsv and (optional)
// truth/item_entities.tsv of a world directory; for linking, the surface forms that name each
// entity: its name and dictionary aliases, truth/unseen_aliases.tsv, and the misspellings that
// truth/mentions.tsv marks in items.tsv and bills.tsv (a misspelling that names several entities
// names the one it names most often). A question about a whole text of the world is answered from
// that text's own gold mentions, as a reader would read it.
class SimWorld {
 public:
  // InputError/IoError naming the file if the world cannot be read.
  explicit SimWorld(const std::filesystem::path& dir);
  // The entity id of a (sanitised) name, or empty.
  std::string entity_of(const std::string& name) const;
  double strength(const std::string& a_id, const std::string& b_id) const;
  int64_t items(const std::string& id) const;
  size_t entities() const { return name_to_id_.size(); }
  size_t complements() const { return strength_.size(); }
  // Linking: what `mention` names (ASCII case ignored): for a text of the world, its gold mentions
  // (surface, entity id) in text order; else the misspelling or other surface form it equals; else
  // the longest name, alias or unseen alias inside it. Empty when none.
  std::vector<std::pair<std::string, std::string>> named_in(const std::string& mention) const;
  // The entity's name (sanitised), or empty.
  std::string name_of(const std::string& entity_id) const;

 private:
  void read_surfaces(const std::filesystem::path& dir);
  void read_text_truth(const std::filesystem::path& dir);
  bool longest_inside(const std::string& mention, std::string& words, std::string& id) const;
  // Lower-cased surface -> entity id: names, aliases and unseen aliases; misspellings.
  std::unordered_map<std::string, std::string> surface_to_id_, misspelt_to_id_;
  // Lower-cased text of the world -> its gold mentions (surface, entity id), in text order.
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> text_gold_;
  std::unordered_map<std::string, std::string> id_to_name_;
  std::unordered_map<std::string, std::string> name_to_id_;
  std::unordered_map<std::string, double> strength_;  // "a\x1fb" -> strength
  std::unordered_map<std::string, int64_t> items_;
};

class SimService {
 public:
  SimService(const SimWorld& world, SimOptions options);

  // POST /v1/chat/completions with this body. Thread-safe.
  SimReply chat(const std::string& body);
  // GET /v1/models.
  std::string models() const;
  // GET /v1/stats: what it served — requests, pairs asked (total and distinct), faults by kind.
  nlohmann::json stats() const;
  // The answer for one pair of names (exposed for tests): verdict, confidence, reason.
  ParsedVerdict answer(const std::string& a_name, const std::string& b_name) const;
  // The answer to one linking question (exposed for tests): {"entity", "words", "confidence"}.
  nlohmann::json link(const std::string& mention, const std::vector<std::string>& candidates) const;

 private:
  SimFault draw_fault(uint64_t seq) const;
  double draw_latency_ms(uint64_t seq) const;
  void count_pairs(const std::vector<std::pair<std::string, std::string>>& pairs);
  // The 400 for a response_format this server does not take, or false.
  bool reject_format(const nlohmann::json& request, SimReply& reply);

  const SimWorld& world_;
  SimOptions options_;
  std::atomic<uint64_t> sequence_{0};
  mutable std::mutex mutex_;  // guards the counters below
  int64_t chat_requests_ = 0, bad_requests_ = 0, pairs_total_ = 0, link_questions_ = 0;
  std::map<std::string, int64_t> by_format_, format_rejected_;  // requests per response_format type
  std::unordered_map<std::string, int64_t> asked_;
  std::map<std::string, int64_t> faults_;
};

// A valid chat.completion body (exposed for tests).
nlohmann::json completion_body(const std::string& model, const std::string& content,
                               const std::string& finish_reason, int64_t prompt_tokens,
                               int64_t completion_tokens, uint64_t seq);

}  // namespace kerec::llm
