// MpiComm: Boost.MPI owns the environment and the communicator; the data collectives call the MPI
// C API directly because they need MPI_IN_PLACE and byte-level v-collectives, which Boost.MPI does
// not expose. Every MPI call goes through check(), which names the call in a CommError.
#include "kerec/dist/mpi_comm.h"

#include <mpi.h>

#include <algorithm>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <climits>
#include <cstring>

#include "kerec/util/error.h"
#include "kerec/util/watchdog.h"

namespace kerec::dist {
namespace {

void check(int rc, const char* call) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(rc, text, &length);
  throw CommError(std::string(call) + " failed: " + std::string(text, length));
}

MPI_Datatype mpi_type(DType type) {
  switch (type) {
    case DType::kInt32:
      return MPI_INT32_T;
    case DType::kInt64:
      return MPI_INT64_T;
    case DType::kUint64:
      return MPI_UINT64_T;
    case DType::kFloat32:
      return MPI_FLOAT;
    case DType::kFloat64:
      return MPI_DOUBLE;
    case DType::kUint8:
      return MPI_UINT8_T;
  }
  throw CommError("unknown DType");
}

MPI_Op mpi_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return MPI_SUM;
    case ReduceOp::kMax:
      return MPI_MAX;
    case ReduceOp::kMin:
      return MPI_MIN;
  }
  throw CommError("unknown ReduceOp");
}

// Bytes of a part of `total` bytes that travel in round `round` when each round moves `chunk`.
size_t piece(size_t total, size_t round, size_t chunk) {
  const size_t start = round * chunk;
  return start >= total ? 0 : std::min(chunk, total - start);
}

size_t rounds_for(size_t bytes, size_t chunk) { return (bytes + chunk - 1) / chunk; }

// Offsets of back-to-back parts.
std::vector<size_t> offsets_of(std::span<const size_t> sizes) {
  std::vector<size_t> offsets(sizes.size() + 1, 0);
  for (size_t i = 0; i < sizes.size(); ++i) offsets[i + 1] = offsets[i] + sizes[i];
  return offsets;
}

std::vector<int> as_int(std::span<const size_t> v) { return {v.begin(), v.end()}; }

}  // namespace

struct MpiRuntime::Impl {
  boost::mpi::environment env;
  Impl(int& argc, char**& argv) : env(argc, argv, boost::mpi::threading::funneled) {}
};

MpiRuntime::MpiRuntime(int& argc, char**& argv) : impl_(std::make_unique<Impl>(argc, argv)) {
  // Errors come back as return codes so check() can name the call, instead of aborting silently.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

MpiRuntime::~MpiRuntime() = default;

struct MpiComm::Impl {
  boost::mpi::communicator world;  // attaches to MPI_COMM_WORLD
  MPI_Comm comm = MPI_COMM_WORLD;
};

MpiComm::MpiComm(size_t max_chunk_bytes)
    : impl_(std::make_unique<Impl>()),
      max_chunk_bytes_(std::clamp<size_t>(max_chunk_bytes, 8, INT_MAX / 2)) {}

MpiComm::~MpiComm() = default;

int MpiComm::rank() const { return impl_->world.rank(); }
int MpiComm::size() const { return impl_->world.size(); }
void MpiComm::barrier() {
  const watchdog::WatchedCall watch(watchdog::Kind::kCollective, "MPI_Barrier",
                                    "the world communicator");
  impl_->world.barrier();
}
const void* MpiComm::native_handle() const { return &impl_->comm; }

void MpiComm::abort(int exit_code) {
  impl_->world.abort(exit_code);
  std::abort();  // unreachable: MPI_Abort does not return
}

void MpiComm::allreduce(void* data, size_t count, DType type, ReduceOp op) {
  const watchdog::WatchedCall watch(watchdog::Kind::kCollective, "MPI_Allreduce",
                                    "the world communicator");
  const size_t elem = dtype_size(type);
  const size_t chunk_elems = max_chunk_bytes_ / elem;
  auto* bytes = static_cast<std::byte*>(data);
  for (size_t done = 0; done < count; done += chunk_elems) {
    const int n = static_cast<int>(std::min(chunk_elems, count - done));
    check(MPI_Allreduce(MPI_IN_PLACE, bytes + done * elem, n, mpi_type(type), mpi_op(op),
                        impl_->comm),
          "MPI_Allreduce");
  }
}

void MpiComm::broadcast(void* data, size_t bytes, int root) {
  const watchdog::WatchedCall watch(watchdog::Kind::kCollective, "MPI_Bcast",
                                    "the world communicator");
  auto* p = static_cast<std::byte*>(data);
  for (size_t done = 0; done < bytes; done += max_chunk_bytes_) {
    const int n = static_cast<int>(std::min(max_chunk_bytes_, bytes - done));
    check(MPI_Bcast(p + done, n, MPI_BYTE, root, impl_->comm), "MPI_Bcast");
  }
}

void MpiComm::allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                         std::vector<size_t>& recv_bytes) {
  const watchdog::WatchedCall watch(watchdog::Kind::kCollective, "MPI_Allgatherv",
                                    "the world communicator");
  const size_t n = static_cast<size_t>(size());
  uint64_t mine = send.size();
  std::vector<uint64_t> sizes(n);
  check(MPI_Allgather(&mine, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, impl_->comm),
        "MPI_Allgather");
  recv_bytes.assign(sizes.begin(), sizes.end());
  const auto offsets = offsets_of(recv_bytes);
  recv.resize(offsets[n]);
  // Round k moves bytes [k*chunk, (k+1)*chunk) of every rank's part through a staging buffer whose
  // int displacements cannot overflow.
  const size_t chunk = std::max<size_t>(1, max_chunk_bytes_ / n);
  const size_t rounds = rounds_for(*std::max_element(sizes.begin(), sizes.end()), chunk);
  if (rounds <= 1 && offsets[n] <= INT_MAX) {  // straight into recv, as in alltoallv
    auto icounts = as_int(recv_bytes), idispls = as_int(offsets);
    check(MPI_Allgatherv(send.data(), icounts[rank()], MPI_BYTE, recv.data(), icounts.data(),
                         idispls.data(), MPI_BYTE, impl_->comm),
          "MPI_Allgatherv");
    return;
  }
  std::vector<std::byte> stage;
  for (size_t k = 0; k < rounds; ++k) {
    std::vector<size_t> counts(n);
    for (size_t r = 0; r < n; ++r) counts[r] = piece(recv_bytes[r], k, chunk);
    const auto displs = offsets_of(counts);
    stage.resize(displs[n]);
    auto icounts = as_int(counts), idispls = as_int(displs);
    check(MPI_Allgatherv(send.data() + std::min(send.size(), k * chunk), icounts[rank()], MPI_BYTE,
                         stage.data(), icounts.data(), idispls.data(), MPI_BYTE, impl_->comm),
          "MPI_Allgatherv");
    for (size_t r = 0; r < n; ++r)
      if (counts[r])
        std::memcpy(recv.data() + offsets[r] + k * chunk, stage.data() + displs[r], counts[r]);
  }
}

