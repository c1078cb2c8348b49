// The recall channels, the merge and its ranking, explanations; serving.h5 round trip and refusal
// of a damaged file.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fstream>
#include <iterator>

#include "../../support/temp_dir_test.h"
#include "../train/synthetic.h"
#include "kerec/recall/recommender.h"
#include "kerec/util/error.h"

namespace kerec::recall::test {
namespace {

using train::test::graph_of;

// 5 entities, item i of entity i % 5 (10 items); complements 0 -> 2 (w 2), 0 -> 3 (w 0.5), 1 -> 4;
// substitutes 2 ~ 3; the items of an entity ordered by index.
ServingModel tiny_model() {
  ServingModel m;
  m.entity_ids = {"e0", "e1", "e2", "e3", "e4"};
  m.entity_names = {"phone", "tent", "phone case", "screen protector", "sleeping bag"};
  for (int32_t i = 0; i < 10; ++i) {
    m.items.ids.push_back("i" + std::to_string(i));
    m.items.price_bucket.push_back(i % 3), m.items.cold_start.push_back(0);
    m.items.entities.push({i % 5});
  }
  m.items.num_entities = 5;
  for (int32_t e = 0; e < 5; ++e) {
    m.entity_item.push_back(e), m.entity_item.push_back(e + 5);
    m.entity_item_score.push_back(2), m.entity_item_score.push_back(1);
    m.entity_item_offsets.push_back(static_cast<int64_t>(m.entity_item.size()));
  }
  m.complements.graph = graph_of({{0, 2, 2.0f}, {0, 3, 0.5f}, {1, 4, 1.0f}}, 5);
  m.complements.recency = {1.0, 1.0, 0.5, 0.5, 0.25};
  m.complements.window_h = 48;
  m.confidence = {0.9f, 0.6f, 0.8f};
  for (const char* why : {"a phone needs a case", "protects the screen", "camping needs sleep"})
    m.reason_bytes += why, m.reason_end.push_back(static_cast<int64_t>(m.reason_bytes.size()));
  m.substitutes = graph_of({{2, 3, 1.0f}, {3, 2, 1.0f}}, 5);
  m.popular = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  train::RankerShape shape{10, 5, 7, 3, 3, 4, {6}, 0.0, train::kEeiFeatures};
  m.ranker = std::make_unique<train::RankerModel>(shape, 3);
  m.recent_bills = 5, m.bill_window_days = 30;
  m.root.llm_model = "sim", m.root.prompt_sha256 = "abc";
  for (size_t e = 0; e < m.entity_ids.size(); ++e)
    m.extractor.entities.push_back(
        {m.entity_ids[e], m.entity_names[e], {}, "c", static_cast<int64_t>(e) + 2});
  // Two users (keys ascending): 3 with a bill of e1 and clicks on e2, e0; 9 with nothing.
  m.users.keys = {3, 9};
  m.users.bill_offsets = {0, 1, 1}, m.users.bill_entity = {1}, m.users.bill_ts = {1000};
  m.users.click_offsets = {0, 2, 2}, m.users.click_entity = {2, 0};
  m.users.logs_end_ts = 5000;
  return m;
}

std::vector<int32_t> items_of(const std::vector<Candidate>& c) {
  std::vector<int32_t> out;
  for (const auto& x : c) out.push_back(x.item);
  return out;
}

TEST(Recommender, U2E2IFollowsTheLearnedBoostAndExplainsEveryItem) {
  const auto m = tiny_model();
  Recommender rec(m);
  UserState user{17, {{0, 1.0}}, {}};
  Request req;
  req.items_per_entity = 2;
  const auto c = rec.channel(Channel::kU2E2I, user, req);
  EXPECT_EQ(items_of(c), (std::vector<int32_t>{2, 7, 3, 8}));  // entity 2 (boost 2) before 3 (0.5)
  EXPECT_EQ(c[0].why.bill_entity, 0);
  EXPECT_EQ(c[0].why.complement, 2);
  EXPECT_FLOAT_EQ(c[0].why.weight, 2.0f);
  EXPECT_EQ(m.reason(c[0].why.edge), "a phone needs a case");
  EXPECT_EQ(m.reason(c[2].why.edge), "protects the screen");
  user.bills = {{0, 60.0}};  // older than the 48 h window
  EXPECT_TRUE(rec.channel(Channel::kU2E2I, user, req).empty());
}

TEST(Recommender, InterestSubstituteAndPopularChannels) {
  const auto m = tiny_model();
  Recommender rec(m);
  const UserState user{17, {}, {2, 1}};
  Request req;
  req.per_channel = 3;
  EXPECT_EQ(items_of(rec.channel(Channel::kInterest, user, req)), (std::vector<int32_t>{2, 7, 1}));
  EXPECT_EQ(items_of(rec.channel(Channel::kSubstitute, user, req)), (std::vector<int32_t>{3, 8}));
  EXPECT_EQ(items_of(rec.channel(Channel::kPopular, user, req)), (std::vector<int32_t>{9, 8, 7}));
}

TEST(Recommender, MergeIsRankedDistinctAndOnlyWithU2E2IWhenAsked) {
  const auto m = tiny_model();
  Recommender rec(m);
  const UserState user{17, {{1, 2.0}}, {}};
  Request req;
  req.k = 4, req.per_channel = 4;  // u2e2i {4, 9} and popular {9, 8, 7, 6}: 5 candidates
  const auto top = rec.recommend(user, req);
  ASSERT_EQ(top.size(), 4u);
  for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1].score, top[i].score);
  auto ids = items_of(top);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  req.u2e2i = false;  // popular alone, with the whole budget: 4 * 4 / 3 = 5 candidates
  const auto without = rec.recommend(user, req);
  ASSERT_EQ(without.size(), 4u);
  for (const auto& c : without) EXPECT_EQ(c.channel, Channel::kPopular);
}

