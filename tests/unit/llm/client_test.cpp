// The client against a kerec-llm-sim child process: every call ends exactly once (answered, or
// failed with its cause after max_attempts); failures are retried and counted by cause; when most
// recent requests fail the circuit breaker opens. No durations are asserted.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "kerec/llm/client.h"
#include "kerec/llm/prompt.h"
#include "kerec/llm/sim_process.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;

struct World {
  fs::path dir = fs::temp_directory_path() / ("kerec-client-" + std::to_string(::getpid()));
  World() {
    fs::create_directories(dir / "truth");
    std::ofstream(dir / "entities.tsv")
        << "entity_id\tname\taliases\tcategory\n1\tphone\t\tx\n2\tphone case\t\tx\n";
    std::ofstream(dir / "truth" / "complements.tsv") << "a\tb\tstrength\n1\t2\t0.9\n";
  }
  ~World() { fs::remove_all(dir); }
};

std::vector<CallResult> run_calls(Client& client, int calls,
                                  ResponseFormat format = ResponseFormat::kJsonSchema) {
  const PromptTemplate t =
      PromptTemplate::load(std::string(KEREC_SOURCE_DIR) + "/data/prompts/judge_v1.txt");
  const std::string body =
      chat_request(t, {{"1", "phone", "phone case"}}, {"kerec-sim-1", 256, 0.0, format}).dump();
  for (int i = 0; i < calls; ++i) client.enqueue({static_cast<uint64_t>(i), body, 100});
  std::vector<CallResult> done;
  while (client.pending() > 0)
    for (auto& r : client.step(std::chrono::milliseconds(50))) done.push_back(std::move(r));
  return done;
}

LlmConfig fast_config(const std::string& url) {
  LlmConfig c;
  c.base_url = url;
  c.backoff_base_ms = 1, c.backoff_max_ms = 5, c.retry_after_max_ms = 5;
  c.in_flight_per_rank = 4;
  return c;
}

TEST(Client, EveryCallEndsOnceAndRetriesAreCountedByCause) {
  World w;
  SimulatorProcess sim(find_simulator(), w.dir.string(),
                       {"--latency-median-ms", "1", "--rate-429", "0.2", "--retry-after-ms", "1",
                        "--rate-503", "0.1", "--rate-close", "0.05"});
  LlmConfig c = fast_config(sim.base_url());
  c.max_attempts = 20;
  c.breaker_window = 1000;
  Client client(c, "", 1);
  const auto done = run_calls(client, 60);
  ASSERT_EQ(done.size(), 60u);
  std::set<uint64_t> tags;
  for (const auto& r : done) {
    tags.insert(r.tag);
    EXPECT_TRUE(r.ok) << r.cause;
  }
  EXPECT_EQ(tags.size(), 60u);
  const ClientStats& s = client.stats();
  EXPECT_EQ(s.http_calls, 60 + s.retries);
  EXPECT_GT(s.retries_by_cause.at("http_429"), 0);
  int64_t by_cause = 0;
  for (const auto& [cause, n] : s.retries_by_cause) by_cause += n;
  EXPECT_EQ(by_cause, s.retries);
}

TEST(Client, GivesUpAfterMaxAttemptsAndOpensTheBreaker) {
  World w;
  SimulatorProcess sim(find_simulator(), w.dir.string(),
                       {"--latency-median-ms", "0", "--rate-503", "1.0"});
  LlmConfig c = fast_config(sim.base_url());
  c.max_attempts = 3;
  c.breaker_window = 4;
  c.breaker_failure_share = 0.5;
  c.breaker_cooldown_ms = 5;
  Client client(c, "", 1);
  const auto done = run_calls(client, 5);
  ASSERT_EQ(done.size(), 5u);
  for (const auto& r : done) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.cause, "http_5xx");
    EXPECT_EQ(r.attempts, 3);
  }
  EXPECT_EQ(client.stats().http_calls, 15);
  EXPECT_EQ(client.stats().failed_calls, 5);
  EXPECT_GE(client.stats().breaker_opens, 1);
}

// A rank with nothing to ask stops its simulator the moment it listens; SIGTERM must end it even
// before its server loop runs (it used to be lost there, and the rank waited forever).
TEST(SimulatorProcess, StopsOnSigtermSentAsSoonAsItListens) {
  World w;
  for (int i = 0; i < 30; ++i) {
    SimulatorProcess sim(find_simulator(), w.dir.string(), {});
    EXPECT_TRUE(sim.stop()) << "run " << i;
  }
}

TEST(Client, AWrongPathIsFatal) {
  World w;
  SimulatorProcess sim(find_simulator(), w.dir.string(), {"--latency-median-ms", "0"});
  std::string url = sim.base_url();
  url.replace(url.size() - 3, 3, "/v9");
  Client client(fast_config(url), "", 1);
  EXPECT_THROW(run_calls(client, 2), LlmFatalError);
}

// A server that does not take the response_format asked for: the call ends at once with
// kFormatRejected and the server's text (no retry, no exception); another mode is answered.
TEST(Client, ARejectedResponseFormatEndsTheCallWithoutRetrying) {
  World w;
  SimulatorProcess sim(find_simulator(), w.dir.string(),
                       {"--latency-median-ms", "0", "--response-formats", "none"});
  Client client(fast_config(sim.base_url()), "", 1);
  const auto rejected = run_calls(client, 3, ResponseFormat::kJsonObject);
  ASSERT_EQ(rejected.size(), 3u);
  for (const auto& r : rejected) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.cause, kFormatRejected);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_NE(r.body.find("json_object"), std::string::npos) << r.body;
  }
  EXPECT_EQ(client.stats().retries, 0);
  const auto answered = run_calls(client, 2, ResponseFormat::kNone);
  for (const auto& r : answered) EXPECT_TRUE(r.ok) << r.cause;
}

}  // namespace
}  // namespace kerec::llm
