// The behaviour model, checked from the written files and the truth only.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "world_test_util.h"

namespace kerec::world {
namespace {

using test::read_tsv;

struct Logs {
  int64_t train_end_ts = 0;
  std::map<std::string, int64_t> item_created, item_entity;
  std::set<std::pair<int64_t, int64_t>> complements;                  // (a, b)
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> bills;  // user -> (ts, entity)
  std::vector<std::vector<std::string>> exposures;
};

Logs load(const std::filesystem::path& d) {
  Logs l;
  l.train_end_ts =
      nlohmann::json::parse(test::read_file(d / "truth/behaviour.json"))["train_end_ts"];
  for (const auto& r : read_tsv(d / "items.tsv")) {
    if (r[0] != "item_id") l.item_created[r[0]] = std::stoll(r[4]);
  }
  for (const auto& r : read_tsv(d / "truth/item_entities.tsv")) {
    if (r[0] != "item_id") l.item_entity[r[0]] = std::stoll(r[1]);
  }
  for (const auto& r : read_tsv(d / "truth/complements.tsv")) {
    if (r[0] != "a") l.complements.emplace(std::stoll(r[0]), std::stoll(r[1]));
  }
  const auto bills = read_tsv(d / "bills.tsv");
  for (const auto& m : read_tsv(d / "truth/mentions.tsv")) {
    if (m[0] != "bill") continue;
    const auto& bill = bills.at(std::stoul(m[1]) - 1);
    l.bills[std::stoll(bill[0])].emplace_back(std::stoll(bill[1]), std::stoll(m[4]));
  }
  l.exposures = read_tsv(d / "exposures.tsv");
  l.exposures.erase(l.exposures.begin());
  return l;
}

class WorldBehaviourTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(test::temp_dir("behaviour") / "world");
    test::generate_local(test::small_config(*dir_));
    logs_ = new Logs(load(*dir_));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(dir_->parent_path());
    delete dir_;
    delete logs_;
  }
  static std::filesystem::path* dir_;
  static Logs* logs_;
};
std::filesystem::path* WorldBehaviourTest::dir_ = nullptr;
Logs* WorldBehaviourTest::logs_ = nullptr;

TEST_F(WorldBehaviourTest, ItemsAreOnlyExposedAfterCreationAndColdStartOnlyInTest) {
  const Logs& l = *logs_;
  int64_t cold_exposures = 0;
  for (const auto& e : l.exposures) {
    const int64_t ts = std::stoll(e[1]), created = l.item_created.at(e[2]);
    EXPECT_GE(ts, created) << "item " << e[2];
    if (created >= l.train_end_ts) {
      EXPECT_GE(ts, l.train_end_ts);
      ++cold_exposures;
    }
  }
  EXPECT_GT(cold_exposures, 0);
}

TEST_F(WorldBehaviourTest, ExposuresHaveValidScenesAndConsistentOutcomes) {
  std::set<std::string> scenes;
  for (const auto& e : logs_->exposures) {
    scenes.insert(e[3]);
    const bool clicked = e[4] == "1", converted = e[5] == "1";
    EXPECT_TRUE(clicked || !converted);
    EXPECT_EQ(converted, std::stod(e[6]) > 0.0);
  }
  EXPECT_EQ(scenes, (std::set<std::string>{"home", "search", "post_payment"}));
}

// Click-through rate of exposures whose item's entity b truly complements an entity a the user
// paid for in the preceding 48 hours, against all other exposures.
TEST_F(WorldBehaviourTest, ComplementaryBoostRaisesClickRate) {
  const Logs& l = *logs_;
  double boosted = 0, boosted_clicks = 0, other = 0, other_clicks = 0;
  for (const auto& e : l.exposures) {
    const int64_t ts = std::stoll(e[1]), b = l.item_entity.at(e[2]);
    bool hit = false;
    const auto it = l.bills.find(std::stoll(e[0]));
    if (it != l.bills.end()) {
      for (const auto& [bill_ts, a] : it->second)
        hit |= bill_ts <= ts && ts - bill_ts <= 48 * 3600 && l.complements.count({a, b});
    }
    const double click = e[4] == "1";
    (hit ? boosted : other) += 1;
    (hit ? boosted_clicks : other_clicks) += click;
  }
  ASSERT_GT(boosted, 300);
  EXPECT_GT(boosted_clicks / boosted, 1.3 * other_clicks / other)
      << boosted << " boosted exposures, " << other << " others";
}

TEST_F(WorldBehaviourTest, BillsAndExposuresAreInTimeOrderPerUser) {
  std::string last_user;
  int64_t last_ts = 0;
  for (const auto& e : logs_->exposures) {
    const int64_t ts = std::stoll(e[1]);
    if (e[0] == last_user) {
      EXPECT_GE(ts, last_ts);
    } else {
      EXPECT_TRUE(last_user.empty() || std::stoll(e[0]) > std::stoll(last_user));
    }
    last_user = e[0];
    last_ts = ts;
  }
}

}  // namespace
}  // namespace kerec::world
