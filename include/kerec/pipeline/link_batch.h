// `kerec extract --export-batch FILE` / `--import-batch FILE`: the extract stage's LLM-linking
// questions as an OpenAI Batch API file, and a results file into the link journal (llm/link.h).
// Export is a run of the extract stage with extract.link_batch_export = FILE: the questions the
// journal does not answer are written instead of asked, and the manifest that maps each request
// back to its questions is appended to RUN_DIR/journal/link-batch-manifest.jsonl. After the import,
// a run without that key (its config differs, so the stage runs again) finds every imported
// answer in the journal and asks only what is left.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "kerec/dist/comm.h"
#include "kerec/pipeline/job_config.h"

namespace kerec::pipeline {

// RUN_DIR/journal/link-batch-manifest.jsonl: beside journal/link, whose .jsonl files are replayed.
std::filesystem::path link_batch_manifest(const std::filesystem::path& run_root);

// Collective; rank 0 reads the results and writes RUN_DIR/journal/link/rank-import.jsonl with
// llm.model and the hash of extract.link_prompt_file. Returns the counts (llm::LinkImportStats).
nlohmann::json import_link_batch(dist::Comm& comm, const JobConfig& config,
                                 const std::string& file);

}  // namespace kerec::pipeline
