// The simulator's logic: answers depend only on the pair and the seed, its responses follow the
// chat-completions schema, and faults come at their rates. Also the client's classification of
// responses (retry, fatal, Retry-After).
#include <gtest/gtest.h>

#include <fstream>

#include "kerec/llm/client.h"
#include "kerec/llm/prompt.h"
#include "kerec/llm/sim.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A world of 40 entities e0..e39; e(i) -> e(i+1) are complements.
struct SmallWorld {
  fs::path dir = fs::temp_directory_path() / ("kerec-simworld-" + std::to_string(::getpid()));
  SmallWorld() {
    fs::create_directories(dir / "truth");
    std::ofstream e(dir / "entities.tsv"), c(dir / "truth" / "complements.tsv"),
        it(dir / "truth" / "item_entities.tsv");
    e << "entity_id\tname\taliases\tcategory\n";
    c << "a\tb\tstrength\n";
    it << "item_id\tentity_id\n";
    for (int i = 0; i < 40; ++i) {
      e << i << "\tthing " << i << "\t\tcat\n";
      if (i + 1 < 40) c << i << "\t" << i + 1 << "\t0.8\n";
      for (int k = 0; k < (i < 20 ? 5 : 1); ++k) it << i * 10 + k << "\t" << i << "\n";
    }
  }
  ~SmallWorld() { fs::remove_all(dir); }
};

std::string request(const std::vector<PromptPair>& pairs,
                    ResponseFormat format = ResponseFormat::kJsonSchema) {
  const PromptTemplate t =
      PromptTemplate::load(std::string(KEREC_SOURCE_DIR) + "/data/prompts/judge_v1.txt");
  return chat_request(t, pairs, {"kerec-sim-1", 512, 0.0, format}).dump();
}

std::string name(int i) { return "thing " + std::to_string(i); }

TEST(Sim, AnswersDependOnlyOnThePairAndTheSeed) {
  SmallWorld w;
  SimWorld world(w.dir);
  SimService one(world, {}), other(world, {});
  std::vector<PromptPair> forward, backward;
  for (int i = 0; i < 39; ++i) forward.push_back({std::to_string(i + 1), name(i), name(i + 1)});
  for (int i = 38; i >= 0; --i) backward.push_back({std::to_string(39 - i), name(i), name(i + 1)});
  auto verdicts = [](SimService& s, const std::string& body) {
    std::map<std::string, std::string> out;  // by reason text, which names the pair
    const json content = json::parse(
        json::parse(s.chat(body).body)["choices"][0]["message"]["content"].get<std::string>());
    for (const auto& v : content["verdicts"]) out[v["reason"]] = v["verdict"];
    return out;
  };
  other.chat(request({{"1", name(3), name(4)}}));  // a different request order
  EXPECT_EQ(verdicts(one, request(forward)), verdicts(other, request(backward)));
  int yes = 0;
  for (int i = 0; i < 39; ++i) yes += one.answer(name(i), name(i + 1)).verdict == Verdict::kYes;
  EXPECT_GT(yes, 25);  // fn_rate 0.1 (x3 for rare): most true pairs are found
  SimOptions seeded;
  seeded.seed = 99;
  seeded.fn_rate = 0.3;
  SimService third(world, seeded);
  int differ = 0;
  for (int i = 0; i < 39; ++i)
    differ +=
        third.answer(name(i), name(i + 1)).verdict != one.answer(name(i), name(i + 1)).verdict;
  EXPECT_GT(differ, 0);
}

// The response follows the chat-completions schema: fields, types, finish_reason, usage.
TEST(Conformance, SimulatorResponseFollowsTheChatCompletionsSchema) {
  SmallWorld w;
  SimWorld world(w.dir);
  SimService sim(world, {});
  const SimReply reply = sim.chat(request({{"1", name(1), name(2)}, {"2", name(5), name(9)}}));
  ASSERT_EQ(reply.status, 200);
  const json r = json::parse(reply.body);
  EXPECT_TRUE(r["id"].is_string());
  EXPECT_EQ(r["object"], "chat.completion");
  EXPECT_TRUE(r["created"].is_number_integer());
  EXPECT_TRUE(r["model"].is_string());
  ASSERT_TRUE(r["choices"].is_array());
  ASSERT_EQ(r["choices"].size(), 1u);
  const json& c = r["choices"][0];
  EXPECT_EQ(c["index"], 0);
  EXPECT_EQ(c["message"]["role"], "assistant");
  EXPECT_TRUE(c["message"]["content"].is_string());
  EXPECT_TRUE(c["finish_reason"] == "stop" || c["finish_reason"] == "length");
  for (const char* k : {"prompt_tokens", "completion_tokens", "total_tokens"})
    EXPECT_TRUE(r["usage"][k].is_number_integer()) << k;
  EXPECT_EQ(
      r["usage"]["total_tokens"].get<int64_t>(),
      r["usage"]["prompt_tokens"].get<int64_t>() + r["usage"]["completion_tokens"].get<int64_t>());
  const auto parsed = parse_answer(c["message"]["content"].get<std::string>(), {"1", "2"});
  EXPECT_EQ(parsed.verdicts.size(), 2u);
  EXPECT_EQ(sim.chat("{\"messages\": 3}").status, 400);
  EXPECT_TRUE(json::parse(sim.models())["data"][0]["id"].is_string());
}

