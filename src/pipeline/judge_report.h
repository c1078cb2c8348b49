// The judge stage's report (internal): counts combined over the ranks, the cost estimate, the
// throughput against the ideal, and with the world's truth the precision and recall of "yes".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/llm/config.h"
#include "kerec/llm/judge.h"
#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

// Collective: the report from every rank's stats (the same on every rank).
nlohmann::json combine_report(dist::Comm& comm, const llm::JudgeStats& stats,
                              const llm::LlmConfig& config);

// Rank 0, local: adds yes_precision, yes_recall (against the true complements among the given
// pairs) when world.dir/truth/complements.tsv exists and input.dir is empty (the synthetic world).
void add_truth_metrics(nlohmann::json& report, const StageContext& ctx,
                       const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                       const std::vector<uint8_t>& verdict);

std::string judge_summary(const nlohmann::json& report);

}  // namespace kerec::pipeline
