#include "judge_report.h"

#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "kerec/dist/collectives.h"
#include "kerec/extract/output_files.h"
#include "kerec/llm/journal.h"

namespace kerec::pipeline {
namespace {

using dist::ReduceOp;
using nlohmann::json;

void merge_counts(json& into, const json& from) {
  for (const auto& [k, v] : from.items()) into[k] = into.value(k, int64_t{0}) + v.get<int64_t>();
}

}  // namespace

json combine_report(dist::Comm& comm, const llm::JudgeStats& s, const llm::LlmConfig& config) {
  int64_t n[] = {s.pairs,
                 s.from_journal,
                 s.asked,
                 s.yes,
                 s.no,
                 s.uncertain,
                 s.unjudged,
                 s.requests,
                 s.reasks,
                 s.http_calls,
                 s.retries,
                 s.failed_calls,
                 s.breaker_opens,
                 s.unknown_ids,
                 s.tokens_in,
                 s.tokens_out,
                 s.journal_records,
                 s.journal_other_model,
                 s.journal_torn,
                 s.journal_bad,
                 s.journal_unreadable,
                 s.unreadable_answers_kept,
                 s.format_fallbacks,
                 s.format_rejected_requests};
  dist::allreduce(comm, std::span<int64_t>(n), ReduceOp::kSum);
  double sums[] = {s.latency_sum_s, s.loop_cpu_s, s.main_cpu_s};
  dist::allreduce(comm, std::span<double>(sums), ReduceOp::kSum);
  const double wall_s = dist::allreduce_value(comm, s.wall_s, ReduceOp::kMax);
  // The weakest mode any rank ended in (the fallback order is the enum's order).
  llm::ResponseFormat used = config.format();
  llm::parse_response_format(s.format_used, used);
  used = static_cast<llm::ResponseFormat>(
      dist::allreduce_value(comm, static_cast<int64_t>(used), ReduceOp::kMax));
  json maps = {{"retries_by_cause", s.retries_by_cause},
               {"unjudged_by_cause", s.unjudged_by_cause},
               {"parse_problems", s.parse_problems},
               {"lenient_parsing", s.lenient_parsing}};
  json merged = {{"retries_by_cause", json::object()},
                 {"unjudged_by_cause", json::object()},
                 {"parse_problems", json::object()},
                 {"lenient_parsing", json::object()}};
  for (const auto& part : dist::allgather_strings(comm, maps.dump())) {
    const json rank_maps = json::parse(part);  // named: items() of a temporary would dangle
    for (const auto& [k, v] : rank_maps.items()) merge_counts(merged[k], v);
  }

  const int64_t successful = n[9] - n[10] - n[11];  // calls that got a usable answer
  const double mean_latency_s = successful > 0 ? sums[0] / static_cast<double>(successful) : 0.0;
  const double ideal = mean_latency_s > 0
                           ? static_cast<double>(config.in_flight_per_rank *
                                                 config.pairs_per_request * comm.size()) /
                                 mean_latency_s
                           : 0.0;
  const double pairs_per_s = wall_s > 0 ? static_cast<double>(n[2]) / wall_s : 0.0;
  json r = {
      {"pairs", n[0]},
      {"judged", n[3] + n[4] + n[5]},
      {"unjudged", n[6]},
      {"yes", n[3]},
      {"no", n[4]},
      {"uncertain", n[5]},
      {"from_journal", n[1]},
      {"asked", n[2]},
      {"requests", n[7]},
      {"reasks", n[8]},
      {"calls", n[9]},
      {"retries", n[10]},
      {"failed_calls", n[11]},
      {"breaker_opens", n[12]},
      {"unknown_ids", n[13]},
      {"tokens_in", n[14]},
      {"tokens_out", n[15]},
      {"cost_estimate",
       (n[14] * config.price_in_per_mtok + n[15] * config.price_out_per_mtok) / 1e6},
      {"journal",
       {{"records", n[16]},
        {"other_model_or_prompt", n[17]},
        {"torn_last_records", n[18]},
        {"bad_records", n[19]},
        {"unreadable_answers", n[20]}}},
      {"unreadable_answers_kept", n[21]},
      {"response_format",
       {{"configured", config.response_format},
        {"used", llm::response_format_name(used)},
        {"fallbacks", n[22]},
        {"rejected_requests", n[23]}}},
      {"retries_by_cause", merged["retries_by_cause"]},
      {"unjudged_by_cause", merged["unjudged_by_cause"]},
      {"parse_problems", merged["parse_problems"]},
      {"lenient_parsing", merged["lenient_parsing"]},
      {"ask_wall_s", wall_s},
      {"pairs_per_s", pairs_per_s},
      {"mean_latency_ms", mean_latency_s * 1000},
      {"ideal_pairs_per_s", ideal},
      {"throughput_vs_ideal", ideal > 0 ? pairs_per_s / ideal : 0.0},
      {"client_cpu_ms_per_request", n[9] > 0 ? sums[2] * 1000 / static_cast<double>(n[9]) : 0.0},
      {"loop_cpu_ms_per_request", n[9] > 0 ? sums[1] * 1000 / static_cast<double>(n[9]) : 0.0},
      {"pairs_per_request", config.pairs_per_request},
      {"in_flight_per_rank", config.in_flight_per_rank}};
  return r;
}

void add_truth_metrics(json& report, const StageContext& ctx, const std::vector<int32_t>& a,
                       const std::vector<int32_t>& b, const std::vector<uint8_t>& verdict) {
  const std::string truth = ctx.config.world().dir + "/truth/complements.tsv";
  std::ifstream in(truth);
  if (!ctx.config.input().dir.empty() || !in) return;
  const auto ids = extract::read_entity_table(ctx.run.artifact(artifacts::kEntities)).ids;
  std::unordered_map<std::string, int32_t> index;
  for (size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], static_cast<int32_t>(i));
  std::unordered_set<uint64_t> complements;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos) continue;
    auto x = index.find(line.substr(0, t1)), y = index.find(line.substr(t1 + 1, t2 - t1 - 1));
    if (x != index.end() && y != index.end())
      complements.insert(llm::pair_key(x->second, y->second));
  }
  int64_t yes = 0, true_yes = 0, true_pairs = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool is_true = complements.count(llm::pair_key(a[i], b[i])) > 0;
    const bool said_yes = verdict[i] == static_cast<uint8_t>(llm::Verdict::kYes);
    true_pairs += is_true, yes += said_yes, true_yes += is_true && said_yes;
  }
  report["truth_file"] = truth;
  report["true_complements_in_pairs"] = true_pairs;
  report["yes_precision"] = yes ? static_cast<double>(true_yes) / yes : 0.0;
  report["yes_recall"] = true_pairs ? static_cast<double>(true_yes) / true_pairs : 0.0;
}