void MpiComm::alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                        std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) {
  const watchdog::WatchedCall watch(watchdog::Kind::kCollective, "MPI_Alltoallv",
                                    "the world communicator");
  const size_t n = static_cast<size_t>(size());
  if (send_bytes.size() != n) throw CommError("alltoallv: send_bytes.size() != comm size");
  std::vector<uint64_t> out_sizes(send_bytes.begin(), send_bytes.end()), in_sizes(n);
  check(MPI_Alltoall(out_sizes.data(), 1, MPI_UINT64_T, in_sizes.data(), 1, MPI_UINT64_T,
                     impl_->comm),
        "MPI_Alltoall");
  recv_bytes.assign(in_sizes.begin(), in_sizes.end());
  const auto send_offsets = offsets_of(send_bytes);
  const auto recv_offsets = offsets_of(recv_bytes);
  if (send_offsets[n] != send.size())
    throw CommError("alltoallv: send_bytes do not add up to send.size()");
  recv.resize(recv_offsets[n]);
  // Every pair moves at most `chunk` bytes per round; all ranks run the same number of rounds.
  const size_t chunk = std::max<size_t>(1, max_chunk_bytes_ / n);
  uint64_t my_rounds = 0;
  for (size_t r = 0; r < n; ++r)
    my_rounds =
        std::max({my_rounds, rounds_for(out_sizes[r], chunk), rounds_for(in_sizes[r], chunk)});
  check(MPI_Allreduce(MPI_IN_PLACE, &my_rounds, 1, MPI_UINT64_T, MPI_MAX, impl_->comm),
        "MPI_Allreduce");
  // One round whose displacements fit an int: straight between the caller's buffers. Staging
  // would hold both payloads a second time (the mode is per rank; the counts are the same).
  if (my_rounds <= 1 && send_offsets[n] <= INT_MAX && recv_offsets[n] <= INT_MAX) {
    auto oc = as_int(send_bytes), od = as_int(send_offsets), ic = as_int(recv_bytes),
         id = as_int(recv_offsets);
    check(MPI_Alltoallv(send.data(), oc.data(), od.data(), MPI_BYTE, recv.data(), ic.data(),
                        id.data(), MPI_BYTE, impl_->comm),
          "MPI_Alltoallv");
    return;
  }
  std::vector<std::byte> out_stage, in_stage;
  for (size_t k = 0; k < my_rounds; ++k) {
    std::vector<size_t> out_counts(n), in_counts(n);
    for (size_t r = 0; r < n; ++r) {
      out_counts[r] = piece(out_sizes[r], k, chunk);
      in_counts[r] = piece(in_sizes[r], k, chunk);
    }
    const auto out_displs = offsets_of(out_counts), in_displs = offsets_of(in_counts);
    out_stage.resize(out_displs[n]);
    in_stage.resize(in_displs[n]);
    for (size_t r = 0; r < n; ++r)
      if (out_counts[r])
        std::memcpy(out_stage.data() + out_displs[r], send.data() + send_offsets[r] + k * chunk,
                    out_counts[r]);
    auto oc = as_int(out_counts), od = as_int(out_displs), ic = as_int(in_counts),
         id = as_int(in_displs);
    check(MPI_Alltoallv(out_stage.data(), oc.data(), od.data(), MPI_BYTE, in_stage.data(),
                        ic.data(), id.data(), MPI_BYTE, impl_->comm),
          "MPI_Alltoallv");
    for (size_t r = 0; r < n; ++r)
      if (in_counts[r])
        std::memcpy(recv.data() + recv_offsets[r] + k * chunk, in_stage.data() + in_displs[r],
                    in_counts[r]);
  }
}

}  // namespace kerec::dist
