// kerec-llm-sim: an OpenAI-compatible chat-completions server on loopback that answers the pairs in
// the prompt from a synthetic world's truth (kerec/llm/sim.h), for demos, tests and benchmarks.
//
//   kerec-llm-sim --world DIR --port 0 [--latency-median-ms 50] [--rate-429 0.1] ...
//
// The first line on stdout is "listening on http://127.0.0.1:PORT/v1". Endpoints:
// POST /v1/chat/completions, GET /v1/models, GET /v1/stats (what it served, as JSON).
// SIGTERM or SIGINT stops it; it then prints its stats on stderr (unless --quiet).
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "kerec/llm/sim.h"
#include "kerec/util/error.h"

namespace {

using kerec::llm::SimOptions;
using kerec::llm::SimReply;
using kerec::llm::SimService;

// At most `limit` requests are processed at once; the others wait (as in a real server's queue).
class Gate {
 public:
  explicit Gate(int64_t limit) : free_(limit) {}
  void enter() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void leave() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int64_t free_;
};

void add_options(CLI::App& app, SimOptions& o) {
  app.add_option("--seed", o.seed, "seed of verdicts, faults and latency");
  app.add_option("--model", o.model, "model name listed by /v1/models");
  app.add_option("--fp-rate", o.fp_rate, "chance of yes for a non-complement");
  app.add_option("--fn-rate", o.fn_rate, "chance of no for a complement");
  app.add_option("--uncertain-rate", o.uncertain_rate, "chance of uncertain");
  app.add_option("--link-wrong-rate", o.link_wrong_rate,
                 "linking: chance to name another candidate than the true entity");
  app.add_option("--link-miss-rate", o.link_miss_rate,
                 "linking: chance to answer none although the true entity is a candidate");
  app.add_option("--rare-factor", o.rare_factor, "error multiplier for rare entities");
  app.add_option("--rare-items", o.rare_items, "an entity with at most this many items is rare");
  app.add_option("--latency-median-ms", o.latency_median_ms, "median latency (lognormal)");
  app.add_option("--latency-sigma", o.latency_sigma, "sigma of log latency");
  app.add_option("--max-concurrency", o.max_concurrency, "requests processed at once");
  app.add_option("--rate-429", o.rate_429, "share of requests answered 429 with Retry-After");
  app.add_option("--retry-after-ms", o.retry_after_ms, "Retry-After of a 429");
  app.add_option("--rate-500", o.rate_500, "share answered 500");
  app.add_option("--rate-503", o.rate_503, "share answered 503");
  app.add_option("--rate-stall", o.rate_stall, "share that stall for --stall-ms");
  app.add_option("--stall-ms", o.stall_ms, "how long a stalled request waits");
  app.add_option("--rate-malformed", o.rate_malformed, "share with content that is not JSON");
  app.add_option(
      "--sloppy-rate", o.sloppy_rate,
      "share of answers written as chat models write them (prose, fences, capitalised words, "
      "numbers as strings, numeric ids, missing reasons)");
  app.add_option("--response-formats", o.response_formats,
                 "response_format types taken (json_schema, json_object, none); others get a 400 "
                 "naming response_format")
      ->delimiter(',')
      ->check(CLI::IsMember({"json_schema", "json_object", "none"}));
  app.add_option("--rate-truncated", o.rate_truncated,
                 "share with truncated content (finish_reason length)");
  app.add_option("--rate-wrong-id", o.rate_wrong_id, "share with one verdict for an id not asked");
  app.add_option("--rate-close", o.rate_close, "share whose connection is closed mid-response");
}

void serve_chat(SimService& service, Gate& gate, const httplib::Request& req,
                httplib::Response& res) {
  gate.enter();
  SimReply reply = service.chat(req.body);
  if (reply.delay_ms > 0)
    std::this_thread::sleep_for(
        std::chrono::microseconds(static_cast<int64_t>(reply.delay_ms * 1000)));
  gate.leave();
  if (reply.close_connection) {
    // Headers go out, then the body provider fails: the client sees the connection drop
    // mid-response.
    res.set_content_provider(reply.body.size() + 100, "application/json",
                             [](size_t, size_t, httplib::DataSink&) { return false; });
    return;
  }
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name.c_str(), value);
  res.set_content(reply.body, "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "kerec-llm-sim: an OpenAI-compatible LLM simulator answering from a synthetic world's truth"};
  std::string world_dir;
  int port = 0;
  int threads = 128;
  bool quiet = false;
  SimOptions options;
  app.add_option("--world", world_dir, "world directory (entities.tsv, truth/)")->required();
  app.add_option("--port", port, "TCP port on 127.0.0.1; 0 picks a free one");
  app.add_option("--threads", threads, "server threads (one per open connection)");
  app.add_flag("--quiet", quiet, "no stats on stderr at exit");
  add_options(app, options);
  CLI11_PARSE(app, argc, argv);

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // inherited by every server thread
  signal(SIGPIPE, SIG_IGN);

  try {
    kerec::llm::SimWorld world(world_dir);
    SimService service(world, options);
    Gate gate(std::max<int64_t>(1, options.max_concurrency));
    httplib::Server server;
    server.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    server.set_tcp_nodelay(true);  // else delayed ACKs add ~40 ms to every response
    server.set_keep_alive_max_count(1000000);
    server.set_keep_alive_timeout(120);
    server.Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
      serve_chat(service, gate, req, res);
    });
    server.Get("/v1/models", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(service.models(), "application/json");
    });
    server.Get("/v1/stats", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(service.stats().dump(), "application/json");
    });
    const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                                : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound <= 0) {
      std::fprintf(stderr, "kerec-llm-sim: error: cannot listen on 127.0.0.1:%d\n", port);
      return 1;
    }
    std::printf("listening on http://127.0.0.1:%d/v1\n", bound);
    std::fflush(stdout);
    std::atomic<bool> listen_ended{false};
    std::thread stopper([&] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      // stop() does nothing before listen_after_bind() runs: a signal that comes first (a rank
      // with nothing to ask stops its simulator at once) waits for it, or the server would run on.
      while (!listen_ended) {
        if (server.is_running()) return server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
    server.listen_after_bind();
    listen_ended = true;
    if (stopper.joinable()) {
      pthread_kill(stopper.native_handle(), SIGTERM);  // when listen ended on its own
      stopper.join();
    }
    if (!quiet) std::fprintf(stderr, "kerec-llm-sim: served %s\n", service.stats().dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kerec-llm-sim: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
