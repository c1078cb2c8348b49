#include "kerec/llm/sim_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <utility>

#include "kerec/util/error.h"
#include "kerec/util/log.h"

namespace kerec::llm {
namespace {

namespace fs = std::filesystem;

// Reads up to the first newline from `fd`, waiting at most `timeout_ms` in all.
std::string read_first_line(int fd, int timeout_ms) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (out.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[256];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

fs::path find_simulator() {
  if (const char* env = std::getenv("KEREC_LLM_SIM"); env && *env) return env;
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const fs::path dir = fs::path(std::string(exe, static_cast<size_t>(n))).parent_path();
    for (const fs::path& candidate : {dir / "kerec-llm-sim", dir.parent_path() / "kerec-llm-sim"})
      if (fs::exists(candidate)) return candidate;
  }
  throw IoError(
      "kerec-llm-sim not found beside the running executable; build it or set KEREC_LLM_SIM");
}

SimulatorProcess::SimulatorProcess(const fs::path& exe, const std::string& world_dir,
                                   const std::vector<std::string>& args) {
  std::vector<std::string> argv_s = {exe.string(), "--world", world_dir, "--port", "0", "--quiet"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw IoError(errno_message("pipe for kerec-llm-sim", errno));
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw IoError(errno_message("fork for kerec-llm-sim", errno));
  if (pid_ == 0) {  // child: only async-signal-safe calls until exec
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(out[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  // The simulator loads the whole world before it listens: 30 s at world.scale = 20 on an idle
  // core, longer beside busy ranks. A simulator that dies ends the wait at once (end of file).
  constexpr int kStartTimeoutMs = 300000;
  const std::string line = read_first_line(out[0], kStartTimeoutMs);
  ::close(out[0]);
  const std::string prefix = "listening on ";
  if (line.rfind(prefix, 0) != 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    throw IoError("kerec-llm-sim (" + exe.string() + " --world " + world_dir +
                  ") did not start within " + std::to_string(kStartTimeoutMs / 1000) +
                  " s; it printed: '" + line + "'");
  }
  url_ = line.substr(prefix.size(), line.find('\n') - prefix.size());
}

bool SimulatorProcess::stop() {
  if (pid_ <= 0) return true;
  const int pid = std::exchange(pid_, -1);
  ::kill(pid, SIGTERM);
  for (int waited_ms = 0; waited_ms < 10000; waited_ms += 10) {
    if (::waitpid(pid, nullptr, WNOHANG) != 0) return true;
    ::usleep(10000);
  }
  log::warn("kerec-llm-sim (pid {}) did not stop within 10 s of SIGTERM; killing it", pid);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return false;
}

}  // namespace kerec::llm
