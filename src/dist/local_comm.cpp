#include "kerec/dist/local_comm.h"

#include <cstdlib>
#include <stdexcept>

namespace kerec::dist {

void LocalComm::broadcast(void*, size_t, int root) {
  if (root != 0) throw std::invalid_argument("LocalComm::broadcast: root must be 0");
}

void LocalComm::allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                           std::vector<size_t>& recv_bytes) {
  recv.assign(send.begin(), send.end());
  recv_bytes.assign(1, send.size());
}

void LocalComm::alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                          std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) {
  if (send_bytes.size() != 1 || send_bytes[0] != send.size())
    throw std::invalid_argument("LocalComm::alltoallv: send_bytes must be {send.size()}");
  allgatherv(send, recv, recv_bytes);
}

void LocalComm::abort(int exit_code) { std::_Exit(exit_code); }

}  // namespace kerec::dist