class ServingFile : public kerec::test::TempDirTest {};

TEST_F(ServingFile, RoundTrip) {
  const auto m = tiny_model();
  write_serving_file(path("serving.h5"), m, "sha");
  const auto r = read_serving_file(path("serving.h5"));
  EXPECT_EQ(r.entity_names, m.entity_names);
  EXPECT_EQ(r.items.ids, m.items.ids);
  EXPECT_EQ(r.entity_item, m.entity_item);
  EXPECT_EQ(r.complements.graph.weights, m.complements.graph.weights);
  EXPECT_EQ(r.reason(1), "protects the screen");
  EXPECT_EQ(r.popular, m.popular);
  EXPECT_EQ(r.root.llm_model, "sim");
  EXPECT_EQ(r.ranker->params().table(0).weight, m.ranker->params().table(0).weight);
  EXPECT_EQ(r.users.keys, m.users.keys);
  EXPECT_EQ(r.users.click_entity, m.users.click_entity);
  EXPECT_EQ(r.users.logs_end_ts, 5000);
  EXPECT_EQ(r.users.find(9), 1);
  EXPECT_EQ(r.users.find(4), -1);
  EXPECT_EQ(r.extractor.entities.size(), 5u);
  const UserState user{17, {{0, 1.0}}, {3}};
  Request req;
  EXPECT_EQ(items_of(Recommender(r).recommend(user, req)),
            items_of(Recommender(m).recommend(user, req)));
}

TEST(Recommender, ThreadsShareOneRecommender) {
  const auto m = tiny_model();
  const Recommender rec(m);
  Request req;
  std::vector<UserState> users;
  for (uint64_t u = 0; u < 8; ++u)
    users.push_back({u * 7919, {{static_cast<int32_t>(u % 2), 1.0 + u}}, {3}});
  std::vector<std::vector<Candidate>> want;
  for (const auto& u : users) want.push_back(rec.recommend(u, req));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 200; ++round)
        for (size_t u = 0; u < users.size(); ++u) {
          const auto got = rec.recommend(users[u], req);
          bool same = got.size() == want[u].size();
          for (size_t i = 0; same && i < got.size(); ++i)
            same = got[i].item == want[u][i].item && got[i].score == want[u][i].score;
          mismatches += !same;
        }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(ServingFile, ADamagedDatasetIsRefusedByName) {
  auto m = tiny_model();
  m.complements.graph.weights = {1234.5f, 0.5f, 1.0f};  // a float pattern to find in the file
  write_serving_file(path("serving.h5"), m, "sha");
  std::string bytes;
  {
    std::ifstream in(path("serving.h5"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const float marker = 1234.5f;
  const auto at = bytes.find(std::string(reinterpret_cast<const char*>(&marker), sizeof marker));
  ASSERT_NE(at, std::string::npos);
  bytes[at] ^= 0x01;
  std::ofstream(path("serving.h5"), std::ios::binary) << bytes;
  try {
    read_serving_file(path("serving.h5"));
    FAIL() << "a damaged serving.h5 was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/complements/weight does not match its checksum"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kerec::recall::test
