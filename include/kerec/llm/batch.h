// OpenAI Batch API files, for users who prefer the offline batch endpoints (OpenAI Batch, vLLM
// run_batch) to live calls: export the requests the judge would send, import the results into the
// journal, then run the judge stage, which finds every imported answer there and asks nothing more.
//
// Request line:  {"custom_id": "kerec:3:17,5:9", "method": "POST", "url": "/v1/chat/completions",
//                 "body": {chat-completions request}}
// custom_id lists the request's pairs "a:b" (entity indices) in prompt order; their ids in the
// prompt are "1", "2", ... . Result line (as the Batch API writes it):
//                {"custom_id": "...", "response": {"status_code": 200, "body": {chat.completion}},
//                 "error": null}
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/llm/config.h"
#include "kerec/llm/judge.h"
#include "kerec/llm/prompt.h"

namespace kerec::llm {

// Writes one request per k pairs not yet answered in `journal_dir` for this model and prompt.
// Returns the number of requests written. IoError if the file cannot be written.
int64_t export_batch(const std::vector<PairId>& pairs, const std::vector<std::string>& names,
                     const LlmConfig& config, const PromptTemplate& prompt,
                     const std::filesystem::path& journal_dir,
                     const std::filesystem::path& out_file);

struct ImportStats {
  int64_t lines = 0;
  int64_t answers = 0;          // verdicts appended to the journal
  int64_t failed_requests = 0;  // error, non-200 status or not a chat completion
  int64_t bad_lines = 0;        // not JSON, or a custom_id that is not ours
  int64_t pair_problems = 0;  // pairs without exactly one valid verdict (asked again by the stage)
};

// Appends the valid verdicts of a results file to `journal_dir`/rank-import.jsonl, recorded with
// `config.model` and the prompt's hash. InputError/IoError if the file cannot be read.
ImportStats import_batch(const std::filesystem::path& results_file, const LlmConfig& config,
                         const PromptTemplate& prompt, const std::filesystem::path& journal_dir);

}  // namespace kerec::llm
