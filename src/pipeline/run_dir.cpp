#include "kerec/pipeline/run_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "kerec/io/atomic.h"
#include "kerec/io/file_digest.h"
#include "kerec/util/error.h"

namespace kerec::pipeline {

namespace fs = std::filesystem;

fs::path RunDir::log_path(int rank) const {
  return root_ / "logs" / ("rank-" + std::to_string(rank) + ".log");
}

void RunDir::create() const {
  std::error_code ec;
  fs::create_directories(root_ / "logs", ec);
  if (ec)
    throw IoError("cannot create run directory '" + (root_ / "logs").string() +
                  "': " + ec.message());
}

nlohmann::json RunDir::manifest() const {
  const fs::path path = root_ / "manifest.json";
  std::ifstream in(path);
  if (!in) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path.string() + ": not valid JSON: " + e.what());
  }
}

std::optional<nlohmann::json> RunDir::committed(const std::string& stage) const {
  const nlohmann::json m = manifest();
  if (!m.contains("stages") || !m["stages"].contains(stage)) return std::nullopt;
  if (!fs::is_directory(stage_path(stage))) return std::nullopt;
  return m["stages"][stage];
}

void RunDir::record(const std::string& stage, const nlohmann::json& entry) const {
  nlohmann::json m = manifest();
  m["kerec_version"] = KEREC_VERSION;
  m["stages"][stage] = entry;
  io::write_file_atomic(root_ / "manifest.json", m.dump(2) + "\n");
}

nlohmann::json RunDir::digest_folder(const fs::path& dir) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const io::FileDigest d = io::digest_file(e.path());
    files[fs::relative(e.path(), dir).string()] = {{"bytes", d.bytes}, {"xxh64", d.hex()}};
  }
  return files;
}

std::string RunDir::damage(const std::string& stage) const {
  const auto entry = committed(stage);
  if (!entry || !entry->contains("files")) return "";
  const nlohmann::json& files = (*entry)["files"];
  const auto where = [&](const std::string& name) { return (stage_path(stage) / name).string(); };
  for (const auto& [name, want] :
       files.items()) {  // sizes first: cheap, and most damage changes them
    std::error_code ec;
    const auto bytes = fs::file_size(stage_path(stage) / name, ec);
    if (ec)
      return where(name) + ", written by stage '" + stage + "', is missing (" + ec.message() + ")";
    if (bytes != want.value("bytes", uint64_t{0}))
      return where(name) + " has " + std::to_string(bytes) + " bytes; stage '" + stage +
             "' committed " + std::to_string(want.value("bytes", uint64_t{0})) +
             " (truncated or replaced)";
  }
  for (const auto& [name, want] : files.items()) {
    const std::string found = io::digest_file(stage_path(stage) / name).hex();
    if (found != want.value("xxh64", ""))
      return where(name) + " has xxh64 " + found + "; stage '" + stage + "' committed " +
             want.value("xxh64", "") + " (damaged or changed since)";
  }
  return "";
}

void RunDir::verify(const std::string& stage) const {
  const std::string why = damage(stage);
  if (why.empty()) return;
  throw DamagedArtifact(why + ". Rebuild it with `kerec run --stages " + stage +
                        " --force` (with the same --config and --set), or restore the file.");
}

void RunDir::write_file(const std::string& name, const std::string& text) const {
  io::write_file_atomic(root_ / name, text);
}

bool verify_recorded_file(const fs::path& file) {
  const fs::path abs = fs::absolute(file).lexically_normal();
  const fs::path stage_dir = abs.parent_path();
  const RunDir run(stage_dir.parent_path());
  if (!fs::exists(run.root() / "manifest.json")) return false;
  const std::string stage = stage_dir.filename().string();
  const auto entry = run.committed(stage);
  const std::string name = abs.filename().string();
  if (!entry || !entry->contains("files") || !(*entry)["files"].contains(name)) return false;
  const nlohmann::json& want = (*entry)["files"][name];
  const io::FileDigest found = io::digest_file(abs);
  if (found.bytes != want.value("bytes", uint64_t{0}) || found.hex() != want.value("xxh64", ""))
    throw DamagedArtifact(abs.string() + " does not match what stage '" + stage +
                          "' committed in " + run.root().string() + " (" +
                          std::to_string(want.value("bytes", uint64_t{0})) + " bytes, xxh64 " +
                          want.value("xxh64", "") + "; found " + std::to_string(found.bytes) +
                          " bytes, xxh64 " + found.hex() +
                          "): damaged or changed since. Rebuild it with `kerec run "
                          "--stages " +
                          stage + " --force` on that run directory, or restore the file.");
  return true;
}

namespace {

std::string holder_text() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const char* job = std::getenv("SLURM_JOB_ID");
  const std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return std::string("host ") + host + ", pid " + std::to_string(::getpid()) +
         (job ? std::string(", Slurm job ") + job : std::string()) + ", since " + when;
}

}  // namespace

RunLock::RunLock(const RunDir& run) {
  const fs::path path = run.root() / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw IoError(
        errno_message("cannot open the run directory's lock file '" + path.string() + "'", errno));
  struct flock lock = {};
  lock.l_type = F_WRLCK, lock.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_SETLK, &lock) != 0) {
    const int err = errno;
    char buf[512] = {};
    const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EACCES && err != EAGAIN)
      throw IoError(errno_message("cannot lock '" + path.string() + "'", err));
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another process";
    while (!holder.empty() && holder.back() == '\n') holder.pop_back();
    throw RunDirInUse("run directory " + run.root().string() + " is in use by another kerec job (" +
                      holder + "; " + path.string() +
                      "): wait for it to finish, or give this job another run.dir");
  }
  // Best effort: without the text the lock still holds; another job's message just lacks the name.
  const std::string text = holder_text() + "\n";
  [[maybe_unused]] const bool named =
      ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, text.data(), text.size(), 0) > 0;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

std::vector<std::string> remove_stale_staging(const RunDir& run) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(run.root(), ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.find(".staging-") == std::string::npos) continue;
    fs::remove_all(e.path(), ec);
    if (ec)
      throw IoError("cannot remove the leftover staging folder '" + e.path().string() +
                    "': " + ec.message());
    removed.push_back(name);
  }
  return removed;
}

}  // namespace kerec::pipeline
