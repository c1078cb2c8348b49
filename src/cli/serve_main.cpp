// `kerec serve`: the HTTP recommender over a run's serving.h5 (docs/serving.md "kerec serve").
#include "serve_main.h"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <thread>

#include "kerec/serve/http.h"
#include "kerec/serve/service.h"
#include "kerec/util/error.h"
#include "kerec/util/log.h"

namespace kerec::cli {

void add_serve_options(CLI::App* cmd, ServeArgs& a) {
  cmd->add_option("serving_h5", a.service.serving_h5,
                  "the export stage's serving.h5 (RUN_DIR/export/serving.h5)")
      ->required();
  cmd->add_option("--host", a.http.host,
                  "address to listen on (loopback unless you ask for another)")
      ->capture_default_str();
  cmd->add_option("--port", a.http.port,
                  "port (0: any free port; the first line on stdout names it)")
      ->capture_default_str();
  cmd->add_option("--threads", a.http.threads, "worker threads (one per open connection)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--max-body-bytes", a.http.max_body_bytes,
                  "larger request bodies are refused with 413")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{256}, int64_t{1} << 30));
  cmd->add_option("--reload-poll-ms", a.http.reload_poll_ms,
                  "check serving.h5 for a new version this often (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  cmd->add_option("--clock", a.service.clock,
                  "request time: 'logs' (end of the logs + time since start) or 'wall'")
      ->capture_default_str()
      ->check(CLI::IsMember({"logs", "wall"}));
  cmd->add_option("--max-k", a.service.limits.max_k, "largest k a request may ask for")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--per-channel", a.service.per_channel,
                  "candidates each recall channel contributes")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  cmd->add_option("--items-per-entity", a.service.items_per_entity,
                  "items a channel takes from each entity")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
}

namespace {
sigset_t stop_signal_set() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGINT);
  return s;
}
}  // namespace

void block_stop_signals() {
  const sigset_t s = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}

int cmd_serve(ServeArgs args, const std::string& version) {
  // SIGTERM / SIGINT: drain and stop. Blocked before any thread starts, so that every thread
  // inherits the mask and only the watcher below receives them; one that arrived while the model
  // was loading is pending and handled as soon as the watcher starts.
  block_stop_signals();
  const sigset_t stop_signals = stop_signal_set();
  std::signal(SIGPIPE,
              SIG_IGN);  // a client that hangs up is the socket's error, not the process's end

  serve::RecommendService service(args.service);
  args.http.server_version = version;
  serve::HttpServer server(service, args.http);
  const int port = server.bind();
  std::printf("listening on http://%s:%d\n", args.http.host.c_str(), port);
  std::fflush(stdout);
  log::info("serve: {} ready, {} threads", args.service.serving_h5.string(), args.http.threads);
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (sig == SIGTERM || sig == SIGINT)
      log::info("serve: {}: draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    server.stop();
  });
  server.run();
  pthread_kill(watcher.native_handle(), SIGTERM);  // when run() ended on its own; else a no-op wake
  watcher.join();
  log::info("serve: stopped; {}", service.stats().body.dump());
  return 0;
}

}  // namespace kerec::cli
