// Starting and stopping a kerec-llm-sim child process (llm.base_url = "simulator", tests, benches).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kerec::llm {

// The kerec-llm-sim executable: $KEREC_LLM_SIM if set, else beside the running executable or in
// its parent directory (build/kerec and build/tests/x both find build/kerec-llm-sim). IoError.
std::filesystem::path find_simulator();

class SimulatorProcess {
 public:
  // Starts `exe --world DIR --port 0 --quiet ARGS...` and waits (up to 30 s) for its first line.
  // The child gets SIGTERM if this process dies (PR_SET_PDEATHSIG), so a killed job leaves no
  // simulator behind. IoError with the child's output if it does not start.
  SimulatorProcess(const std::filesystem::path& exe, const std::string& world_dir,
                   const std::vector<std::string>& args);
  ~SimulatorProcess() { stop(); }
  // SIGTERM and wait; SIGKILL if it has not ended 10 s later (nothing waits on a stuck child).
  // True when it ended by itself after SIGTERM. Once stopped, later calls return true.
  bool stop();
  SimulatorProcess(const SimulatorProcess&) = delete;
  SimulatorProcess& operator=(const SimulatorProcess&) = delete;

  // "http://127.0.0.1:PORT/v1".
  const std::string& base_url() const { return url_; }
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  std::string url_;
};

}  // namespace kerec::llm
