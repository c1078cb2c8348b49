#include "kerec/dist/collectives.h"

#include <stdexcept>

namespace kerec::dist {

size_t dtype_size(DType type) {
  switch (type) {
    case DType::kInt32:
      return 4;
    case DType::kInt64:
      return 8;
    case DType::kUint64:
      return 8;
    case DType::kFloat32:
      return 4;
    case DType::kFloat64:
      return 8;
    case DType::kUint8:
      return 1;
  }
  throw std::invalid_argument("dtype_size: unknown DType");
}

void broadcast_string(Comm& comm, std::string& text, int root) {
  uint64_t n = broadcast_value<uint64_t>(comm, text.size(), root);
  text.resize(n);
  comm.broadcast(text.data(), n, root);
}

std::vector<std::string> allgather_strings(Comm& comm, const std::string& local) {
  std::vector<size_t> counts;
  auto all = allgatherv<char>(comm, std::span<const char>(local.data(), local.size()), &counts);
  std::vector<std::string> out;
  size_t offset = 0;
  for (size_t n : counts) {
    out.emplace_back(all.data() + offset, n);
    offset += n;
  }
  return out;
}

std::vector<std::string> gather_strings(Comm& comm, const std::string& local, int root) {
  // One raw alltoallv: its received sizes tell the ranks' strings apart.
  std::vector<size_t> send_bytes(static_cast<size_t>(comm.size()), 0);
  send_bytes[static_cast<size_t>(root)] = local.size();
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(std::as_bytes(std::span<const char>(local.data(), local.size())), send_bytes, recv,
                 recv_bytes);
  std::vector<std::string> out;
  if (comm.rank() != root) return out;
  size_t offset = 0;
  for (size_t n : recv_bytes) {
    out.emplace_back(reinterpret_cast<const char*>(recv.data()) + offset, n);
    offset += n;
  }
  return out;
}

Block block_of(uint64_t n, int parts, int r) {
  if (parts <= 0 || r < 0 || r >= parts) throw std::invalid_argument("block_of: bad part index");
  const uint64_t p = static_cast<uint64_t>(parts), i = static_cast<uint64_t>(r);
  const uint64_t base = n / p, extra = n % p;
  const uint64_t begin = i * base + std::min(i, extra);
  return {begin, begin + base + (i < extra ? 1 : 0)};
}

}  // namespace kerec::dist