TEST(Sim, FaultsComeAtTheirRatesAndCountInStats) {
  SmallWorld w;
  SimWorld world(w.dir);
  SimOptions o;
  o.rate_429 = 0.2, o.rate_503 = 0.1, o.rate_malformed = 0.1, o.rate_close = 0.05;
  SimService sim(world, o);
  std::map<SimFault, int> seen;
  const std::string body = request({{"1", name(1), name(2)}});
  for (int i = 0; i < 2000; ++i) {
    const SimReply r = sim.chat(body);
    ++seen[r.fault];
    if (r.fault == SimFault::k429) {
      EXPECT_EQ(r.status, 429);
      EXPECT_EQ(r.headers.at(0).first, "retry-after-ms");
    }
    if (r.fault == SimFault::kMalformed) {
      EXPECT_EQ(r.status, 200);
      EXPECT_FALSE(
          parse_answer(json::parse(r.body)["choices"][0]["message"]["content"].get<std::string>(),
                       {"1"})
              .problems.empty());
    }
  }
  EXPECT_NEAR(seen[SimFault::k429] / 2000.0, 0.2, 0.04);
  EXPECT_NEAR(seen[SimFault::k503] / 2000.0, 0.1, 0.03);
  EXPECT_NEAR(seen[SimFault::kClose] / 2000.0, 0.05, 0.02);
  const json stats = sim.stats();
  EXPECT_EQ(stats["chat_requests"], 2000);
  EXPECT_EQ(stats["pairs_asked"], 2000);
  EXPECT_EQ(stats["pairs_distinct"], 1);
}

HttpResponse response(long status, std::string body,
                      std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status, r.body = std::move(body), r.headers = std::move(headers);
  return r;
}

TEST(Classify, RetriesTransientErrorsAndStopsOnFatalOnes) {
  using K = Outcome::Kind;
  EXPECT_EQ(classify(response(429, "{}", {{"retry-after-ms", "250"}}), "K").retry_after_ms, 250);
  EXPECT_EQ(classify(response(429, "{}", {{"retry-after", "2"}}), "K").retry_after_ms, 2000);
  EXPECT_EQ(classify(response(429, "{}"), "K").kind, K::kRetry);
  EXPECT_EQ(classify(response(503, "{}"), "K").cause, "http_5xx");
  EXPECT_EQ(classify(response(408, "{}"), "K").kind, K::kRetry);
  EXPECT_EQ(classify(response(200, "not json"), "K").cause, "bad_response");
  const Outcome quota = classify(
      response(
          429,
          R"({"error":{"message":"You exceeded your current quota","code":"insufficient_quota"}})"),
      "K");
  EXPECT_EQ(quota.kind, K::kFatal);
  EXPECT_NE(quota.cause.find("quota"), std::string::npos);
  const Outcome auth =
      classify(response(401, R"({"error":{"message":"Incorrect API key"}})"), "MY_KEY_VAR");
  EXPECT_EQ(auth.kind, K::kFatal);
  EXPECT_NE(auth.cause.find("MY_KEY_VAR"), std::string::npos);
  EXPECT_EQ(classify(response(400, R"({"error":{"message":"bad"}})"), "K").kind, K::kFatal);
  HttpResponse timeout;
  timeout.curl_code = 28, timeout.timed_out = true;
  EXPECT_EQ(classify(timeout, "K").cause, "timeout");
  HttpResponse reset;
  reset.curl_code = 56;
  EXPECT_EQ(classify(reset, "K").cause, "connection");
}

TEST(Classify, OnlyA400Or422AboutTheResponseFormatIsAFormatRejection) {
  HttpResponse r = response(
      400,
      R"({"error":{"message":"Invalid parameter","type":"invalid_request_error","param":"response_format"}})");
  EXPECT_EQ(classify(r, "K").kind, Outcome::Kind::kFormatRejected);
  r.status = 422;
  r.body = R"({"detail":"json_schema is not supported by this backend"})";
  EXPECT_EQ(classify(r, "K").kind, Outcome::Kind::kFormatRejected);
  r.status = 400;
  r.body = R"({"error":{"message":"max_tokens is too large","param":"max_tokens"}})";
  EXPECT_EQ(classify(r, "K").kind, Outcome::Kind::kFatal);
  r.status = 503;
  r.body = R"({"error":{"message":"response_format backend overloaded"}})";
  EXPECT_EQ(classify(r, "K").kind, Outcome::Kind::kRetry);
}

// A server that takes only some response_format types answers the others 400, naming
// response_format (which the client classifies as kFormatRejected), and counts both.
TEST(Sim, RejectsTheResponseFormatsItDoesNotTake) {
  SmallWorld w;
  SimWorld world(w.dir);
  SimOptions o;
  o.response_formats = {"json_object", "none"};
  SimService sim(world, o);
  const SimReply rejected = sim.chat(request({{"1", name(1), name(2)}}));
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(json::parse(rejected.body)["error"]["param"], "response_format");
  EXPECT_EQ(classify(response(rejected.status, rejected.body), "K").kind,
            Outcome::Kind::kFormatRejected);
  for (ResponseFormat f : {ResponseFormat::kJsonObject, ResponseFormat::kNone})
    EXPECT_EQ(sim.chat(request({{"1", name(1), name(2)}}, f)).status, 200)
        << response_format_name(f);
  const json stats = sim.stats();
  EXPECT_EQ(stats["format_rejected"]["json_schema"], 1);
  EXPECT_EQ(stats["requests_by_format"]["json_object"], 1);
  EXPECT_EQ(stats["requests_by_format"]["none"], 1);
}

}  // namespace
}  // namespace kerec::llm
