// Ranks as threads in one process: a Comm for tests, so collective algorithms run at any rank
// count (1, 2, 3, 4, 7, ...) without mpiexec. Real-MPI tests stay for what MPI itself must show
// (chunking past INT_MAX counts, parallel HDF5, launch and abort).
//
//   run_ranks(3, [](Comm& comm) { ... the code of one rank ... });
//
// runs the function on 3 threads, each with its own ThreadComm (rank 0..2 of a group of 3), and
// returns when all have finished. The collective contract of comm.h applies as under MPI. Results
// are deterministic: allreduce combines the ranks' values in rank order on every rank.
//
// Nothing hangs: a rank that throws (an assertion, an error) or calls abort() breaks the group, so
// every other rank's pending and later collectives throw CommError instead of waiting; run_ranks
// then rethrows the first rank's own exception (lowest rank), not the follow-on CommErrors.
#pragma once

#include <functional>
#include <memory>

#include "kerec/dist/comm.h"

namespace kerec::dist {

class ThreadGroup;

class ThreadComm final : public Comm {
 public:
  ThreadComm(std::shared_ptr<ThreadGroup> group, int rank);

  int rank() const override { return rank_; }
  int size() const override;
  void barrier() override;
  void allreduce(void* data, size_t count, DType type, ReduceOp op) override;
  void broadcast(void* data, size_t bytes, int root) override;
  void allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                  std::vector<size_t>& recv_bytes) override;
  void alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                 std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) override;
  // Breaks the group and throws CommError("rank R aborted with exit code N") in this rank.
  [[noreturn]] void abort(int exit_code) override;
  const void* native_handle() const override { return nullptr; }

 private:
  std::shared_ptr<ThreadGroup> group_;
  int rank_;
};

// Runs `rank_main` on `ranks` threads as described above. Rethrows the first rank's exception.
void run_ranks(int ranks, const std::function<void(Comm&)>& rank_main);

}  // namespace kerec::dist
