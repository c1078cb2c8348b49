// A Comm of one rank, in-process: every collective is a copy or a no-op. Unit tests and single
// process runs use it; algorithm code cannot tell it from MpiComm with one rank.
#pragma once

#include "kerec/dist/comm.h"

namespace kerec::dist {

class LocalComm final : public Comm {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void barrier() override {}
  void allreduce(void*, size_t, DType, ReduceOp) override {}
  void broadcast(void*, size_t, int root) override;
  void allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                  std::vector<size_t>& recv_bytes) override;
  void alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                 std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) override;
  [[noreturn]] void abort(int exit_code) override;
  const void* native_handle() const override { return nullptr; }
};

}  // namespace kerec::dist
