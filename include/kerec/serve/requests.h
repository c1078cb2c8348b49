// The JSON bodies `kerec serve` accepts (docs/serving.md "kerec serve"), parsed and validated in
// one place. A body that is not what the API documents is a BadRequest naming the field and what
// was wrong; the server answers it with 400 and that message, never a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/util/error.h"

namespace kerec::serve {

// A request the server refuses: status (400, 404, 413, 422, ...) and a message naming what was
// wrong.
class BadRequest : public Error {
 public:
  BadRequest(int status, const std::string& message) : Error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Limits that bound every request's work (the server's configuration).
struct RequestLimits {
  int64_t default_k = 20;
  int64_t max_k = 1000;  // a larger k is refused (422), so one request cannot ask for everything
  int64_t max_explicit_bills = 100;
  int64_t max_text_bytes = 4096;  // a bill event's text
};

// One bill given in a recommend request: an entity paid for age_h hours before the request.
struct ExplicitBill {
  std::string entity_id;
  double age_h = 0;
};

// POST /v1/recommend
struct RecommendRequest {
  std::string user_id;         // required, non-empty
  int64_t k = 0;               // 1..max_k; default default_k
  std::string scene = "home";  // the ranker's scene feature
  std::optional<int64_t> ts;   // request time (unix seconds); default: the server's clock
  std::optional<std::vector<ExplicitBill>> bills;  // replaces the user's recent bills when given
  bool u2e2i = true;                               // false: the baseline channels only
  bool explain = true;                             // explanations of complementary items
};

// POST /v1/bills: a payment, extracted with the run's extractor into the user's state.
struct BillEvent {
  std::string user_id;  // required
  std::string text;     // required: the bill's text, as in bills.tsv
  std::optional<int64_t> ts;
  double amount = 0;
};

// BadRequest (400) for malformed JSON (including invalid UTF-8), a body that is not an object, an
// unknown field, a field of the wrong type; (422) for a value out of range.
RecommendRequest parse_recommend(std::string_view body, const RequestLimits& limits);
BillEvent parse_bill_event(std::string_view body, const RequestLimits& limits);

}  // namespace kerec::serve
