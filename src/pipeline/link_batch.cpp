#include "kerec/pipeline/link_batch.h"

#include "kerec/dist/agree.h"
#include "kerec/llm/link.h"
#include "kerec/llm/prompt.h"
#include "kerec/pipeline/run_dir.h"
#include "kerec/util/log.h"

namespace kerec::pipeline {

std::filesystem::path link_batch_manifest(const std::filesystem::path& run_root) {
  return run_root / "journal" / "link-batch-manifest.jsonl";
}

nlohmann::json import_link_batch(dist::Comm& comm, const JobConfig& config,
                                 const std::string& file) {
  nlohmann::json out;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    const RunDir run(config.run.dir);
    const auto prompt = llm::PromptTemplate::load(
        llm::locate_prompt_file(config.extract.link_prompt_file, "extract.link_prompt_file"),
        "{{mentions}}");
    const auto s = llm::import_link_batch(file, link_batch_manifest(run.root()), config.llm.model,
                                          prompt.sha256(), run.root() / "journal" / "link");
    out = {{"lines", s.lines},
           {"answers", s.answers},
           {"failed_requests", s.failed_requests},
           {"bad_lines", s.bad_lines},
           {"question_problems", s.question_problems}};
    log::info(
        "extract: imported {} link answers from {} lines of {} ({} failed requests, {} bad "
        "lines, {} questions without a readable answer: asked again by the next run)",
        s.answers, s.lines, file, s.failed_requests, s.bad_lines, s.question_problems);
  });
  return out;
}

}  // namespace kerec::pipeline
