// Linking's request, the reading of answers and the simulator's answers from the world's truth
// (llm/link.h, llm/sim.h).
#include "kerec/llm/link.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "kerec/llm/sim.h"
#include "kerec/util/error.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ParseLinkAnswer, ReadsEveryAskedIdAndNamesWhatIsWrong) {
  const auto p = parse_link_answer(
      R"({"links": [{"id": "1", "entity": "雨伞", "words": "晴雨伞", "confidence": 0.8},
                    {"id": 2, "entity": "none", "words": ""},
                    {"id": "3", "entity": 7},
                    {"id": "9", "entity": "x"}]})",
      {"1", "2", "3", "4"});
  ASSERT_EQ(p.links.size(), 2u);
  EXPECT_EQ(p.links.at("1").entity, "雨伞");
  EXPECT_EQ(p.links.at("1").words, "晴雨伞");
  EXPECT_FLOAT_EQ(p.links.at("1").confidence, 0.8f);
  EXPECT_EQ(p.links.at("2").entity, "none");
  EXPECT_FLOAT_EQ(p.links.at("2").confidence, 0.5f);  // missing
  EXPECT_EQ(p.problems.at("3"), "malformed link: entity is not text");
  EXPECT_EQ(p.problems.at("4"), "missing link");
  EXPECT_EQ(p.unknown_ids, 1);
}

TEST(ParseLinkAnswer, FindsTheObjectInProseAndRefusesDuplicatesAndBadJson) {
  const auto fenced = parse_link_answer(
      "Here you go:\n```json\n{\"links\": [{\"id\": \"1\", \"entity\": \"a\"}, {\"id\": \"1\", "
      "\"entity\": \"b\"}]}\n```",
      {"1"});
  EXPECT_TRUE(fenced.links.empty());
  EXPECT_EQ(fenced.problems.at("1"), "duplicated link");
  EXPECT_EQ(parse_link_answer("{\"links\": [", {"1"}).problems.at("1"), "malformed JSON");
  EXPECT_EQ(parse_link_answer("{\"verdicts\": []}", {"1"}).problems.at("1"), "no \"links\" array");
}

TEST(CandidateOf, MatchesExactlyThenIgnoringCaseAndSaysNone) {
  const std::vector<std::string> c = {"Phone Case", "phone", "雨伞"};
  EXPECT_EQ(candidate_of("phone", c), 1);
  EXPECT_EQ(candidate_of(" PHONE case ", c), 0);
  EXPECT_EQ(candidate_of("雨伞", c), 2);
  EXPECT_EQ(candidate_of("None", c), -1);
  EXPECT_EQ(candidate_of("", c), -1);
  EXPECT_EQ(candidate_of("umbrella", c), -2);
}

PromptTemplate link_prompt() {
  return PromptTemplate::load(std::string(KEREC_SOURCE_DIR) + "/data/prompts/link_v1.txt",
                              "{{mentions}}");
}

TEST(LinkRequest, CarriesOneLinePerQuestionAndTheSchema) {
  const std::vector<LinkLine> lines = {
      {"1", "brolly", {"red brolly xl"}, {"umbrella", "rain coat"}}, {"2", "晴雨伞", {}, {"雨伞"}}};
  const json body =
      link_request(link_prompt(), lines, {"m", 512, 0.0, ResponseFormat::kJsonSchema});
  const std::string user = body["messages"][1]["content"].get<std::string>();
  EXPECT_NE(
      user.find(
          R"({"candidates":["umbrella","rain coat"],"examples":["red brolly xl"],"id":"1","mention":"brolly"})"),
      std::string::npos);
  EXPECT_NE(user.find("following 2 mentions"), std::string::npos);
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "links");
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"], link_schema());
  EXPECT_THROW(PromptTemplate("[system]\ns\n[user]\n{{pairs}}\n", "t", "{{mentions}}"), InputError);
}

