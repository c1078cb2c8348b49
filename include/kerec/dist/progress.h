// Progress lines for long loops, suitable for a batch log: "extract: 1.20M/5.00M titles (24%),
// 410k/s, ETA 9s". Plain text, one line per report, no terminal control codes.
//
// add() is local and cheap. sync() is collective (one allreduce): every rank must call it the same
// number of times, e.g. once per batch of a loop whose batch count all ranks agree on; rank 0
// prints when `interval_s` has passed since its last line. finish() is collective and prints the
// total.
//
// For loops whose length differs between ranks (each reads its own part of a file), step() is the
// sync that also tells whether any rank has work left:
//
//   do { bool done = read_batch(...); progress.add(n); } while (progress.step(done));
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "kerec/dist/comm.h"

namespace kerec {

class Progress {
 public:
  // `global_total` is the expected total over all ranks (0 if unknown: no percentage or ETA).
  Progress(dist::Comm& comm, std::string what, std::string unit, uint64_t global_total,
           double interval_s);

  void add(uint64_t local_count) { local_ += local_count; }
  void sync();
  // Collective, like sync(); `local_done` says this rank has no more work. Returns true while any
  // rank has work left, so every rank keeps calling step() until all are done.
  bool step(bool local_done);
  // Returns the global count.
  uint64_t finish();

  // "1.20M", "410k", "999": three significant figures.
  static std::string human(double value);

 private:
  uint64_t global_count();
  void maybe_print(uint64_t done);
  std::string line(uint64_t done, double elapsed_s) const;

  dist::Comm& comm_;
  std::string what_, unit_;
  uint64_t total_, local_ = 0;
  double interval_s_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace kerec
