// Stage `judge`: every rank judges its share of pairs/pairs.h5 with the LLM (kerec/llm/judge.h),
// journaling each answer in RUN_DIR/journal/judge/ so a killed run resumes without asking again;
// then the verdicts of all ranks are gathered, sorted by (a, b) and written by rank 0 as
// judge/verdicts.h5 (docs/artifacts.md, "Verdicts").
#include "judge_stage.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>

#include "judge_report.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/output_files.h"
#include "kerec/llm/judge.h"
#include "kerec/llm/sim_process.h"
#include "kerec/llm/verdicts_file.h"
#include "kerec/pairs/pairs_io.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

// Rank 0's progress lines: at most one per `interval_s` (log.progress_interval_s), with the rate.
std::function<void(int64_t, int64_t)> progress_printer(double interval_s) {
  using Clock = std::chrono::steady_clock;
  return [interval_s, start = Clock::now(), last = Clock::time_point{}](int64_t done,
                                                                        int64_t total) mutable {
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last).count() < interval_s) return;
    last = now;
    const double seconds = std::chrono::duration<double>(now - start).count();
    log::info("judge: rank 0 {}/{} pairs, {:.0f} pairs/s", done, total,
              seconds > 0 ? done / seconds : 0.0);
  };
}

namespace fs = std::filesystem;
using nlohmann::json;

// This rank's pairs of pairs/pairs.h5 (pairs::read_pair_block).
std::vector<llm::PairId> read_my_pairs(const fs::path& path, const dist::Comm& comm) {
  const auto block = pairs::read_pair_block(path, comm.rank(), comm.size());
  std::vector<llm::PairId> out(block.a.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = {block.a[i], block.b[i]};
  return out;
}

bool loopback(const std::string& url) {
  for (const char* host : {"://127.", "://localhost", "://[::1]"})
    if (url.find(host) != std::string::npos) return true;
  return false;
}

// Reasons travel joined by '\x1e'; control characters in them become spaces.
std::string clean_reason(std::string s) {
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
  return s;
}

// Collective: every rank's rows, concatenated in rank order on rank 0 (the writer); empty
// elsewhere.
llm::VerdictRows gather(dist::Comm& comm, const std::vector<llm::PairId>& pairs,
                        const std::vector<llm::PairResult>& results) {
  llm::VerdictRows local;
  std::string reasons;
  for (size_t i = 0; i < pairs.size(); ++i) {
    local.a.push_back(pairs[i].a), local.b.push_back(pairs[i].b);
    local.verdict.push_back(static_cast<uint8_t>(results[i].verdict));
    local.confidence.push_back(results[i].confidence);
    reasons += clean_reason(results[i].reason) + '\x1e';
  }
  llm::VerdictRows all;
  all.a = dist::gatherv<int32_t>(comm, local.a, 0);
  all.b = dist::gatherv<int32_t>(comm, local.b, 0);
  all.verdict = dist::gatherv<uint8_t>(comm, local.verdict, 0);
  all.confidence = dist::gatherv<float>(comm, local.confidence, 0);
  for (const auto& part : dist::gather_strings(comm, reasons, 0)) {
    size_t start = 0;
    for (size_t end; (end = part.find('\x1e', start)) != std::string::npos; start = end + 1)
      all.reason.push_back(part.substr(start, end - start));
  }
  return all;
}

}  // namespace

// Rank 0: the extract stage's LLM linking cost beside judging's (when linking ran), at the
// current prices (the extract stage does not rerun when only the prices change).
static void add_linking_cost(json& report, const std::filesystem::path& extract_report,
                             const llm::LlmConfig& cfg) {
  std::ifstream in(extract_report);
  const json r = json::parse(in, nullptr, false);
  if (r.is_discarded() || !r.contains("link")) return;
  const json& l = r["link"];
  const int64_t link_tokens = l.value("tokens_in", int64_t{0}) + l.value("tokens_out", int64_t{0});
  const int64_t judge_tokens =
      report.value("tokens_in", int64_t{0}) + report.value("tokens_out", int64_t{0});
  report["linking"] = {
      {"requests", l.value("requests", int64_t{0})},
      {"tokens", link_tokens},
      {"cost_estimate",
       (static_cast<double>(l.value("tokens_in", int64_t{0})) * cfg.price_in_per_mtok +
        static_cast<double>(l.value("tokens_out", int64_t{0})) * cfg.price_out_per_mtok) /
           1e6},
      {"tokens_vs_judging",
       judge_tokens > 0 ? static_cast<double>(link_tokens) / static_cast<double>(judge_tokens)
                        : 0.0}};
}

std::string judge_api_key(const llm::LlmConfig& c) {
  const char* value = std::getenv(c.api_key_env.c_str());
  std::string key = value ? value : "";
  if (key.empty() && c.base_url != "simulator") {
    for (const auto& url : c.urls())
      if (!loopback(url))
        throw ConfigError("key 'llm.api_key_env': the environment variable " + c.api_key_env +
                          " is empty, and endpoint " + url + " is not on loopback");
  }
  return c.base_url == "simulator" ? std::string() : key;
}

std::vector<std::string> JudgeStage::input_files(const JobConfig& config) const {
  return {llm::locate_prompt_file(config.llm.prompt_file).string()};
}

json JudgeStage::run(StageContext& ctx) {
  dist::Comm& comm = ctx.comm;
  const llm::LlmConfig& cfg = ctx.config.llm();
  std::vector<llm::PairId> pairs;
  std::vector<std::string> names;
  std::unique_ptr<llm::PromptTemplate> prompt;
  std::string key;
  dist::run_agreed(comm, [&] {
    key = judge_api_key(cfg);
    prompt = std::make_unique<llm::PromptTemplate>(
        llm::PromptTemplate::load(llm::locate_prompt_file(cfg.prompt_file)));
    pairs = read_my_pairs(ctx.run.artifact(artifacts::kPairs), comm);
    names = extract::read_entity_names(ctx.run.artifact(artifacts::kEntities));
  });
  llm::JudgeStats stats;
  std::vector<llm::PairResult> results;
  dist::run_agreed(comm, [&] {
    std::unique_ptr<llm::SimulatorProcess> sim;
    llm::LlmConfig effective = cfg;
    if (cfg.base_url == "simulator") {
      sim = std::make_unique<llm::SimulatorProcess>(llm::find_simulator(), ctx.config.world().dir,
                                                    cfg.simulator_args);
      effective.base_url = sim->base_url();
    }
    llm::JudgeInput in{&pairs,       &names,      &effective,
                       prompt.get(), key,         ctx.run.root() / "journal" / "judge",
                       comm.rank(),  comm.size(), {}};
    if (comm.rank() == 0) in.progress = progress_printer(ctx.config.log().progress_interval_s);
    results = llm::judge_pairs(in, stats);
  });
  const llm::VerdictRows rows = gather(comm, pairs, results);
  json report = combine_report(comm, stats, cfg);
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    llm::write_verdicts(ctx.out_dir / artifacts::kVerdicts.file, rows,
                        {.config_sha256 = ctx.config.config_sha256(),
                         .llm_model = cfg.model,
                         .prompt_sha256 = prompt->sha256()});
    add_truth_metrics(report, ctx, rows.a, rows.b, rows.verdict);
    add_linking_cost(report, ctx.run.artifact(artifacts::kExtractReport), cfg);
    report["prompt_sha256"] = prompt->sha256();
    report["model"] = cfg.model;
  });
  return report;
}

std::string JudgeStage::summary(const json& r) const { return judge_summary(r); }

}  // namespace kerec::pipeline
