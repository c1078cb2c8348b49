// `kerec report RUN_DIR`: the run as one HTML page and Markdown (scripts/report.py, matplotlib).
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "commands.h"
#include "kerec/util/data_file.h"
#include "kerec/util/error.h"

extern char** environ;

namespace kerec::cli {

int cmd_report(dist::Comm& comm, const std::string& run_dir, const std::string& out_dir,
               const std::string& sweep) {
  if (comm.rank() != 0) return kExitOk;
  namespace fs = std::filesystem;
  if (!fs::exists(fs::path(run_dir) / "manifest.json"))
    throw InputError(run_dir + ": not a run directory (no manifest.json)");
  const fs::path script =
      locate_data_file("scripts/report.py", "the report script ships with kerec's sources");
  const std::string out = out_dir.empty() ? (fs::path(run_dir) / "report").string() : out_dir;
  std::vector<std::string> args = {"/usr/bin/python3", script.string(), run_dir, out};
  if (!sweep.empty()) args.insert(args.end(), {"--sweep", sweep});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int rc = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ); rc != 0)
    throw IoError("report: cannot start /usr/bin/python3 (python3-matplotlib is needed): " +
                  std::string(strerror(rc)));
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) throw IoError("report: waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw IoError("report: " + script.string() + " failed (exit " +
                  std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) +
                  ")");
  return kExitOk;
}

}  // namespace kerec::cli
