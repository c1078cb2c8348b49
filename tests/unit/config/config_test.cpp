#include "kerec/config/config.h"

#include <gtest/gtest.h>

#include "kerec/util/error.h"

namespace kerec::config {
namespace {

struct Part {
  int64_t count = 3;
  double rate = 0.5;
  bool enabled = false;
  std::string mode = "fail";
  std::vector<std::string> stages = {"a", "b"};
  std::vector<double> bounds = {0.5, 0.9};
  void bind(Binder& b) {
    b.key("count", count, "how many", Range<int64_t>{1, 10});
    b.key("rate", rate, "a share", Range<double>{0.0, 1.0});
    b.key("enabled", enabled, "on or off");
    b.key("mode", mode, "what to do", Choices{"fail", "skip"});
    b.key("stages", stages, "which stages", Choices{"a", "b", "c"});
    b.key("bounds", bounds, "cut points", Range<double>{0.0, 1.0});
  }
};

struct Root {
  Part part;
  Part other;
  void bind(Binder& b) {
    b.section("part", "the part", part);
    b.section("other", "another part", other);
  }
};

Root load_text(const std::string& text, std::vector<std::string> sets = {}) {
  Root root;
  load({"job.toml", text, std::move(sets)}, [&](Binder& b) { root.bind(b); });
  return root;
}

std::string error_of(const std::string& text, std::vector<std::string> sets = {}) {
  try {
    load_text(text, std::move(sets));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Config, DefaultsWhenAbsentAndValuesWhenPresent) {
  Root r = load_text("[part]\ncount = 7\nrate = 1\nmode = \"skip\"\nstages = [\"c\"]\n");
  EXPECT_EQ(r.part.count, 7);
  EXPECT_DOUBLE_EQ(r.part.rate, 1.0);  // an integer is accepted for a float key
  EXPECT_EQ(r.part.mode, "skip");
  EXPECT_EQ(r.part.stages, std::vector<std::string>{"c"});
  EXPECT_EQ(r.other.count, 3);
}

TEST(Config, ErrorsNameFileLineKeyAndAllowedValues) {
  EXPECT_EQ(error_of("[part]\n\ncount = 11\n"),
            "job.toml:3: key 'part.count' is out of range: 11; allowed in [1, 10]");
  EXPECT_EQ(error_of("[part]\ncount = \"x\"\n"),
            "job.toml:2: key 'part.count' must be an integer in [1, 10], got string \"x\"");
  EXPECT_EQ(error_of("[part]\nmode = \"drop\"\n"),
            "job.toml:2: key 'part.mode' has value 'drop'; allowed one of \"fail\", \"skip\"");
  EXPECT_EQ(error_of("[part]\nenabled = 1\n"),
            "job.toml:2: key 'part.enabled' must be a boolean (true or false), got integer 1");
  EXPECT_EQ(error_of("[part]\nbounds = [0.5, 2]\n"),
            "job.toml:2: key 'part.bounds' is out of range: 2.0; allowed in [0.0, 1.0]");
}

TEST(Config, UnknownKeysAndTablesAreRejected) {
  EXPECT_EQ(error_of("[part]\ncuont = 2\n"),
            "job.toml:2: key 'part.cuont' is not a known key; known keys in [part]: bounds, count, "
            "enabled, mode, rate, stages");
  EXPECT_EQ(error_of("[prat]\ncount = 2\n").substr(0, 40),
            "job.toml:1: key 'prat' is not a known ke");
  EXPECT_EQ(error_of("part = 3\n"), "job.toml:1: key 'part' must be a table ([part])");
}

TEST(Config, SyntaxErrorNamesLine) {
  EXPECT_EQ(error_of("[part]\ncount = = 2\n").substr(0, 11), "job.toml:2:");
}

TEST(Config, OverridesApplyAndAreNamedInErrors) {
  Root r = load_text("[part]\ncount = 7\n", {"part.count=9", "other.mode=skip", "part.stages=a,c"});
  EXPECT_EQ(r.part.count, 9);
  EXPECT_EQ(r.other.mode, "skip");  // not valid TOML, so taken as a string
  EXPECT_EQ(r.part.stages, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(error_of("", {"part.count=0"}),
            "--set part.count=0: key 'part.count' is out of range: 0; allowed in [1, 10]");
  EXPECT_EQ(error_of("", {"part.nope=1"}).substr(0, 45),
            "--set part.nope=1: key 'part.nope' is not a k");
  EXPECT_EQ(error_of("", {"novalue"}), "--set novalue: expected section.key=value");
}

TEST(Config, WrittenTomlLoadsBackToTheSameValues) {
  Root a;
  a.part.count = 5;
  a.part.rate = 0.1;
  a.part.mode = "skip";
  a.other.bounds = {0.25};
  const std::string text = to_toml([&](Binder& b) { a.bind(b); });
  Root b = load_text(text);
  EXPECT_EQ(b.part.count, 5);
  EXPECT_DOUBLE_EQ(b.part.rate, 0.1);
  EXPECT_EQ(b.part.mode, "skip");
  EXPECT_EQ(b.other.bounds, std::vector<double>{0.25});
  EXPECT_EQ(to_toml([&](Binder& x) { b.bind(x); }), text);
  const std::string only = to_toml([&](Binder& x) { a.bind(x); }, {"other"});
  EXPECT_EQ(only.find("[part]"), std::string::npos);
  EXPECT_NE(only.find("[other]"), std::string::npos);
}

TEST(Config, ReferenceListsEveryKey) {
  Root r;
  const std::string md = reference_markdown([&](Binder& b) { r.bind(b); });
  EXPECT_NE(md.find("| `part.count` | integer | `3` | in [1, 10] | how many |"), std::string::npos);
  EXPECT_NE(md.find("`other.mode`"), std::string::npos);
}

}  // namespace
}  // namespace kerec::config