// A world with a name, a dictionary alias, an unseen alias and a misspelt title.
struct LinkWorld {
  fs::path dir = fs::temp_directory_path() / ("kerec-linkworld-" + std::to_string(::getpid()));
  LinkWorld() {
    fs::create_directories(dir / "truth");
    std::ofstream(dir / "entities.tsv") << "entity_id\tname\taliases\tcategory\n"
                                           "u\tumbrella\tparasol\tc\n"
                                           "s\t洗发水\t\tc\n"
                                           "b\t蓝莓黄油\t\tc\n"
                                           "h\t黄油\t\tc\n";
    std::ofstream(dir / "truth" / "complements.tsv") << "a\tb\tstrength\n";
    std::ofstream(dir / "truth" / "unseen_aliases.tsv") << "entity_id\talias\n"
                                                           "u\tbrolly\n"
                                                           "s\t香波\n"
                                                           "b\t蓝莓动物黄油\n";
    std::ofstream(dir / "items.tsv") << "item_id\ttitle\tcategory\n"
                                        "i1\t天然洗着水500ml\tc\n";
    std::ofstream(dir / "bills.tsv") << "user_id\tts\ttext\tamount\n"
                                        "1\t0\t天天便利-黄油1件\t1\n";
    std::ofstream(dir / "truth" / "mentions.tsv") << "source\tkey\tstart\tend\tentity_id\tkind\n"
                                                     "item\ti1\t2\t5\ts\tmisspelling\n"
                                                     "bill\t2\t5\t7\th\tname\n";
  }
  ~LinkWorld() { fs::remove_all(dir); }
};

TEST(SimLink, AnswersFromTheTruthAmongTheCandidates) {
  LinkWorld w;
  const SimWorld world(w.dir);
  SimOptions o;
  o.link_wrong_rate = 0, o.link_miss_rate = 0;
  const SimService sim(world, o);
  EXPECT_EQ(sim.link("brolly", {"parasol", "umbrella"})["entity"], "umbrella");
  EXPECT_EQ(sim.link("Brolly", {"rain coat"})["entity"], "none");  // the truth is no candidate
  EXPECT_EQ(sim.link("香波", {"洗发水"})["entity"], "洗发水");
  EXPECT_EQ(sim.link("洗着水", {"洗发水"})["entity"], "洗发水");  // a misspelling it equals
  EXPECT_EQ(sim.link("蓝莓动物黄油", {"黄油", "蓝莓黄油"})["entity"], "蓝莓黄油");
  EXPECT_EQ(sim.link("蓝莓低脂黄油", {"蓝莓黄油", "黄油"})["entity"], "黄油");  // the name inside
  // A text of the world is read as its gold mentions say: the misspelling and its words.
  const json t = sim.link("天然洗着水500ml", {"黄油", "洗发水"});
  EXPECT_EQ(t["entity"], "洗发水");
  EXPECT_EQ(t["words"], "洗着水");
  EXPECT_EQ(sim.link("天天便利-黄油1件", {"黄油"})["words"], "黄油");
  EXPECT_EQ(sim.link("nothing known", {"黄油"})["entity"], "none");
}

TEST(SimLink, ErrsAtItsRatesAndDependsOnlyOnTheMention) {
  LinkWorld w;
  const SimWorld world(w.dir);
  SimOptions o;
  o.link_wrong_rate = 0.3, o.link_miss_rate = 0.3, o.rare_factor = 1;
  const SimService sim(world, o);
  int right = 0, wrong = 0, none = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string mention = "brolly x" + std::to_string(i);
    const json a = sim.link(mention, {"umbrella", "rain coat"});
    EXPECT_EQ(a, sim.link(mention, {"umbrella", "rain coat"}));
    right += a["entity"] == "umbrella", wrong += a["entity"] == "rain coat",
        none += a["entity"] == "none";
  }
  EXPECT_NEAR(right / 400.0, 0.4, 0.08);
  EXPECT_NEAR(wrong / 400.0, 0.3, 0.08);
  EXPECT_NEAR(none / 400.0, 0.3, 0.08);
}

TEST(SimLink, AnswersALinkRequestWithALinksDocument) {
  LinkWorld w;
  const SimWorld world(w.dir);
  SimOptions o;
  o.link_wrong_rate = 0, o.link_miss_rate = 0, o.latency_median_ms = 0;
  SimService sim(world, o);
  const json body = link_request(link_prompt(), {{"1", "香波", {}, {"洗发水", "黄油"}}},
                                 {"m", 512, 0.0, ResponseFormat::kJsonSchema});
  const SimReply reply = sim.chat(body.dump());
  ASSERT_EQ(reply.status, 200);
  const json content =
      json::parse(json::parse(reply.body)["choices"][0]["message"]["content"].get<std::string>());
  const auto parsed = parse_link_answer(content.dump(), {"1"});
  EXPECT_EQ(parsed.links.at("1").entity, "洗发水");
  EXPECT_EQ(sim.stats()["link_questions"], 1);
}

}  // namespace
}  // namespace kerec::llm
