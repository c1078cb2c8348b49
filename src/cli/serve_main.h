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
// Serves until SIGTERM or SIGINT, then drains; returns the exit code. Throws what loading throws.
int cmd_serve(ServeArgs args, const std::string& version);

}  // namespace kerec::cli
