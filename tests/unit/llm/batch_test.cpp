// Batch API export/import: the exported requests, answered by the simulator's logic and written as
// a Batch results file, land in the journal, after which a second export has nothing left to ask.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "kerec/llm/batch.h"
#include "kerec/llm/journal.h"
#include "kerec/llm/sim.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(Batch, ExportAnswerImportThenNothingLeftToAsk) {
  const fs::path dir = fs::temp_directory_path() / ("kerec-batch-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "world" / "truth");
  std::vector<std::string> names;
  {
    std::ofstream e(dir / "world" / "entities.tsv"), c(dir / "world" / "truth" / "complements.tsv");
    e << "entity_id\tname\taliases\tcategory\n";
    c << "a\tb\tstrength\n1\t2\t0.9\n";
    for (int i = 0; i < 10; ++i)
      e << i << "\tthing \"" << i << "\"\t\tcat\n",
          names.push_back("thing \"" + std::to_string(i) + "\"");
  }
  std::vector<PairId> pairs;
  for (int a = 0; a < 10; ++a)
    for (int b = 0; b < 10; ++b)
      if (a != b) pairs.push_back({a, b});
  LlmConfig config;
  config.pairs_per_request = 8;
  const PromptTemplate prompt =
      PromptTemplate::load(std::string(KEREC_SOURCE_DIR) + "/data/prompts/judge_v1.txt");
  EXPECT_EQ(export_batch(pairs, names, config, prompt, dir / "journal", dir / "requests.jsonl"),
            12);  // ceil(90/8)

  SimWorld world(dir / "world");
  SimService sim(world, {});
  std::ifstream requests(dir / "requests.jsonl");
  std::ofstream results(dir / "results.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(requests, line)) {
    const json req = json::parse(line);
    EXPECT_EQ(req["method"], "POST");
    EXPECT_EQ(req["url"], "/v1/chat/completions");
    const SimReply reply = sim.chat(req["body"].dump());
    json body = json::parse(reply.body);
    if (n++ == 0) body["choices"][0]["message"]["content"] = "not json";  // one bad answer: 8 pairs
    results << json{{"id", "batch_req_" + std::to_string(n)},
                    {"custom_id", req["custom_id"]},
                    {"response", {{"status_code", 200}, {"request_id", "r"}, {"body", body}}},
                    {"error", nullptr}}
                   .dump()
            << "\n";
  }
  results << "{\"custom_id\": \"someone-else\"}\n";
  results.close();
  const ImportStats s = import_batch(dir / "results.jsonl", config, prompt, dir / "journal");
  EXPECT_EQ(s.lines, 13);
  EXPECT_EQ(s.bad_lines, 1);
  EXPECT_EQ(s.answers, 82);
  EXPECT_EQ(s.pair_problems, 8);
  const auto replay = replay_journals(dir / "journal", config.model, prompt.sha256(),
                                      [](uint64_t) { return true; });
  EXPECT_EQ(replay.answers.size(), 82u);
  EXPECT_EQ(replay.answers.at(pair_key(1, 2)).verdict,
            sim.answer("thing '1'", "thing '2'").verdict);
  EXPECT_EQ(export_batch(pairs, names, config, prompt, dir / "journal", dir / "again.jsonl"),
            1);  // the 8 left
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kerec::llm
