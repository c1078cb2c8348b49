#include "kerec/dist/agree.h"

#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"

namespace kerec::dist {

void agree(Comm& comm, const std::string& local_error) {
  // One cheap allreduce on the happy path; the messages travel only when someone failed.
  const int32_t failed = allreduce_value<int32_t>(comm, local_error.empty() ? 0 : 1, ReduceOp::kMax);
  if (!failed) return;
  const auto messages = allgather_strings(comm, local_error);
  std::string text;
  int failures = 0;
  for (size_t r = 0; r < messages.size(); ++r) {
    if (messages[r].empty()) continue;
    if (failures++) text += "\n";
    text += comm.size() > 1 ? "rank " + std::to_string(r) + ": " + messages[r] : messages[r];
  }
  throw RemoteError(text);
}

void run_agreed(Comm& comm, const std::function<void()>& body) {
  std::string error;
  try {
    body();
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "unknown error";
  }
  agree(comm, error);
}

}  // namespace kerec::dist
