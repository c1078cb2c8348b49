// Failure agreement: a local error on one rank ends the job on every rank with that rank's message,
// instead of leaving the others blocked in the next collective.
//
//   dist::run_agreed(comm, [&] { load_my_share(); });   // collective
//
// runs the body; then all ranks exchange whether it threw. If any rank failed, every rank throws
// RemoteError naming each failed rank and its message ("rank 1: items.tsv:17: column 'price':
// ..."). The body itself must not call collectives that other ranks could skip by failing earlier:
// a body that throws halfway would leave the others waiting. Keep collectives outside the body, or
// make the body purely local.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"

namespace kerec::dist {

// Collective. `local_error` is empty when this rank succeeded. Throws RemoteError on every rank if
// any rank's message is non-empty. An Error subtype thrown locally keeps its message text.
// `local_is_config_error` marks a ConfigError, so RemoteError::config_error() can tell the kind.
void agree(Comm& comm, const std::string& local_error, bool local_is_config_error = false);

// The text of a RemoteError from every rank's message (empty: that rank succeeded): one message
// when all ranks failed alike, else "rank R: message" lines for the ranks that failed.
std::string combine_messages(const std::vector<std::string>& messages);

// Collective. Runs `body`, catches what it throws, and agrees. Rethrows as RemoteError on all
// ranks.
void run_agreed(Comm& comm, const std::function<void()>& body);

}  // namespace kerec::dist
