// HTTP front of the service (serve/http.h).
#include "kerec/serve/http.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "kerec/util/error.h"
#include "kerec/util/log.h"

namespace kerec::serve {
namespace {

using nlohmann::json;

// Invalid UTF-8 in a message (a percent-decoded path, say) is replaced, never thrown: httplib's
// workers catch nothing, so an exception here would end the process.
void send(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send(httplib::Response& res, const Reply& reply) { send(res, reply.status, reply.body); }

json error_body(int status, const std::string& message) {
  return {{"error", message}, {"status", status}};
}

std::string status_message(int status, const httplib::Request& req) {
  switch (status) {
    case 404:
      return "no route " + req.method + " " + req.path;
    case 413:
      return "request body too large";
    case 400:
      return "bad request";
    default:
      return "HTTP status " + std::to_string(status);
  }
}

}  // namespace

HttpServer::HttpServer(RecommendService& service, HttpOptions options)
    : service_(service),
      options_(std::move(options)),
      server_(std::make_unique<httplib::Server>()) {
  const int threads = std::max(1, options_.threads);
  server_->new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server_->set_tcp_nodelay(true);  // else delayed ACKs add ~40 ms to a response
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(
      5);  // an idle keep-alive connection holds a worker (and a drain) this long
  server_->set_read_timeout(10);  // a client that stalls mid-request does not hold a worker forever
  server_->set_write_timeout(10);
  server_->set_payload_max_length(static_cast<size_t>(options_.max_body_bytes));
  routes();
}

HttpServer::~HttpServer() = default;

void HttpServer::routes() {
  auto& s = *server_;
  s.Get("/v2/health/live", [](const httplib::Request&, httplib::Response& res) {
    send(res, 200, {{"live", true}});
  });
  const auto ready = [this](const httplib::Request&, httplib::Response& res) {
    const bool r = service_.ready() && !stopping_.load();
    send(res, r ? 200 : 503, {{"ready", r}});
  };
  s.Get("/v2/health/ready", ready);
  s.Get("/v2/models/kerec/ready", ready);
  s.Get("/v2", [this](const httplib::Request&, httplib::Response& res) {
    send(res, 200,
         {{"name", "kerec"},
          {"version", options_.server_version},
          {"extensions", {"kerec_recommend"}}});
  });
  s.Get("/v2/models/kerec", [this](const httplib::Request&, httplib::Response& res) {
    send(res, service_.model_metadata());
  });
  s.Get("/v1/stats",
        [this](const httplib::Request&, httplib::Response& res) { send(res, service_.stats()); });
  s.Post("/v1/recommend", [this](const httplib::Request& req, httplib::Response& res) {
    if (stopping_.load())
      return send(res, 503, error_body(503, "draining: the server is stopping"));
    send(res, service_.recommend(req.body));
  });
  s.Post("/v1/bills", [this](const httplib::Request& req, httplib::Response& res) {
    if (stopping_.load())
      return send(res, 503, error_body(503, "draining: the server is stopping"));
    send(res, service_.post_bill(req.body));
  });
  s.Post("/v1/reload", [this](const httplib::Request&, httplib::Response& res) {
    const json r = service_.reload(/*force=*/false);
    send(res, r["error"].is_null() ? 200 : 409, r);
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty())
      send(res, res.status, error_body(res.status, status_message(res.status, req)));
  });
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {}
        log::error("serve: {} {} failed: {}", req.method, req.path, what);
        send(res, 500, error_body(500, "internal error: " + what));
      });
}

int HttpServer::bind() {
  const int port = options_.port == 0
                       ? server_->bind_to_any_port(options_.host)
                       : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0)
    throw IoError("serve: cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  return port;
}

void HttpServer::run() {
  struct Finished {  // stop() waits for it, also when run() throws
    std::atomic<bool>& flag;
    ~Finished() { flag.store(true); }
  } finished{finished_};
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread poller([&] {
    if (options_.reload_poll_ms <= 0) return;
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::milliseconds(options_.reload_poll_ms),
                        [&] { return done; })) {
      lock.unlock();
      service_.reload();
      lock.lock();
    }
  });
  server_->listen_after_bind();
  {
    std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_all();
  poller.join();
}

// httplib's stop() does nothing before the listener runs: a signal that arrives while run() is
// still starting would be lost. So stop() repeats until run() has returned.
void HttpServer::stop() {
  stopping_.store(true);
  service_.set_draining();
  while (!finished_.load()) {
    server_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace kerec::serve
