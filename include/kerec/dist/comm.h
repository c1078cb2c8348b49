// The communicator: the only view of the process group that algorithm code gets.
//
// Algorithms take `Comm&` and contain no MPI types, so the same code runs in-process with one rank
// (LocalComm, unit tests) and under mpirun/srun with many (MpiComm, dist/mpi_comm.h).
//
// Collective contract: every rank calls the same collectives, in the same order, with compatible
// arguments (same element type and reduce op; same root; for allreduce and broadcast the same
// count). A rank that meets a local error must not skip a collective the others will call: it
// reports the error through agree() (dist/agree.h) at the next agreement point, so all ranks fail
// together.
//
// Threading rule: a Comm is used from one thread only (the main thread). MPI is initialised with
// MPI_THREAD_FUNNELED; worker threads (e.g. the LLM client's event loop) hand results back to the
// main thread, which does the communication.
//
// Sizes are size_t throughout: implementations split transfers whose counts exceed INT_MAX (MPI's
// int counts) into several calls, so callers never see that limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kerec::dist {

enum class DType : uint8_t { kInt32, kInt64, kUint64, kFloat32, kFloat64, kUint8 };
enum class ReduceOp : uint8_t { kSum, kMax, kMin };

size_t dtype_size(DType type);

class Comm {
 public:
  virtual ~Comm() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  virtual void barrier() = 0;

  // In place: on return every rank's `data[0, count)` holds the element-wise reduction.
  virtual void allreduce(void* data, size_t count, DType type, ReduceOp op) = 0;

  // In place: `bytes` bytes from `root` are copied to every rank. `bytes` must match on all ranks.
  virtual void broadcast(void* data, size_t bytes, int root) = 0;

  // Every rank contributes `send` (any length); on return `recv` is the concatenation of all ranks'
  // contributions in rank order and `recv_bytes[r]` the length of rank r's part.
  virtual void allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                          std::vector<size_t>& recv_bytes) = 0;

  // `send` holds the parts for ranks 0..size-1 back to back, `send_bytes[r]` bytes for rank r.
  // On return `recv` holds the parts received from ranks 0..size-1 back to back and
  // `recv_bytes[r]` the length of the part from rank r.
  virtual void alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                         std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) = 0;

  // Ends every process of the job at once (MPI_Abort). For errors that cannot be agreed on, where
  // waiting for the other ranks could hang. Does not return.
  [[noreturn]] virtual void abort(int exit_code) = 0;

  // The underlying MPI_Comm, as an opaque pointer to it, for the one library that needs it
  // (parallel HDF5 in io/). nullptr when there is no MPI communicator (LocalComm).
  virtual const void* native_handle() const = 0;
};

}  // namespace kerec::dist
