// The Comm of an MPI job, on Boost.MPI. Only main() creates the MPI environment (MpiRuntime) and
// the world communicator; algorithm code sees `Comm&`.
//
// Transfers larger than `max_chunk_bytes` are split into several MPI calls, so sizes above INT_MAX
// (MPI's int counts) work; tests set a small chunk size to exercise that path.
#pragma once

#include <memory>

#include "kerec/dist/comm.h"

namespace kerec::dist {

// Owns MPI initialisation (MPI_THREAD_FUNNELED: only the main thread calls MPI) and finalisation.
// Exactly one per process, created first thing in main() and destroyed last, because MPI may be
// initialised only once per process and every MPI call must happen between the two.
class MpiRuntime {
 public:
  MpiRuntime(int& argc, char**& argv);
  ~MpiRuntime();
  MpiRuntime(const MpiRuntime&) = delete;
  MpiRuntime& operator=(const MpiRuntime&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class MpiComm final : public Comm {
 public:
  static constexpr size_t kDefaultMaxChunkBytes = size_t{1} << 30;

  // The world communicator of the running MpiRuntime.
  explicit MpiComm(size_t max_chunk_bytes = kDefaultMaxChunkBytes);
  ~MpiComm() override;

  int rank() const override;
  int size() const override;
  void barrier() override;
  void allreduce(void* data, size_t count, DType type, ReduceOp op) override;
  void broadcast(void* data, size_t bytes, int root) override;
  void allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                  std::vector<size_t>& recv_bytes) override;
  void alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                 std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) override;
  [[noreturn]] void abort(int exit_code) override;
  const void* native_handle() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t max_chunk_bytes_;
};

}  // namespace kerec::dist
