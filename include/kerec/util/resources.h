// Process resource figures for reports.
#pragma once

#include <cstdint>

namespace kerec {

// Peak resident set size of this process in bytes: since the last reset_peak_rss() that
// succeeded, else since the process started. Linux VmHWM (/proc/self/status); getrusage's
// ru_maxrss where /proc is unreadable.
int64_t peak_rss_bytes();
// Returns freed heap pages to the OS (malloc_trim) and restarts the peak at the current resident
// size (writes "5" to /proc/self/clear_refs, Linux >= 4.0). False where the kernel refuses: the
// peak then still counts from process start.
bool reset_peak_rss();
// CPU time (user + system) of this process so far, in seconds.
double cpu_seconds();

}  // namespace kerec
