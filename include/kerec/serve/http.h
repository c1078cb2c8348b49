// HTTP/JSON front of the RecommendService (docs/serving.md "kerec serve"), on cpp-httplib.
//
// Routes (health and metadata follow the KServe v2 / Open Inference Protocol paths):
//   GET  /v2/health/live, /v2/health/ready, /v2, /v2/models/kerec, /v2/models/kerec/ready
//   POST /v1/recommend, /v1/bills, /v1/reload;  GET /v1/stats
// Every error is JSON {"error": message, "status": code}: 400 malformed, 404 no route, 413 body too
// large, 422 a value out of range, 500 a server fault, 503 not ready (draining).
//
// Threading: run() blocks the calling thread and serves with `threads` workers plus one thread that
// polls serving.h5 for a new version; stop() may be called from any other thread (a signal
// watcher), also before run() listens: the listener closes, readiness turns false, in-flight
// requests finish, then run() returns, and so does stop(). Call run() once after bind().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "kerec/serve/service.h"

namespace httplib {
class Server;
}

namespace kerec::serve {

struct HttpOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 8080;                 // 0: any free port (bind() returns it)
  int threads = 8;                 // workers; one per open keep-alive connection
  int64_t max_body_bytes = 64 * 1024;
  int64_t reload_poll_ms = 1000;  // how often serving.h5 is checked for a new version; 0: never
  std::string server_version;     // reported by GET /v2
};

class HttpServer {
 public:
  HttpServer(RecommendService& service, HttpOptions options);
  ~HttpServer();

  // Binds the socket; returns the port. IoError naming host and port when it cannot.
  int bind();
  // Serves until stop(). Call after bind().
  void run();
  void stop();

 private:
  void routes();
  RecommendService& service_;
  HttpOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};  // run() has returned
};

}  // namespace kerec::serve
