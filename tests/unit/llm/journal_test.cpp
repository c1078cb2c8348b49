// The journal: records round-trip, a torn last record is tolerated and cut off before appending,
// replay keeps only the same model and prompt hash, and reads every rank's file.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "kerec/llm/journal.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path =
      fs::temp_directory_path() / ("kerec-journal-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

JournalRecord record(int32_t a, int32_t b, Verdict v, const std::string& model = "m",
                     const std::string& prompt = "p") {
  JournalRecord r;
  r.a = a, r.b = b, r.verdict = v, r.confidence = 0.75f, r.reason = "because \"x\"\n",
  r.model = model;
  r.prompt_sha256 = prompt, r.tokens_in = 10, r.tokens_out = 3, r.attempts = 2;
  return r;
}

auto all = [](uint64_t) { return true; };

TEST(Journal, RecordRoundTrips) {
  JournalRecord back;
  ASSERT_TRUE(from_json_line(to_json_line(record(3, 17, Verdict::kYes)), back));
  EXPECT_EQ(back.a, 3);
  EXPECT_EQ(back.b, 17);
  EXPECT_EQ(back.verdict, Verdict::kYes);
  EXPECT_FLOAT_EQ(back.confidence, 0.75f);
  EXPECT_EQ(back.reason, "because \"x\"\n");
  EXPECT_EQ(back.attempts, 2);
  EXPECT_FALSE(from_json_line("{\"a\":1", back));
}

// Any changed byte after the checksum makes the line unreadable (its pair is asked again) rather
// than a different answer; a line of an older journal, without a checksum, is still read.
TEST(Journal, ALineWithAChangedByteFailsItsChecksum) {
  std::string line = to_json_line(record(3, 17, Verdict::kYes));
  line.pop_back();  // the newline
  ASSERT_EQ(line.rfind("{\"x\":\"", 0), 0u) << line;
  JournalRecord back;
  ASSERT_TRUE(from_json_line(line, back));
  const size_t at = line.find("0.75");
  ASSERT_NE(at, std::string::npos);
  std::string changed = line;
  changed[at + 2] = '6';  // a confidence of 0.65: still valid JSON, still a valid record
  EXPECT_FALSE(from_json_line(changed, back));
  const std::string legacy = "{" + line.substr(line.find(',') + 1);
  ASSERT_TRUE(from_json_line(legacy, back)) << legacy;
  EXPECT_EQ(back.b, 17);
}

TEST(Journal, ReplayKeepsTheSameModelAndPromptAcrossRankFiles) {
  TempDir dir;
  {
    JournalWriter w0(journal_path(dir.path, 0), std::chrono::milliseconds(1000));
    w0.append(record(1, 2, Verdict::kYes));
    w0.append(record(1, 3, Verdict::kNo, "other-model"));
    JournalWriter w1(journal_path(dir.path, 1), std::chrono::milliseconds(0));
    w1.append(record(4, 5, Verdict::kUncertain));
    w1.append(record(6, 7, Verdict::kNo, "m", "other-prompt"));
  }
  const auto r = replay_journals(dir.path, "m", "p", all);
  EXPECT_EQ(r.files, 2);
  EXPECT_EQ(r.records, 4);
  EXPECT_EQ(r.other_model_or_prompt, 2);
  ASSERT_EQ(r.answers.size(), 2u);
  EXPECT_EQ(r.answers.at(pair_key(1, 2)).verdict, Verdict::kYes);
  EXPECT_EQ(r.answers.at(pair_key(4, 5)).verdict, Verdict::kUncertain);
  const auto only =
      replay_journals(dir.path, "m", "p", [](uint64_t k) { return k == pair_key(4, 5); });
  EXPECT_EQ(only.answers.size(), 1u);
}

// An unreadable answer is kept with its raw text (cut when long) and is never replayed as an answer
// or counted as a bad record.
TEST(Journal, UnreadableAnswersAreKeptRawAndSkippedByReplay) {
  TempDir dir;
  UnreadableRecord u;
  u.pairs = {{8, 9}, {10, 11}}, u.problem = "malformed JSON", u.raw = "Sure! {\"verdicts\": [oops",
  u.model = "m";
  u.prompt_sha256 = "p", u.response_format = "none";
  {
    JournalWriter w(journal_path(dir.path, 0), std::chrono::milliseconds(0));
    w.append(record(1, 2, Verdict::kYes));
    w.append(u);
    u.raw = std::string(kUnreadableRawMaxBytes + 10, 'x');
    w.append(u);
  }
  const auto r = replay_journals(dir.path, "m", "p", all);
  EXPECT_EQ(r.records, 1);
  EXPECT_EQ(r.unreadable_answers, 2);
  EXPECT_EQ(r.bad_records, 0);
  EXPECT_EQ(r.answers.size(), 1u);
  std::ifstream in(journal_path(dir.path, 0));
  std::string line;
  std::getline(in, line), std::getline(in, line);
  const auto first = nlohmann::json::parse(line);
  EXPECT_EQ(first["raw"], "Sure! {\"verdicts\": [oops");
  EXPECT_EQ(first["pairs"], nlohmann::json::parse("[[8,9],[10,11]]"));
  EXPECT_EQ(first["cut"], false);
  std::getline(in, line);
  const auto second = nlohmann::json::parse(line);
  EXPECT_EQ(second["raw"].get<std::string>().size(), kUnreadableRawMaxBytes);
  EXPECT_EQ(second["cut"], true);
}

TEST(Journal, TornLastRecordIsIgnoredAndCutBeforeAppending) {
  TempDir dir;
  const fs::path path = journal_path(dir.path, 0);
  {
    JournalWriter w(path, std::chrono::milliseconds(0));
    w.append(record(1, 2, Verdict::kYes));
  }
  const std::string torn = to_json_line(record(8, 9, Verdict::kYes)).substr(0, 30);
  std::ofstream(path, std::ios::app) << torn;
  auto r = replay_journals(dir.path, "m", "p", all);
  EXPECT_EQ(r.answers.size(), 1u);
  EXPECT_EQ(r.torn_last_records, 1);
  {
    JournalWriter w(path, std::chrono::milliseconds(0));
    EXPECT_EQ(w.torn_bytes_removed(), static_cast<int64_t>(torn.size()));
    w.append(record(3, 4, Verdict::kNo));
  }
  r = replay_journals(dir.path, "m", "p", all);
  EXPECT_EQ(r.answers.size(), 2u);
  EXPECT_EQ(r.torn_last_records, 0);
  EXPECT_EQ(r.bad_records, 0);
}

TEST(Journal, ACompleteLineWithoutNewlineCountsAsTorn) {
  TempDir dir;
  fs::create_directories(dir.path);
  std::string line = to_json_line(record(1, 2, Verdict::kYes));
  line.pop_back();
  std::ofstream(journal_path(dir.path, 0)) << line;
  const auto r = replay_journals(dir.path, "m", "p", all);
  EXPECT_TRUE(r.answers.empty());
  EXPECT_EQ(r.torn_last_records, 1);
}

TEST(Journal, BufferedRecordsReachTheFileOnFlush) {
  TempDir dir;
  JournalWriter w(journal_path(dir.path, 0), std::chrono::hours(1));
  w.append(record(1, 2, Verdict::kYes));
  EXPECT_TRUE(replay_journals(dir.path, "m", "p", all).answers.empty());  // still buffered
  w.flush();
  EXPECT_EQ(replay_journals(dir.path, "m", "p", all).answers.size(), 1u);
}

}  // namespace
}  // namespace kerec::llm
