// `kerec judge --export-batch FILE` / `--import-batch FILE`: the judge stage's requests as an
// OpenAI Batch API file, and a results file into the judge journal (kerec/llm/batch.h). After an
// import, `kerec judge` (or `kerec run`) finds the imported answers in the journal and asks only
// what is left. Both are collective; rank 0 does the work, on the whole pairs file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "kerec/dist/comm.h"
#include "kerec/pipeline/job_config.h"

namespace kerec::pipeline {

// Returns {"requests": n, "file": FILE}. Reads run.dir/pairs/pairs.h5 and extract/entities.h5.
nlohmann::json export_judge_batch(dist::Comm& comm, const JobConfig& config,
                                  const std::string& file);

// Returns the import counts (lines, answers, failed_requests, bad_lines, pair_problems).
nlohmann::json import_judge_batch(dist::Comm& comm, const JobConfig& config,
                                  const std::string& file);

}  // namespace kerec::pipeline
