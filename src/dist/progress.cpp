#include "kerec/dist/progress.h"

#include <cmath>
#include <cstdio>

#include "kerec/dist/collectives.h"
#include "kerec/util/log.h"

namespace kerec {

Progress::Progress(dist::Comm& comm, std::string what, std::string unit, uint64_t global_total,
                   double interval_s)
    : comm_(comm),
      what_(std::move(what)),
      unit_(std::move(unit)),
      total_(global_total),
      interval_s_(interval_s),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

std::string Progress::human(double v) {
  const char* suffix = "";
  if (v >= 1e9)
    v /= 1e9, suffix = "G";
  else if (v >= 1e6)
    v /= 1e6, suffix = "M";
  else if (v >= 1e3)
    v /= 1e3, suffix = "k";
  char buf[32];
  const int decimals = *suffix == 0 || v >= 100 ? 0 : (v >= 10 ? 1 : 2);
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, v, suffix);
  return buf;
}

uint64_t Progress::global_count() {
  return dist::allreduce_value<uint64_t>(comm_, local_, dist::ReduceOp::kSum);
}

std::string Progress::line(uint64_t done, double elapsed_s) const {
  const double rate = elapsed_s > 0 ? done / elapsed_s : 0.0;
  std::string s = what_ + ": " + human(done);
  if (total_ > 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, " (%.0f%%)", 100.0 * done / total_);
    s += "/" + human(total_) + " " + unit_ + pct;
  } else {
    s += " " + unit_;
  }
  s += ", " + human(rate) + "/s";
  if (total_ > done && rate > 0)
    s += ", ETA " + std::to_string(static_cast<int64_t>(std::ceil((total_ - done) / rate))) + "s";
  return s;
}

void Progress::sync() { maybe_print(global_count()); }

bool Progress::step(bool local_done) {
  uint64_t values[2] = {local_, local_done ? 0u : 1u};  // count, ranks with work left
  dist::allreduce(comm_, std::span<uint64_t>(values), dist::ReduceOp::kSum);
  maybe_print(values[0]);
  return values[1] > 0;
}

void Progress::maybe_print(uint64_t done) {
  const auto now = std::chrono::steady_clock::now();
  if (comm_.rank() != 0 || std::chrono::duration<double>(now - last_print_).count() < interval_s_)
    return;
  last_print_ = now;
  log::info("{}", line(done, std::chrono::duration<double>(now - start_).count()));
}

uint64_t Progress::finish() {
  const uint64_t done = global_count();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (comm_.rank() == 0) log::info("{} in {:.1f}s", line(done, elapsed), elapsed);
  return done;
}

}  // namespace kerec
