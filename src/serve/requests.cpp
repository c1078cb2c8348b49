// Request bodies of `kerec serve` (serve/requests.h).
#include "kerec/serve/requests.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "kerec/util/utf8.h"

namespace kerec::serve {
namespace {

using nlohmann::json;

json parse_object(std::string_view body) {
  if (const size_t bad = utf8::first_invalid(body); bad != utf8::npos)
    throw BadRequest(400, "the body is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    throw BadRequest(400, std::string("malformed JSON body: ") + e.what());
  }
  if (!j.is_object()) throw BadRequest(400, "the body must be a JSON object");
  return j;
}

void only_fields(const json& j, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : j.items())
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      throw BadRequest(400, "unknown field '" + key + "' (allowed: " + list + ")");
    }
}

std::string string_field(const json& j, const char* key, bool required) {
  if (!j.contains(key)) {
    if (required) throw BadRequest(400, std::string("missing field '") + key + "'");
    return {};
  }
  if (!j[key].is_string())
    throw BadRequest(400, std::string("field '") + key + "' must be a string");
  return j[key].get<std::string>();
}

std::optional<int64_t> int_field(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  if (!j[key].is_number_integer())
    throw BadRequest(400, std::string("field '") + key + "' must be an integer");
  if (j[key].is_number_unsigned() && j[key].get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    throw BadRequest(422, std::string("field '") + key + "' is out of range");
  return j[key].get<int64_t>();
}

// A Unix time in seconds, bounded so that differences of times cannot overflow.
std::optional<int64_t> time_field(const json& j) {
  constexpr int64_t kMaxTs = INT64_C(1) << 40;  // about the year 36,800
  const auto ts = int_field(j, "ts");
  if (ts && (*ts < 0 || *ts > kMaxTs))
    throw BadRequest(
        422, "field 'ts' is " + std::to_string(*ts) + ", allowed: 0.." + std::to_string(kMaxTs));
  return ts;
}

bool bool_field(const json& j, const char* key, bool fallback) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_boolean())
    throw BadRequest(400, std::string("field '") + key + "' must be true or false");
  return j[key].get<bool>();
}

std::vector<ExplicitBill> bills_field(const json& j, const RequestLimits& limits) {
  const json& a = j["bills"];
  if (!a.is_array())
    throw BadRequest(400, "field 'bills' must be an array of {\"entity_id\", \"age_h\"}");
  if (static_cast<int64_t>(a.size()) > limits.max_explicit_bills)
    throw BadRequest(422, "field 'bills' has " + std::to_string(a.size()) + " entries, at most " +
                              std::to_string(limits.max_explicit_bills) + " are allowed");
  std::vector<ExplicitBill> out;
  for (const json& b : a) {
    if (!b.is_object()) throw BadRequest(400, "each entry of 'bills' must be an object");
    only_fields(b, {"entity_id", "age_h"});
    ExplicitBill bill{string_field(b, "entity_id", true), 0};
    if (!b.contains("age_h") || !b["age_h"].is_number())
      throw BadRequest(400,
                       "each entry of 'bills' needs a number 'age_h' (hours since the payment)");
    bill.age_h = b["age_h"].get<double>();
    if (!(bill.age_h >= 0) || !std::isfinite(bill.age_h))
      throw BadRequest(422, "'age_h' must be a finite number >= 0");
    out.push_back(std::move(bill));
  }
  return out;
}

}  // namespace

RecommendRequest parse_recommend(std::string_view body, const RequestLimits& limits) {
  const json j = parse_object(body);
  only_fields(j, {"user_id", "k", "scene", "ts", "bills", "u2e2i", "explain"});
  RecommendRequest r;
  r.user_id = string_field(j, "user_id", true);
  if (r.user_id.empty()) throw BadRequest(422, "field 'user_id' is empty");
  r.k = int_field(j, "k").value_or(std::min(limits.default_k, limits.max_k));
  if (r.k < 1 || r.k > limits.max_k)
    throw BadRequest(422, "field 'k' is " + std::to_string(r.k) + ", allowed: 1.." +
                              std::to_string(limits.max_k));
  if (j.contains("scene")) r.scene = string_field(j, "scene", true);
  r.ts = time_field(j);
  if (j.contains("bills")) r.bills = bills_field(j, limits);
  r.u2e2i = bool_field(j, "u2e2i", true);
  r.explain = bool_field(j, "explain", true);
  return r;
}

BillEvent parse_bill_event(std::string_view body, const RequestLimits& limits) {
  const json j = parse_object(body);
  only_fields(j, {"user_id", "text", "ts", "amount"});
  BillEvent e;
  e.user_id = string_field(j, "user_id", true);
  if (e.user_id.empty()) throw BadRequest(422, "field 'user_id' is empty");
  e.text = string_field(j, "text", true);
  if (e.text.empty()) throw BadRequest(422, "field 'text' is empty");
  if (static_cast<int64_t>(e.text.size()) > limits.max_text_bytes)
    throw BadRequest(422, "field 'text' has " + std::to_string(e.text.size()) + " bytes, at most " +
                              std::to_string(limits.max_text_bytes) + " are allowed");
  e.ts = time_field(j);
  if (j.contains("amount")) {
    if (!j["amount"].is_number()) throw BadRequest(400, "field 'amount' must be a number");
    e.amount = j["amount"].get<double>();
    if (!std::isfinite(e.amount) || e.amount < 0)
      throw BadRequest(422, "field 'amount' must be a finite number >= 0");
  }
  return e;
}

}  // namespace kerec::serve
