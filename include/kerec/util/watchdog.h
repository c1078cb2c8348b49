// Guards against calls that may never return. HDF5 loops forever inside one call on some damaged
// files (verification catches files the run manifest records; a foreign file is not recorded), and
// a collective whose peer is stuck — alive but not calling it — waits forever (a dead rank is
// different: mpirun ends the job at once). Code marks such a call with a WatchedCall; once the
// watchdog is started and a marked call has lasted longer than its kind's limit, the watchdog
// thread calls the handler given by main() with a message that names the call, the object and the
// rank. The handler ends the process (main owns the process's exit; library code never exits).
//
// Threads: WatchedCall may be used from any thread. Before start_watchdog() it costs one relaxed
// atomic load; after, a mutex lock on entry and on exit (marked calls are file opens, reads of a
// dataset or attribute, and collectives — never per element).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace kerec::watchdog {

enum class Kind { kRead, kCollective };

struct Limits {
  double read_s = 600;         // one HDF5 open or read; 0: not watched
  double collective_s = 3600;  // one collective; 0: not watched
};

// Marks the enclosing scope as one call of `kind`: `call` (a string literal, e.g. "H5Dread") on
// `object` (e.g. "FILE:/dataset").
class WatchedCall {
 public:
  WatchedCall(Kind kind, const char* call, std::string_view object);
  ~WatchedCall();
  WatchedCall(const WatchedCall&) = delete;
  WatchedCall& operator=(const WatchedCall&) = delete;

 private:
  long id_ = 0;  // 0: not registered (the watchdog was not running)
};

// Starts the watchdog thread, or updates its limits and handler if it runs. `on_stuck` is called
// from the watchdog thread, at most once, with the message; it must end the process.
void start(Limits limits, int rank, std::function<void(const std::string& message)> on_stuck);

// Stops the thread (tests; at exit the thread is stopped by a static destructor).
void stop();

}  // namespace kerec::watchdog
