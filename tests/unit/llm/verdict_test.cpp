// Answers as chat models write them without a JSON mode (verdict.h): accepted exactly, counted per
// kind, and what cannot be read is still a problem, never a "no".
#include "kerec/llm/verdict.h"

#include <gtest/gtest.h>

namespace kerec::llm {
namespace {

TEST(ParseLiberal, FindsTheObjectInsideProseAndAFence) {
  const auto a = parse_answer(
      "Sure! Here are my "
      "judgments:\n```json\n{\"verdicts\":[{\"id\":\"1\",\"verdict\":\"no\",\"confidence\":0.8,"
      "\"reason\":\"a {brace} in \\\"text\\\"\"}]}\n```\nLet me know if you need more.",
      {"1"});
  ASSERT_EQ(a.verdicts.size(), 1u);
  EXPECT_EQ(a.verdicts.at("1").reason, "a {brace} in \"text\"");
  EXPECT_EQ(a.lenient.at("json_in_prose"), 1);
}

TEST(ParseLiberal, VerdictWordsNumbersAndIdsAsModelsWriteThem) {
  const auto a = parse_answer(R"({"verdicts":[
      {"id":1,"verdict":"Yes.","confidence":"0.42","reason":"r"},
      {"id":"2","verdict":"NO","confidence":85,"reason":"r"},
      {"id":"3","verdict":true,"reason":"r"},
      {"id":"4","verdict":" unsure ","confidence":0.3},
      {"id":"5","verdict":"yes","confidence":0.9,"reason":"r"}]})",
                              {"1", "2", "3", "4", "5"});
  ASSERT_EQ(a.verdicts.size(), 5u) << (a.problems.empty() ? "" : a.problems.begin()->second);
  EXPECT_EQ(a.verdicts.at("1").verdict, Verdict::kYes);
  EXPECT_FLOAT_EQ(a.verdicts.at("1").confidence, 0.42f);
  EXPECT_EQ(a.verdicts.at("2").verdict, Verdict::kNo);
  EXPECT_FLOAT_EQ(a.verdicts.at("2").confidence, 0.85f);
  EXPECT_EQ(a.verdicts.at("3").verdict, Verdict::kYes);
  EXPECT_FLOAT_EQ(a.verdicts.at("3").confidence, kMissingConfidence);
  EXPECT_EQ(a.verdicts.at("4").verdict, Verdict::kUncertain);
  EXPECT_EQ(a.verdicts.at("4").reason, "");
  const std::map<std::string, int64_t> want = {{"id_as_number", 1},       {"verdict_word", 4},
                                               {"number_as_string", 1},   {"confidence_percent", 1},
                                               {"confidence_missing", 1}, {"reason_missing", 1}};
  EXPECT_EQ(a.lenient, want);
}

TEST(ParseLiberal, WhatCannotBeReadIsStillAProblem) {
  const auto a = parse_answer(R"({"verdicts":[
      {"id":"1","verdict":"probably","confidence":0.5,"reason":"r"},
      {"id":"2","verdict":"yes","confidence":"high","reason":"r"},
      {"id":"3","verdict":"yes","confidence":150,"reason":"r"},
      {"id":2.5,"verdict":"yes","confidence":0.5,"reason":"r"}]})",
                              {"1", "2", "3"});
  EXPECT_TRUE(a.verdicts.empty());
  EXPECT_NE(a.problems.at("1").find("yes/no/uncertain"), std::string::npos);
  EXPECT_NE(a.problems.at("2").find("not a number"), std::string::npos);
  EXPECT_NE(a.problems.at("3").find("[0, 1]"), std::string::npos);
  EXPECT_EQ(a.unknown_ids, 1) << "a fractional id names no pair";
  EXPECT_EQ(parse_answer("I think all of them are complementary.", {"1"}).problems.at("1"),
            "malformed JSON");
  EXPECT_EQ(
      parse_answer("Here: {\"verdicts\":[{\"id\":\"1\"},]} and {\"x\":1}", {"1"}).problems.at("1"),
      "malformed JSON")
      << "no balanced object that parses has verdicts";
}

}  // namespace
}  // namespace kerec::llm
