#include "kerec/util/watchdog.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace kerec::watchdog {
namespace {

using Clock = std::chrono::steady_clock;

struct Entry {
  Kind kind;
  const char* call;
  std::string object;
  Clock::time_point start;
};

// The watchdog's shared state: the calls in progress and the thread that checks them.
class Registry {
 public:
  ~Registry() { stop(); }

  long add(Kind kind, const char* call, std::string_view object) {
    std::lock_guard lock(mutex_);
    calls_.emplace(++next_id_, Entry{kind, call, std::string(object), Clock::now()});
    return next_id_;
  }
  void remove(long id) {
    std::lock_guard lock(mutex_);
    calls_.erase(id);
  }
  void start(Limits limits, int rank, std::function<void(const std::string&)> on_stuck) {
    std::lock_guard lock(mutex_);
    limits_ = limits, rank_ = rank, on_stuck_ = std::move(on_stuck);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    running.store(true, std::memory_order_relaxed);
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      running.store(false, std::memory_order_relaxed);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }

  std::atomic<bool> running{false};

 private:
  double limit_s(Kind kind) const {
    return kind == Kind::kRead ? limits_.read_s : limits_.collective_s;
  }

  // The message for the first call past its limit, or "".
  std::string overdue(Clock::time_point now) const {
    for (const auto& [id, e] : calls_) {
      const double limit = limit_s(e.kind),
                   seconds = std::chrono::duration<double>(now - e.start).count();
      if (limit <= 0 || seconds <= limit) continue;
      return "rank " + std::to_string(rank_) + ": " + e.call + " on " + e.object +
             " has not returned after " + std::to_string(static_cast<long>(seconds)) +
             " s (limit " + std::to_string(static_cast<long>(limit)) + " s, " +
             (e.kind == Kind::kRead ? "run.stuck_read_s: the file may be damaged"
                                    : "run.stuck_collective_s: another rank may be stuck") +
             ")";
    }
    return "";
  }

  void loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      const std::string message = overdue(Clock::now());
      if (message.empty() || !on_stuck_) continue;
      auto handler = std::move(on_stuck_);
      on_stuck_ = nullptr;
      lock.unlock();
      handler(message);  // ends the process
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<long, Entry> calls_;
  long next_id_ = 0;
  Limits limits_;
  int rank_ = 0;
  std::function<void(const std::string&)> on_stuck_;
  std::thread thread_;
  bool stopping_ = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

WatchedCall::WatchedCall(Kind kind, const char* call, std::string_view object) {
  if (registry().running.load(std::memory_order_relaxed)) id_ = registry().add(kind, call, object);
}

WatchedCall::~WatchedCall() {
  if (id_ != 0) registry().remove(id_);
}

void start(Limits limits, int rank, std::function<void(const std::string&)> on_stuck) {
  registry().start(limits, rank, std::move(on_stuck));
}

void stop() { registry().stop(); }

}  // namespace kerec::watchdog
