// The recommendation service behind `kerec serve` (docs/serving.md): JSON request bodies in,
// (status, JSON) replies out. No HTTP here — serve/http.h maps routes onto these methods — so the
// tests drive the service in-process as well as over the wire.
//
// The model is an immutable Snapshot (serving.h5 as read and verified, the bill extractor) behind
// a shared_ptr. A request takes the current snapshot at its start and keeps it
// to its end; reload() builds the next snapshot aside and swaps the pointer, so no request sees a
// model change under it and none is dropped. A serving.h5 that fails verification is refused and
// the current snapshot keeps serving.
//
// Threading: every public method may be called from many threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kerec/serve/requests.h"
#include "kerec/serve/user_events.h"

namespace kerec::serve {

struct ServiceConfig {
  std::filesystem::path serving_h5;
  RequestLimits limits;
  int64_t per_channel = 50;      // candidates each channel contributes to the merge
  int64_t items_per_entity = 5;  // items a channel takes from each entity it reaches
  // "logs": now = the end of the logs (serving.h5's logs_end_ts) + the time since the server
  // started, so a synthetic world's bills stay recent; "wall": now = the Unix time.
  std::string clock = "logs";
  int64_t max_bills_per_user = 50;  // posted bill entities kept per user
  int64_t max_event_users =
      1 << 20;  // users with posted bills kept (least recently posted forgotten)
};

struct Reply {
  int status = 200;
  nlohmann::json body;
};

class Snapshot;

class RecommendService {
 public:
  // Loads and verifies config.serving_h5; InputError / Hdf5Error when it cannot.
  explicit RecommendService(ServiceConfig config);
  ~RecommendService();

  Reply recommend(std::string_view body);  // POST /v1/recommend
  Reply post_bill(std::string_view body);  // POST /v1/bills
  Reply model_metadata() const;            // GET /v2/models/kerec
  Reply stats() const;                     // GET /v1/stats
  bool ready() const { return !draining_.load(); }
  void set_draining() { draining_.store(true); }

  // Loads serving_h5 again when its size, mtime or inode changed since the last attempt (or always,
  // with force). Returns {"reloaded": bool, "error": message or null, ...}; never throws for a bad
  // file.
  nlohmann::json reload(bool force = false);

  // The server's clock (unix seconds, or logs time with clock = "logs").
  int64_t now() const;

 private:
  std::shared_ptr<const Snapshot> current() const;
  Reply fail(const BadRequest& e);

  ServiceConfig config_;
  mutable std::mutex snapshot_mu_;  // guards snapshot_ and the reload bookkeeping below
  std::shared_ptr<const Snapshot> snapshot_;
  std::string file_identity_;  // of the last load attempt
  std::string last_reload_error_;
  int64_t reloads_ = 0, reload_failures_ = 0;
  std::mutex reload_mu_;  // one reload at a time
  UserEvents events_;
  int64_t started_wall_s_;
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> recommends_{0}, bill_events_{0}, bad_requests_{0}, unknown_users_{0};
};

}  // namespace kerec::serve
