// SIGTERM / SIGUSR1: "checkpoint and exit, requeue me" (Slurm sends SIGTERM before the time limit,
// or SIGUSR1 with --signal). The handler only sets a flag; the trainer agrees on it across ranks at
// the next step (an allreduce it does anyway), writes a checkpoint, and every rank throws
// Preempted. main() turns Preempted into exit code kExitRequeue.
#pragma once

#include <csignal>
#include <string>

#include "kerec/util/error.h"

namespace kerec::train {

// The documented "checkpointed, requeue me" exit code (EX_TEMPFAIL of sysexits.h).
inline constexpr int kExitRequeue = 75;

// Thrown on every rank at the same step (the stop request was agreed), after the checkpoint.
class Preempted : public RemoteError {
 public:
  using RemoteError::RemoteError;
};

// Installs the handlers for its lifetime and restores the previous ones afterwards. One at a time.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // True once SIGTERM or SIGUSR1 arrived (on this rank).
  bool requested() const;
  // The signal's name, for the message.
  std::string signal_name() const;

 private:
  struct sigaction old_term_ {
  }, old_usr1_{};
};

}  // namespace kerec::train
