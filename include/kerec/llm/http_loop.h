// One libcurl multi event loop on its own thread: many HTTP POSTs in flight over kept-alive
// connections, no thread per request, no lock held around a request.
//
// The owner (the main thread) submits requests and takes completed responses; the loop thread only
// moves bytes. The loop does not queue: every submitted request is started at once, so curl's
// timeouts count from when the request is actually sent. The caller limits how many are in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kerec::llm {

struct HttpRequest {
  uint64_t id = 0;  // the caller's tag, returned with the response
  std::string url;
  std::string body;                  // POSTed as application/json
  std::vector<std::string> headers;  // "Name: value"
  int64_t connect_timeout_ms = 5000;
  int64_t timeout_ms = 60000;  // whole request, from when it is sent
};

struct HttpResponse {
  uint64_t id = 0;
  int curl_code = 0;       // CURLE_OK (0) when an HTTP response arrived
  std::string curl_error;  // curl's message when curl_code != 0
  bool timed_out = false;  // curl_code was CURLE_OPERATION_TIMEDOUT
  long status = 0;         // HTTP status, 0 without a response
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  double elapsed_s = 0.0;                      // from send to completion
};

class HttpLoop {
 public:
  HttpLoop();
  ~HttpLoop();  // stops the thread; requests still in flight are abandoned
  HttpLoop(const HttpLoop&) = delete;
  HttpLoop& operator=(const HttpLoop&) = delete;

  // Thread-safe; starts the request on the loop thread.
  void submit(HttpRequest request);
  // Moves the completed responses into `out` (appending); waits up to `wait` when none is ready.
  // Returns the number moved.
  size_t take(std::vector<HttpResponse>& out, std::chrono::milliseconds wait);
  // CPU time (user + system) the loop thread has used so far, in seconds.
  double thread_cpu_seconds() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kerec::llm
