#include "kerec/pipeline/judge_probe.h"

#include <memory>

#include "judge_stage.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/output_files.h"
#include "kerec/llm/probe.h"
#include "kerec/llm/sim_process.h"
#include "kerec/pairs/pairs_io.h"
#include "kerec/pipeline/run_dir.h"

namespace kerec::pipeline {
namespace {

namespace fs = std::filesystem;

// Everyday pairs for an endpoint probed before any run (a complement and a non-complement or two).
const std::vector<std::pair<std::string, std::string>> kEverydayPairs = {
    {"mobile phone", "phone case"}, {"tent", "sleeping bag"},   {"coffee beans", "coffee grinder"},
    {"toothpaste", "tent"},         {"printer", "printer ink"}, {"yoga mat", "frying pan"}};

// `k` pairs spread evenly over the run's pairs file, named; empty when the run has none yet.
std::vector<std::pair<std::string, std::string>> run_pairs(const JobConfig& config, size_t k) {
  const RunDir run(config.run.dir);
  const fs::path pairs_file = run.path(artifacts::kPairs);
  const fs::path entities_file = run.path(artifacts::kEntities);
  if (!fs::exists(pairs_file) || !fs::exists(entities_file)) return {};
  const auto [a, b, owner_offsets] = pairs::read_pairs(pairs_file);
  const auto names = extract::read_entity_names(entities_file);
  std::vector<std::pair<std::string, std::string>> out;
  const auto name = [&](int32_t e) {
    return e >= 0 && static_cast<size_t>(e) < names.size() ? names[e] : std::to_string(e);
  };
  for (size_t i = 0; i < std::min(k, a.size()); ++i) {
    const size_t at = i * a.size() / std::min(k, a.size());
    out.emplace_back(name(a[at]), name(b[at]));
  }
  return out;
}

std::vector<llm::PromptPair> probe_pairs(const JobConfig& config, std::ostream& out) {
  const size_t k = static_cast<size_t>(config.llm.pairs_per_request);
  auto named = run_pairs(config, k);
  out << "pairs: "
      << (named.empty()
              ? "everyday products (the run has no pairs/pairs.h5 yet)"
              : "spread over " + (RunDir(config.run.dir).path(artifacts::kPairs)).string())
      << "\n";
  if (named.empty())
    named.assign(kEverydayPairs.begin(),
                 kEverydayPairs.begin() + std::min(k, kEverydayPairs.size()));
  std::vector<llm::PromptPair> pairs;
  for (const auto& [a, b] : named) {
    const size_t max_chars = static_cast<size_t>(config.llm.name_max_chars);
    pairs.push_back({std::to_string(pairs.size() + 1), llm::sanitize_name(a, max_chars),
                     llm::sanitize_name(b, max_chars)});
  }
  return pairs;
}

bool probe_on_rank0(const JobConfig& config, std::ostream& out) {
  llm::LlmConfig effective = config.llm;
  const std::string key = judge_api_key(effective);
  const auto prompt = llm::PromptTemplate::load(llm::locate_prompt_file(effective.prompt_file));
  std::unique_ptr<llm::SimulatorProcess> sim;
  if (effective.base_url == "simulator") {
    sim = std::make_unique<llm::SimulatorProcess>(llm::find_simulator(), config.world.dir,
                                                  effective.simulator_args);
    effective.base_url = sim->base_url();
  }
  const auto pairs = probe_pairs(config, out);
  const llm::ProbeReport report = llm::probe_endpoint(effective, prompt, pairs, key);
  out << llm::describe_probe(report, effective);
  out.flush();
  return report.readable();
}

}  // namespace

int probe_judge(dist::Comm& comm, const JobConfig& config, std::ostream& out) {
  int64_t status = 0;  // rank 0's
  dist::run_agreed(comm, [&] {
    if (comm.rank() == 0) status = probe_on_rank0(config, out) ? 0 : 1;
  });
  return static_cast<int>(dist::allreduce_value<int64_t>(comm, status, dist::ReduceOp::kMax));
}

}  // namespace kerec::pipeline