std::string judge_summary(const json& r) {
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "judge: %lld pairs: %lld judged (%lld yes, %lld no, %lld uncertain), %lld unjudged; "
      "%lld from the journal\n  %lld calls, %lld retries, %lld+%lld tokens (cost ~%.4f), %.0f "
      "pairs/s "
      "(%.0f%% of ideal)",
      (long long)r.value("pairs", 0LL), (long long)r.value("judged", 0LL),
      (long long)r.value("yes", 0LL), (long long)r.value("no", 0LL),
      (long long)r.value("uncertain", 0LL), (long long)r.value("unjudged", 0LL),
      (long long)r.value("from_journal", 0LL), (long long)r.value("calls", 0LL),
      (long long)r.value("retries", 0LL), (long long)r.value("tokens_in", 0LL),
      (long long)r.value("tokens_out", 0LL), r.value("cost_estimate", 0.0),
      r.value("pairs_per_s", 0.0), 100 * r.value("throughput_vs_ideal", 0.0));
  std::string s = buf;
  if (r.contains("linking")) {
    const json& l = r["linking"];
    std::snprintf(buf, sizeof buf,
                  "\n  LLM linking (extract) spent %lld requests and %lld tokens (cost ~%.4f), "
                  "%.2f%% of judging's tokens",
                  (long long)l.value("requests", 0LL), (long long)l.value("tokens", 0LL),
                  l.value("cost_estimate", 0.0), 100 * l.value("tokens_vs_judging", 0.0));
    s += buf;
  }
  if (r.contains("yes_precision")) {
    std::snprintf(buf, sizeof buf, "\n  yes precision %.3f, recall %.3f against the truth",
                  r["yes_precision"].get<double>(), r["yes_recall"].get<double>());
    s += buf;
  }
  if (r.contains("response_format") && r["response_format"].value("fallbacks", int64_t{0}) > 0) {
    const json& f = r["response_format"];
    s += "\n  the endpoint rejected response_format " + f["configured"].get<std::string>() +
         ": asked with " + f["used"].get<std::string>() + " instead (" +
         std::to_string(f["rejected_requests"].get<int64_t>()) + " requests sent again)";
  }
  if (r.value("unreadable_answers_kept", int64_t{0}) > 0)
    s += "\n  " + std::to_string(r["unreadable_answers_kept"].get<int64_t>()) +
         " unreadable answers kept raw in RUN_DIR/journal/judge/ (lines with \"unreadable\")";
  if (r.contains("lenient_parsing") && !r["lenient_parsing"].empty()) {
    s += "\n  accepted beyond the exact answer format:";
    for (const auto& [kind, n] : r["lenient_parsing"].items())
      s += " " + kind + " " + std::to_string(n.get<int64_t>()) + ",";
    s.pop_back();
  }
  return s;
}

}  // namespace kerec::pipeline
