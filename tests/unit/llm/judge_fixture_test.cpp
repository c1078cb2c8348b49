// Fixture for the judge stage's end-to-end test (tests/e2e/judge_test.sh), until the extract and
// pairs stages produce the real inputs: writes RUN/extract/entities.h5 and RUN/pairs/pairs.h5 per
// docs/artifacts.md ("Entity index", "Pairs") from a world directory, and checks
// RUN/judge/verdicts.h5 ("Verdicts") against the pairs file. Driven by environment variables; the
// test that runs under ctest writes and checks a fixture in a temporary directory.
//
//   KEREC_FIXTURE_WORLD=W KEREC_FIXTURE_RUN=R KEREC_FIXTURE_OWNERS=2 judge_fixture_test
//   --gtest_filter=*Write KEREC_FIXTURE_RUN=R KEREC_FIXTURE_DIGEST=FILE judge_fixture_test
//   --gtest_filter=*Check
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "kerec/io/hdf5.h"
#include "kerec/util/rng.h"

namespace kerec {
namespace {

namespace fs = std::filesystem;
namespace h5 = io::h5;

std::vector<std::vector<std::string>> tsv(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    size_t s = 0;
    for (size_t t; (t = line.find('\t', s)) != std::string::npos; s = t + 1)
      f.push_back(line.substr(s, t - s));
    f.push_back(line.substr(s));
    rows.push_back(f);
  }
  return rows;
}

// Pairs: every true complement plus as many random others, no self pairs, grouped by owner
// (hash of a) and sorted by (a, b) within an owner.
void write_fixture(const fs::path& world, const fs::path& run, int owners) {
  const auto entities = tsv(world / "entities.tsv");
  std::map<std::string, int32_t> index;
  std::vector<std::string> ids, names, aliases, categories;
  for (const auto& r : entities) {
    index[r[0]] = static_cast<int32_t>(ids.size());
    ids.push_back(r[0]), names.push_back(r[1]), aliases.push_back(r[2]), categories.push_back(r[3]);
  }
  std::set<std::pair<int32_t, int32_t>> pairs;
  for (const auto& r : tsv(world / "truth" / "complements.tsv"))
    pairs.insert({index.at(r[0]), index.at(r[1])});
  Rng rng(3, "fixture_pairs");
  const size_t target = pairs.size() * 2;
  while (pairs.size() < target) {
    const auto a = static_cast<int32_t>(rng.uniform_int(ids.size())),
               b = static_cast<int32_t>(rng.uniform_int(ids.size()));
    if (a != b) pairs.insert({a, b});
  }
  std::vector<std::vector<std::pair<int32_t, int32_t>>> by_owner(owners);
  for (const auto& p : pairs) by_owner[mix64(static_cast<uint64_t>(p.first)) % owners].push_back(p);
  std::vector<int32_t> a, b;
  std::vector<int64_t> offsets = {0};
  for (const auto& part : by_owner) {
    for (const auto& p : part) a.push_back(p.first), b.push_back(p.second);
    offsets.push_back(static_cast<int64_t>(a.size()));
  }
  fs::create_directories(run / "extract");
  fs::create_directories(run / "pairs");
  auto ef = h5::File::create(run / "extract" / "entities.h5");
  h5::write_root_attrs(ef, {.schema = "entities", .schema_version = 1});
  h5::write_strings(ef, "entities/entity_id", ids);
  h5::write_strings(ef, "entities/name", names);
  h5::write_strings(ef, "entities/aliases", aliases);
  h5::write_strings(ef, "entities/category", categories);
  ef.close();
  auto pf = h5::File::create(run / "pairs" / "pairs.h5");
  h5::write_root_attrs(pf, {.schema = "pairs", .schema_version = 1});
  h5::write<int32_t>(pf, "pairs/a", a);
  h5::write<int32_t>(pf, "pairs/b", b);
  h5::write<int64_t>(pf, "pairs/owner_offsets", offsets);
  pf.close();
  nlohmann::json manifest = {
      {"stages",
       {{"extract", {{"fingerprint", "fixture-extract"}, {"version", 1}}},
        {"pairs",
         {{"fingerprint", "fixture-pairs-" + std::to_string(a.size())}, {"version", 1}}}}}};
  std::ofstream(run / "manifest.json") << manifest.dump(2) << "\n";
}

// Every pair of pairs.h5 has exactly one row in verdicts.h5, sorted by (a, b); an unjudged row has
// a cause; the digest (a b verdict confidence per line) goes to `digest` for comparisons.
void check_verdicts(const fs::path& run, const fs::path& digest) {
  auto pf = h5::File::open_read(run / "pairs" / "pairs.h5");
  const auto pa = h5::read<int32_t>(pf, "pairs/a"), pb = h5::read<int32_t>(pf, "pairs/b");
  std::set<std::pair<int32_t, int32_t>> expected;
  for (size_t i = 0; i < pa.size(); ++i) expected.insert({pa[i], pb[i]});
  auto vf = h5::File::open_read(run / "judge" / "verdicts.h5");
  const auto attrs = h5::read_root_attrs(vf, "verdicts");
  EXPECT_FALSE(attrs.llm_model.empty());
  EXPECT_EQ(attrs.prompt_sha256.size(), 64u);
  const auto a = h5::read<int32_t>(vf, "verdicts/a"), b = h5::read<int32_t>(vf, "verdicts/b");
  const auto v = h5::read<uint8_t>(vf, "verdicts/verdict");
  const auto c = h5::read<float>(vf, "verdicts/confidence");
  const auto reason = h5::read_strings(vf, "verdicts/reason");
  ASSERT_EQ(a.size(), expected.size()) << "one row per pair";
  ASSERT_TRUE(b.size() == a.size() && v.size() == a.size() && c.size() == a.size() &&
              reason.size() == a.size());
  std::ofstream out(digest);
  for (size_t i = 0; i < a.size(); ++i) {
    if (i) {
      EXPECT_LT(std::pair(a[i - 1], b[i - 1]), std::pair(a[i], b[i])) << "sorted, no duplicates";
    }
    EXPECT_TRUE(expected.count({a[i], b[i]})) << a[i] << "->" << b[i];
    EXPECT_LE(v[i], 3);
    if (v[i] == 3) {
      EXPECT_FALSE(reason[i].empty()) << "unjudged with a cause";
    }
    out << a[i] << ' ' << b[i] << ' ' << int(v[i]) << ' ' << c[i] << '\n';
  }
}

const char* env(const char* name) { return std::getenv(name); }

TEST(JudgeFixture, Write) {
  if (!env("KEREC_FIXTURE_WORLD") || !env("KEREC_FIXTURE_RUN"))
    GTEST_SKIP() << "driven by tests/e2e/judge_test.sh";
  write_fixture(env("KEREC_FIXTURE_WORLD"), env("KEREC_FIXTURE_RUN"),
                env("KEREC_FIXTURE_OWNERS") ? std::atoi(env("KEREC_FIXTURE_OWNERS")) : 2);
}

TEST(JudgeFixture, Check) {
  if (!env("KEREC_FIXTURE_RUN") || !env("KEREC_FIXTURE_DIGEST"))
    GTEST_SKIP() << "driven by tests/e2e/judge_test.sh";
  check_verdicts(env("KEREC_FIXTURE_RUN"), env("KEREC_FIXTURE_DIGEST"));
}

TEST(JudgeFixture, WritesThePairsContract) {
  const fs::path dir = fs::temp_directory_path() / ("kerec-fixture-" + std::to_string(::getpid()));
  fs::create_directories(dir / "world" / "truth");
  std::ofstream(dir / "world" / "entities.tsv")
      << "entity_id\tname\taliases\tcategory\n7\tphone\t\tphones\n"
         "8\tphone case\tcover\tphones\n9\ttent\t\toutdoor\n";
  std::ofstream(dir / "world" / "truth" / "complements.tsv") << "a\tb\tstrength\n7\t8\t0.9\n";
  write_fixture(dir / "world", dir / "run", 2);
  auto pf = h5::File::open_read(dir / "run" / "pairs" / "pairs.h5");
  const auto offsets = h5::read<int64_t>(pf, "pairs/owner_offsets");
  ASSERT_EQ(offsets.size(), 3u);
  EXPECT_EQ(offsets.back(), 2);
  EXPECT_EQ(h5::read_strings(h5::File::open_read(dir / "run" / "extract" / "entities.h5"),
                             "entities/name")[1],
            "phone case");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kerec
