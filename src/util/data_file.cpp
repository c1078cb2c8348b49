// Files shipped beside the binary (util/data_file.h).
#include "kerec/util/data_file.h"

#include <unistd.h>

#include "kerec/util/error.h"

namespace kerec {

std::filesystem::path locate_data_file(const std::string& relative, const std::string& hint) {
  namespace fs = std::filesystem;
  const fs::path given(relative);
  std::string tried = given.string();
  if (fs::exists(given) || given.is_absolute()) {
    if (fs::exists(given)) return given;
    throw IoError("not found: " + tried + " (" + hint + ")");
  }
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    fs::path dir = fs::path(std::string(exe, static_cast<size_t>(n))).parent_path();
    for (int up = 0; up < 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
      const fs::path candidate = dir / given;
      tried += ", " + candidate.string();
      if (fs::exists(candidate)) return candidate;
      if (dir == dir.parent_path()) break;
    }
  }
  throw IoError("not found; tried " + tried + " (" + hint + ")");
}

}  // namespace kerec
