// Process resource figures for reports.
#pragma once

#include <cstdint>

namespace kerec {

// Peak resident set size of this process so far, in bytes (getrusage ru_maxrss).
int64_t peak_rss_bytes();
// CPU time (user + system) of this process so far, in seconds.
double cpu_seconds();

}  // namespace kerec
