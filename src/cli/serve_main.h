// `kerec serve` (docs/serving.md). A single process: it runs before MPI is initialised (main.cpp).
#pragma once

#include <string>

#include "kerec/serve/http.h"
#include "kerec/serve/service.h"

namespace CLI {
class App;
}

namespace kerec::cli {

struct ServeArgs {
  serve::ServiceConfig service;
  serve::HttpOptions http;
};

void add_serve_options(CLI::App* cmd, ServeArgs& args);
// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts later); cmd_serve's
// watcher receives them. Call first, so a signal during start-up is handled, not fatal.
void block_stop_signals();
// Serves until SIGTERM or SIGINT, then drains; returns the exit code. Throws what loading throws.
int cmd_serve(ServeArgs args, const std::string& version);

}  // namespace kerec::cli
