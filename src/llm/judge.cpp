#include "kerec/llm/judge.h"

#include <chrono>
#include <unordered_map>

#include "kerec/llm/client.h"
#include "kerec/llm/journal.h"
#include "kerec/util/log.h"
#include "kerec/util/resources.h"

namespace kerec::llm {
namespace {

using Clock = std::chrono::steady_clock;

// One logical request: which pairs (indices into the input), under which ids.
struct Batch {
  std::vector<size_t> pairs;
  std::vector<std::string> ids;
  bool reask = false;
  ResponseFormat format = ResponseFormat::kJsonSchema;  // set by submit()
};

class Judge {
 public:
  Judge(const JudgeInput& in, JudgeStats& stats)
      : in_(in),
        stats_(stats),
        results_(in.pairs->size()),
        client_(*in.config, in.api_key, in.ranks),
        format_(in.config->format()),
        journal_(journal_path(in.journal_dir, in.rank),
                 std::chrono::milliseconds(in.config->journal_flush_ms)) {}

  std::vector<PairResult> run();

 private:
  void replay();
  void submit(Batch batch, bool resend = false);
  void on_result(CallResult& r);
  void on_format_rejected(Batch batch, const std::string& error);
  void keep_unreadable(const Batch& batch, const ParsedAnswer& parsed, const std::string& content);
  void answer(size_t i, const ParsedVerdict& v, int64_t tin, int64_t tout, const CallResult& r);
  void problem(const Batch& batch, size_t pos, const std::string& why);
  void unjudged(size_t i, const std::string& cause);
  std::string name(int32_t e) const;

