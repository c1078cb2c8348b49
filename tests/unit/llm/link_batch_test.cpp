// Linking through Batch API files (llm/link.h): export writes the questions the journal does not
// answer, import journals the answers, and the next link_mentions asks nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../../support/temp_dir_test.h"
#include "kerec/llm/link.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class LinkBatchTest : public test::TempDirTest {
 protected:
  LinkBatchTest() {
    config_.base_url = "http://127.0.0.1:9";  // discard port: nothing here may be asked live
    questions_ = {{"brolly\x1fu,r,", "brolly", {"red brolly"}, {0, 1}},
                  {"xyz\x1fu,", "xyz", {}, {0}},
                  {"香波\x1fs,u,", "香波", {"香波 500ml"}, {2, 0}}};
  }

  fs::path journal() const { return fs::path(path("journal")); }

  LinkInput input(LinkBatch* batch) {
    return {&questions_, &names_, &ids_, &config_, &prompt_, 2, "", journal(), 0, 1, batch};
  }

  // A Batch API results file answering every exported request with `answer(question key)`.
  std::string answer_all(const LinkBatch& batch,
                         const std::function<json(const std::string&)>& answer) {
    std::istringstream requests(batch.requests), manifest(batch.manifest);
    std::string request, entry, out;
    while (std::getline(requests, request) && std::getline(manifest, entry)) {
      const json m = json::parse(entry);
      EXPECT_EQ(json::parse(request)["custom_id"], m["custom_id"]);
      json links = json::array();
      for (size_t k = 0; k < m["questions"].size(); ++k) {
        json a = answer(m["questions"][k]["q"].get<std::string>());
        a["id"] = std::to_string(k + 1);
        links.push_back(a);
      }
      json body;
      body["choices"] = json::array(
          {{{"message", {{"content", json{{"links", links}}.dump()}}}, {"finish_reason", "stop"}}});
      json line;
      line["custom_id"] = m["custom_id"];
      line["response"] = {{"status_code", 200}, {"body", body}};
      line["error"] = nullptr;
      out += line.dump() + '\n';
    }
    return out;
  }

  LlmConfig config_;
  PromptTemplate prompt_ = PromptTemplate::load(
      std::string(KEREC_SOURCE_DIR) + "/data/prompts/link_v1.txt", "{{mentions}}");
  std::vector<LinkQuestion> questions_;
  std::vector<std::string> names_ = {"umbrella", "rain coat", "洗发水"};
  std::vector<std::string> ids_ = {"u", "r", "s"};
};

TEST_F(LinkBatchTest, ExportsTheUnansweredQuestionsAndAsksNothing) {
  LinkBatch batch;
  LinkStats stats;
  const auto answers = link_mentions(input(&batch), stats);
  EXPECT_EQ(stats.exported, 3);
  EXPECT_EQ(stats.asked, 0);
  EXPECT_EQ(stats.http_calls, 0);
  EXPECT_EQ(batch.request_count, 2);  // 2 questions per request
  EXPECT_EQ(batch.question_count, 3);
  for (const auto& a : answers) EXPECT_EQ(a.cause, "exported to a batch file");
  const json first = json::parse(batch.requests.substr(0, batch.requests.find('\n')));
  EXPECT_EQ(first["url"], "/v1/chat/completions");
  EXPECT_EQ(first["custom_id"].get<std::string>().rfind("kerec-link:", 0), 0u);
  EXPECT_NE(first["body"]["messages"][1]["content"].get<std::string>().find("brolly"),
            std::string::npos);
}

TEST_F(LinkBatchTest, ImportedAnswersAreFoundByTheNextRun) {
  LinkBatch batch;
  LinkStats stats;
  link_mentions(input(&batch), stats);
  const std::string manifest = write("manifest.jsonl", batch.manifest);
  std::string results = answer_all(batch, [](const std::string& key) -> json {
    if (key.rfind("brolly", 0) == 0) return {{"entity", "Umbrella"}, {"words", "brolly"}};
    if (key.rfind("xyz", 0) == 0) return {{"entity", "none"}};
    return {{"entity", "shampoo"}};  // not a candidate
  });
  results += "{\"custom_id\": \"someone-else:1\"}\nnot json\n";
  results += json{{"custom_id",
                   json::parse(batch.manifest.substr(0, batch.manifest.find('\n')))["custom_id"]},
                  {"response", {{"status_code", 500}}}}
                 .dump() +
             '\n';
  const auto s = import_link_batch(write("results.jsonl", results), manifest, config_.model,
                                   prompt_.sha256(), journal());
  EXPECT_EQ(s.lines, 5);
  EXPECT_EQ(s.answers, 2);
  EXPECT_EQ(s.question_problems, 1);
  EXPECT_EQ(s.bad_lines, 2);
  EXPECT_EQ(s.failed_requests, 1);

  LinkBatch again;
  const auto answers = link_mentions(input(&again), stats);
  EXPECT_EQ(stats.from_journal, 2);
  EXPECT_EQ(stats.exported, 1);  // only the unreadable one is exported again
  EXPECT_TRUE(answers[0].answered);
  EXPECT_EQ(answers[0].entity, 0);
  EXPECT_EQ(answers[0].words, "brolly");
  EXPECT_TRUE(answers[1].answered);
  EXPECT_EQ(answers[1].entity, -1);
  EXPECT_FALSE(answers[2].answered);
  EXPECT_NE(again.requests.find("香波"), std::string::npos);
}

TEST_F(LinkBatchTest, AnAnswerForAnotherPromptIsNotReplayed) {
  LinkBatch batch;
  LinkStats stats;
  link_mentions(input(&batch), stats);
  const std::string results = answer_all(batch, [](const std::string&) -> json {
    return {{"entity", "none"}};
  });
  import_link_batch(write("r.jsonl", results), write("m.jsonl", batch.manifest), config_.model,
                    "another prompt", journal());
  LinkBatch again;
  link_mentions(input(&again), stats);
  EXPECT_EQ(stats.from_journal, 0);
  EXPECT_EQ(stats.exported, 3);
}

TEST_F(LinkBatchTest, ABrokenManifestNamesItsLine) {
  const std::string manifest = write("m.jsonl", "{\"custom_id\": \"a\", \"questions\": []}\n{}\n");
  try {
    import_link_batch(write("r.jsonl", ""), manifest, "m", "p", journal());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.jsonl:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(import_link_batch(write("r.jsonl", ""), path("absent"), "m", "p", journal()),
               IoError);
}

}  // namespace
}  // namespace kerec::llm
