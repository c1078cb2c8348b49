#include "kerec/pipeline/judge_batch.h"

#include "kerec/dist/agree.h"
#include "kerec/extract/output_files.h"
#include "kerec/llm/batch.h"
#include "kerec/pairs/pairs_io.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/util/log.h"

namespace kerec::pipeline {
namespace {

llm::PromptTemplate load_prompt(const JobConfig& config) {
  return llm::PromptTemplate::load(llm::locate_prompt_file(config.llm.prompt_file));
}

std::filesystem::path journal_dir(const JobConfig& config) {
  return RunDir(config.run.dir).root() / "journal" / "judge";
}

}  // namespace

nlohmann::json export_judge_batch(dist::Comm& comm, const JobConfig& config,
                                  const std::string& file) {
  nlohmann::json out;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    const RunDir run(config.run.dir);
    const auto pair_file = pairs::read_pairs(run.path(artifacts::kPairs));
    std::vector<llm::PairId> pairs(pair_file.a.size());
    for (size_t i = 0; i < pairs.size(); ++i) pairs[i] = {pair_file.a[i], pair_file.b[i]};
    const auto names = extract::read_entity_names(run.path(artifacts::kEntities));
    const int64_t n =
        llm::export_batch(pairs, names, config.llm, load_prompt(config), journal_dir(config), file);
    out = {{"requests", n}, {"file", file}};
    log::info("judge: wrote {} batch requests to {}", n, file);
  });
  return out;
}

nlohmann::json import_judge_batch(dist::Comm& comm, const JobConfig& config,
                                  const std::string& file) {
  nlohmann::json out;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    const auto s = llm::import_batch(file, config.llm, load_prompt(config), journal_dir(config));
    out = {{"lines", s.lines},
           {"answers", s.answers},
           {"failed_requests", s.failed_requests},
           {"bad_lines", s.bad_lines},
           {"pair_problems", s.pair_problems}};
    log::info(
        "judge: imported {} answers from {} lines of {} ({} failed requests, {} bad lines, {} "
        "pairs "
        "without a valid verdict: asked again by the next run)",
        s.answers, s.lines, file, s.failed_requests, s.bad_lines, s.pair_problems);
  });
  return out;
}

}  // namespace kerec::pipeline
