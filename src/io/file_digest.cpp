#include "kerec/io/file_digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <vector>

#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::io {

std::string FileDigest::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(xxh64));
  return buf;
}

FileDigest digest_file(const std::filesystem::path& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw IoError(errno_message("cannot open '" + path.string() + "' to verify it", errno));
  std::vector<char> block(1 << 20);
  Xxh64Stream stream(0);
  FileDigest d;
  while (d.bytes < max_bytes) {
    const ssize_t n =
        ::read(fd, block.data(),
               static_cast<size_t>(std::min<uint64_t>(block.size(), max_bytes - d.bytes)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw IoError(errno_message("cannot read '" + path.string() + "' to verify it", err));
    }
    if (n == 0) break;
    stream.update(block.data(), static_cast<size_t>(n));
    d.bytes += static_cast<uint64_t>(n);
  }
  ::close(fd);
  d.xxh64 = stream.digest();
  return d;
}

}  // namespace kerec::io
