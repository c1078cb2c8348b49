// Request bodies of `kerec serve` (requests.h): what is accepted, and the status and message of
// what is not.
#include "kerec/serve/requests.h"

#include <gtest/gtest.h>

namespace kerec::serve {
namespace {

// The status of the BadRequest `body` raises (0: accepted), with the message containing `text`.
int refused(std::string_view body, const std::string& text = "", bool bill = false) {
  const RequestLimits limits{
      .default_k = 20, .max_k = 100, .max_explicit_bills = 2, .max_text_bytes = 16};
  try {
    bill ? (void)parse_bill_event(body, limits) : (void)parse_recommend(body, limits);
    return 0;
  } catch (const BadRequest& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    return e.status();
  }
}

TEST(ParseRecommend, DefaultsAndEveryField) {
  const RequestLimits limits;
  const auto r = parse_recommend(R"({"user_id": "u1"})", limits);
  EXPECT_EQ(r.user_id, "u1");
  EXPECT_EQ(r.k, limits.default_k);
  EXPECT_EQ(r.scene, "home");
  EXPECT_FALSE(r.ts || r.bills);
  EXPECT_TRUE(r.u2e2i && r.explain);
  const auto s = parse_recommend(
      R"({"user_id": "u", "k": 5, "scene": "post_payment", "ts": 1700000000, "u2e2i": false, "explain": false,
          "bills": [{"entity_id": "tent", "age_h": 1.5}]})",
      limits);
  EXPECT_EQ(s.k, 5);
  EXPECT_EQ(*s.ts, 1700000000);
  ASSERT_EQ(s.bills->size(), 1u);
  EXPECT_EQ((*s.bills)[0].entity_id, "tent");
  EXPECT_DOUBLE_EQ((*s.bills)[0].age_h, 1.5);
  EXPECT_FALSE(s.u2e2i || s.explain);
}

TEST(ParseRecommend, RefusesWhatTheApiDoesNotDocument) {
  EXPECT_EQ(refused(R"({"user_id": )", "malformed JSON"), 400);
  EXPECT_EQ(refused("\"u\"", "JSON object"), 400);
  EXPECT_EQ(refused("{\"user_id\": \"\xff\"}", "not valid UTF-8 (byte 13)"), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "K": 5})", "unknown field 'K'"), 400);
  EXPECT_EQ(refused(R"({"k": 5})", "missing field 'user_id'"), 400);
  EXPECT_EQ(refused(R"({"user_id": 7})", "'user_id' must be a string"), 400);
  EXPECT_EQ(refused(R"({"user_id": ""})", "empty"), 422);
  EXPECT_EQ(refused(R"({"user_id": "u", "k": 0})", "1..100"), 422);
  EXPECT_EQ(refused(R"({"user_id": "u", "k": 101})", "1..100"), 422);
  EXPECT_EQ(refused(R"({"user_id": "u", "k": 18446744073709551615})", "out of range"), 422);
  EXPECT_EQ(refused(R"({"user_id": "u", "k": 2.5})", "integer"), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "u2e2i": "yes"})", "true or false"), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "bills": {}})", "array"), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "bills": [{"entity_id": "a"}]})", "age_h"), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "bills": [{"entity_id": "a", "age_h": -1}]})", ">= 0"),
            422);
  EXPECT_EQ(refused(R"({"user_id": "u", "bills": [{"entity_id": "a", "age_h": 1, "x": 1}]})",
                    "unknown field 'x'"),
            400);
  EXPECT_EQ(
      refused(
          R"({"user_id": "u", "bills": [{"entity_id": "a", "age_h": 1}, {"entity_id": "b", "age_h": 1},
                                                  {"entity_id": "c", "age_h": 1}]})",
          "at most 2"),
      422);
  EXPECT_EQ(refused(R"({"user_id": "u", "k": 100})"), 0);
  EXPECT_EQ(refused(R"({"user_id": "u", "ts": -5})", "field 'ts'"), 422);
  EXPECT_EQ(refused(R"({"user_id": "u", "ts": 9223372036854775807})", "field 'ts'"), 422);
  EXPECT_EQ(parse_recommend(R"({"user_id": "u"})", {.default_k = 20, .max_k = 5}).k, 5)
      << "default within max_k";
}

TEST(ParseBillEvent, AcceptsAndRefuses) {
  const auto e =
      parse_bill_event(R"({"user_id": "u", "text": "tent", "ts": 5, "amount": 9.5})", {});
  EXPECT_EQ(e.text, "tent");
  EXPECT_EQ(*e.ts, 5);
  EXPECT_DOUBLE_EQ(e.amount, 9.5);
  EXPECT_EQ(refused(R"({"user_id": "u"})", "missing field 'text'", true), 400);
  EXPECT_EQ(refused(R"({"user_id": "u", "text": ""})", "'text' is empty", true), 422);
  EXPECT_EQ(
      refused(R"({"user_id": "u", "text": "0123456789abcdefg"})", "17 bytes, at most 16", true),
      422);
  EXPECT_EQ(refused(R"({"user_id": "u", "text": "t", "amount": -1})", "amount", true), 422);
  EXPECT_EQ(
      refused(R"({"user_id": "u", "text": "t", "scene": "x"})", "unknown field 'scene'", true),
      400);
}

}  // namespace
}  // namespace kerec::serve
