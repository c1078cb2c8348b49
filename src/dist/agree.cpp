#include "kerec/dist/agree.h"

#include <algorithm>

#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"

namespace kerec::dist {

void agree(Comm& comm, const std::string& local_error, bool local_is_config_error) {
  // One cheap allreduce on the happy path; the messages travel only when someone failed.
  // Failure kinds: 0 none, 1 config error, 2 any other error; the max tells whether all were
  // config.
  const int32_t kind = local_error.empty() ? 0 : (local_is_config_error ? 1 : 2);
  const int32_t worst = allreduce_value<int32_t>(comm, kind, ReduceOp::kMax);
  if (!worst) return;
  const auto messages = allgather_strings(comm, local_error);
  throw RemoteError(combine_messages(messages), worst == 1);
}

std::string combine_messages(const std::vector<std::string>& messages) {
  // The same error on every rank (a verdict over combined data) is told once, without ranks.
  if (std::all_of(messages.begin(), messages.end(),
                  [&](const auto& m) { return m == messages[0]; }))
    return messages[0];
  std::string text;
  for (size_t r = 0; r < messages.size(); ++r) {
    if (messages[r].empty()) continue;
    if (!text.empty()) text += "\n";
    text += messages.size() > 1 ? "rank " + std::to_string(r) + ": " + messages[r] : messages[r];
  }
  return text;
}

void run_agreed(Comm& comm, const std::function<void()>& body) {
  std::string error;
  bool config_error = false;
  try {
    body();
  } catch (const ConfigError& e) {
    error = e.what();
    config_error = true;
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "unknown error";
  }
  agree(comm, error, config_error);
}

}  // namespace kerec::dist