  const JudgeInput& in_;
  JudgeStats& stats_;
  std::vector<PairResult> results_;
  Client client_;
  ResponseFormat format_;  // what new requests ask for; weakened when the endpoint rejects it
  JournalWriter journal_;
  std::unordered_map<uint64_t, Batch> batches_;
  uint64_t next_tag_ = 0;
  int64_t answered_ = 0;
  // The loud stop (LlmConfig::stop_unparsable_share): pairs in answers to first asks, how many of
  // them got no readable verdict, and the first such answer's text.
  int64_t first_ask_pairs_ = 0, first_ask_unreadable_ = 0;
  std::string unreadable_example_;
  void check_readable(const Batch& batch, const ParsedAnswer& parsed, const std::string& content);
};

std::string Judge::name(int32_t e) const {
  const auto& names = *in_.names;
  const std::string raw =
      e >= 0 && static_cast<size_t>(e) < names.size() ? names[e] : "entity " + std::to_string(e);
  return sanitize_name(raw, static_cast<size_t>(in_.config->name_max_chars));
}

void Judge::replay() {
  std::unordered_map<uint64_t, size_t> index;
  for (size_t i = 0; i < in_.pairs->size(); ++i)
    index.emplace(pair_key((*in_.pairs)[i].a, (*in_.pairs)[i].b), i);
  auto replayed = replay_journals(in_.journal_dir, in_.config->model, in_.prompt->sha256(),
                                  [&](uint64_t key) { return index.count(key) > 0; });
  stats_.journal_records = replayed.records;
  stats_.journal_other_model = replayed.other_model_or_prompt;
  stats_.journal_torn = replayed.torn_last_records;
  stats_.journal_bad = replayed.bad_records;
  stats_.journal_unreadable = replayed.unreadable_answers;
  for (auto& [key, rec] : replayed.answers) {
    PairResult& r = results_[index.at(key)];
    r = {rec.verdict, rec.confidence, rec.reason};
    ++stats_.from_journal;
    ++answered_;
  }
}

// `resend`: the same request again in another response format (not a new re-ask).
void Judge::submit(Batch batch, bool resend) {
  std::vector<PromptPair> pairs;
  for (size_t k = 0; k < batch.pairs.size(); ++k) {
    const PairId& p = (*in_.pairs)[batch.pairs[k]];
    pairs.push_back({batch.ids[k], name(p.a), name(p.b)});
  }
  batch.format = format_;
  const RequestOptions options{in_.config->model, in_.config->max_tokens, in_.config->temperature,
                               format_};
  std::string body = chat_request(*in_.prompt, pairs, options).dump();
  const int64_t estimate =
      static_cast<int64_t>(body.size() / 4) + 40 * static_cast<int64_t>(pairs.size());
  const uint64_t tag = next_tag_++;
  ++stats_.requests;
  if (batch.reask && !resend) ++stats_.reasks;
  batches_.emplace(tag, std::move(batch));
  client_.enqueue({tag, std::move(body), estimate});
}

void Judge::unjudged(size_t i, const std::string& cause) {
  results_[i] = {Verdict::kUnjudged, 0.0f, cause};
  ++stats_.unjudged_by_cause[cause];
  ++answered_;
}

void Judge::problem(const Batch& batch, size_t pos, const std::string& why) {
  ++stats_.parse_problems[why];
  if (batch.reask) return unjudged(batch.pairs[pos], "unparsable after re-ask: " + why);
  submit({{batch.pairs[pos]}, {"1"}, true});
}

void Judge::answer(size_t i, const ParsedVerdict& v, int64_t tin, int64_t tout,
                   const CallResult& r) {
  results_[i] = {v.verdict, v.confidence, v.reason};
  JournalRecord rec;
  rec.a = (*in_.pairs)[i].a, rec.b = (*in_.pairs)[i].b;
  rec.verdict = v.verdict, rec.confidence = v.confidence, rec.reason = v.reason;
  rec.model = in_.config->model, rec.prompt_sha256 = in_.prompt->sha256();
  rec.tokens_in = tin, rec.tokens_out = tout, rec.attempts = r.attempts;
  rec.latency_ms = static_cast<int64_t>(r.latency_s * 1000);
  journal_.append(rec);
  ++answered_;
}

// The endpoint refused the request's response_format. The first refusal of the mode in use moves
// the run to the next weaker mode (llm.response_format_fallback), once per mode; requests already
// sent in the old mode are sent again in the new one as their refusals arrive.
void Judge::on_format_rejected(Batch batch, const std::string& error) {
  const char* rejected = response_format_name(batch.format);
  if (batch.format == format_) {
    ResponseFormat weaker = format_;
    if (!in_.config->response_format_fallback || !weaker_response_format(format_, weaker))
      throw LlmFatalError("the LLM endpoint rejected response_format '" + std::string(rejected) +
                          "': " + error +
                          (in_.config->response_format_fallback
                               ? "; no weaker mode is left: check llm.base_url and llm.model"
                               : "; set llm.response_format = \"json_object\" or \"none\", or "
                                 "llm.response_format_fallback = true"));
    log::warn(
        "judge: rank {}: the endpoint rejected response_format '{}' ({}); asking with '{}' for the "
        "rest "
        "of the run (llm.response_format_fallback)",
        in_.rank, rejected, error, response_format_name(weaker));
    format_ = weaker;
    ++stats_.format_fallbacks;
    stats_.format_used = response_format_name(format_);
  }
  ++stats_.format_rejected_requests;
  submit(std::move(batch), /*resend=*/true);
}

// Journals what the model wrote when some asked pairs got no readable verdict from it.
void Judge::keep_unreadable(const Batch& batch, const ParsedAnswer& parsed,
                            const std::string& content) {
  UnreadableRecord rec;
  for (size_t k = 0; k < batch.pairs.size(); ++k) {
    auto it = parsed.problems.find(batch.ids[k]);
    if (it == parsed.problems.end()) continue;
    if (rec.problem.empty()) rec.problem = it->second;
    const PairId& p = (*in_.pairs)[batch.pairs[k]];
    rec.pairs.emplace_back(p.a, p.b);
  }
  if (rec.pairs.empty()) return;
  rec.raw = content, rec.response_format = response_format_name(batch.format);
  rec.model = in_.config->model, rec.prompt_sha256 = in_.prompt->sha256();
  journal_.append(rec);
  ++stats_.unreadable_answers_kept;
}

void Judge::on_result(CallResult& r) {
  auto node = batches_.extract(r.tag);
  if (!r.ok && r.cause == kFormatRejected)
    return on_format_rejected(std::move(node.mapped()), r.body);
  const Batch& batch = node.mapped();
  if (!r.ok) {
    const std::string cause = r.cause + " after " + std::to_string(r.attempts) + " attempts";
    for (size_t i : batch.pairs) unjudged(i, cause);
    return;
  }
  const Completion completion = read_completion(r.body);
  const int64_t tin = completion.prompt_tokens, tout = completion.completion_tokens;
  stats_.tokens_in += tin, stats_.tokens_out += tout;
  const std::string& content = completion.content;
  const bool truncated = completion.finish_reason == "length";
  const ParsedAnswer parsed = parse_answer(content, batch.ids, truncated);
  keep_unreadable(batch, parsed, content);
  check_readable(batch, parsed, content);
  stats_.unknown_ids += parsed.unknown_ids;
  for (const auto& [kind, n] : parsed.lenient) stats_.lenient_parsing[kind] += n;
  // The request's usage is shared among its answers; the first carries the remainder.
  const int64_t n = std::max<int64_t>(1, static_cast<int64_t>(parsed.verdicts.size()));
  bool first = true;
  for (size_t k = 0; k < batch.pairs.size(); ++k) {
    auto it = parsed.verdicts.find(batch.ids[k]);
    if (it == parsed.verdicts.end()) {
      problem(batch, k, parsed.problems.at(batch.ids[k]));
      continue;
    }
    answer(batch.pairs[k], it->second, tin / n + (first ? tin % n : 0),
           tout / n + (first ? tout % n : 0), r);
    first = false;
  }
}

// The response_format settings worth trying after answers in `used` could not be read.
std::string settings_to_try(ResponseFormat used) {
  if (used == ResponseFormat::kJsonSchema)
    return "llm.response_format = \"json_object\" or \"none\" (the server may ignore the schema)";
  return std::string(
             "llm.response_format = \"json_schema\" (if the server supports guided decoding)") +
         (used == ResponseFormat::kNone ? " or \"json_object\"" : "");
}

std::string share_text(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", share);
  return buf;
}

// Throws UnreadableAnswers when too many first-asked pairs got no readable verdict: quoting one
// answer, naming the endpoint and model, and the settings to try.
void Judge::check_readable(const Batch& batch, const ParsedAnswer& parsed,
                           const std::string& content) {
  if (batch.reask) return;
  const auto unreadable = static_cast<int64_t>(batch.pairs.size() - parsed.verdicts.size());
  first_ask_pairs_ += static_cast<int64_t>(batch.pairs.size()), first_ask_unreadable_ += unreadable;
  if (unreadable > 0 && unreadable_example_.empty())
    unreadable_example_ = content.size() > 400 ? content.substr(0, 400) + "..." : content;
  const LlmConfig& c = *in_.config;
  if (first_ask_pairs_ < c.stop_min_pairs || c.stop_unparsable_share >= 1.0 ||
      static_cast<double>(first_ask_unreadable_) <=
          c.stop_unparsable_share * static_cast<double>(first_ask_pairs_))
    return;
  throw UnreadableAnswers(
      "the answers of model '" + c.model + "' at " + c.base_url +
      " cannot be read: " + std::to_string(first_ask_unreadable_) + " of the first " +
      std::to_string(first_ask_pairs_) + " pairs asked on rank " + std::to_string(in_.rank) +
      " got no readable verdict (more than llm.stop_unparsable_share = " +
      share_text(c.stop_unparsable_share) + "). One answer: <<" + unreadable_example_ +
      ">> (every unreadable answer is kept in " + journal_path(in_.journal_dir, in_.rank).string() +
      ", lines with \"unreadable\"). Try: " + settings_to_try(format_) +
      ", a model that follows instructions, or a prompt that asks for the JSON only "
      "(llm.prompt_file); "
      "`kerec judge --probe` shows one answer and how it was read; "
      "or raise llm.stop_unparsable_share to go on (unreadable pairs end unjudged).");
}

std::vector<PairResult> Judge::run() {
  replay();
  const size_t k = static_cast<size_t>(in_.config->pairs_per_request);
  Batch batch;
  for (size_t i = 0; i < in_.pairs->size(); ++i) {
    if (!results_[i].reason.empty() || results_[i].verdict != Verdict::kUnjudged)
      continue;  // from the journal
    batch.pairs.push_back(i);
    batch.ids.push_back(std::to_string(batch.pairs.size()));
    ++stats_.asked;
    if (batch.pairs.size() == k) submit(std::exchange(batch, Batch{}));
  }
  if (!batch.pairs.empty()) submit(std::move(batch));
  const auto start = Clock::now();
  const double cpu0 = cpu_seconds();
  auto last_progress = start;
  while (client_.pending() > 0) {
    for (auto& r : client_.step(std::chrono::milliseconds(100))) on_result(r);
    journal_.maybe_flush();
    if (in_.progress && Clock::now() - last_progress >= std::chrono::seconds(1)) {
      last_progress = Clock::now();
      in_.progress(answered_, static_cast<int64_t>(results_.size()));
    }
  }
  journal_.close();
  stats_.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  stats_.main_cpu_s = cpu_seconds() - cpu0;
  stats_.loop_cpu_s = client_.loop_cpu_seconds();
  const ClientStats& c = client_.stats();
  stats_.http_calls = c.http_calls, stats_.retries = c.retries,
  stats_.failed_calls = c.failed_calls;
  stats_.breaker_opens = c.breaker_opens, stats_.retries_by_cause = c.retries_by_cause;
  stats_.latency_sum_s = c.latency_sum_s;
  return std::move(results_);
}

}  // namespace

std::vector<PairResult> judge_pairs(const JudgeInput& input, JudgeStats& stats) {
  stats = JudgeStats{};
  stats.format_used = input.config->response_format;
  stats.pairs = static_cast<int64_t>(input.pairs->size());
  Judge judge(input, stats);
  std::vector<PairResult> results = judge.run();
  for (const auto& r : results) {
    switch (r.verdict) {
      case Verdict::kYes:
        ++stats.yes;
        break;
      case Verdict::kNo:
        ++stats.no;
        break;
      case Verdict::kUncertain:
        ++stats.uncertain;
        break;
      case Verdict::kUnjudged:
        ++stats.unjudged;
        break;
    }
  }
  return results;
}

}  // namespace kerec::llm
