// Typed collectives over spans and vectors, on top of the byte-level Comm interface.
// The collective contract of comm.h applies to every function here.
// Element types must be trivially copyable; allreduce supports the arithmetic types of DType.
#pragma once

#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "kerec/dist/comm.h"

namespace kerec::dist {

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, int32_t>)
    return DType::kInt32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return DType::kInt64;
  else if constexpr (std::is_same_v<T, uint64_t>)
    return DType::kUint64;
  else if constexpr (std::is_same_v<T, float>)
    return DType::kFloat32;
  else if constexpr (std::is_same_v<T, double>)
    return DType::kFloat64;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return DType::kUint8;
  else
    static_assert(sizeof(T) == 0, "allreduce: unsupported element type");
}

// In place element-wise reduction across ranks. `data.size()` must match on every rank.
template <class T>
void allreduce(Comm& comm, std::span<T> data, ReduceOp op) {
  comm.allreduce(data.data(), data.size(), dtype_of<T>(), op);
}

template <class T>
T allreduce_value(Comm& comm, T value, ReduceOp op) {
  allreduce(comm, std::span<T>(&value, 1), op);
  return value;
}

// In place: root's elements replace everyone's. `data.size()` must match on every rank.
template <class T>
void broadcast(Comm& comm, std::span<T> data, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  comm.broadcast(data.data(), data.size_bytes(), root);
}

template <class T>
T broadcast_value(Comm& comm, T value, int root) {
  broadcast(comm, std::span<T>(&value, 1), root);
  return value;
}

// Root's vector is copied to every rank; other ranks' vectors are resized. Sizes may differ before.
template <class T>
void broadcast_vector(Comm& comm, std::vector<T>& data, int root) {
  uint64_t n = broadcast_value<uint64_t>(comm, data.size(), root);
  data.resize(n);
  broadcast(comm, std::span<T>(data), root);
}

void broadcast_string(Comm& comm, std::string& text, int root);

// Concatenation of every rank's `local` in rank order; `counts` (optional) gets each rank's length.
template <class T>
std::vector<T> allgatherv(Comm& comm, std::span<const T> local,
                          std::vector<size_t>* counts = nullptr) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.allgatherv(std::as_bytes(local), recv, recv_bytes);
  std::vector<T> out(recv.size() / sizeof(T));
  if (!recv.empty()) std::memcpy(out.data(), recv.data(), recv.size());
  if (counts) {
    counts->clear();
    for (size_t b : recv_bytes) counts->push_back(b / sizeof(T));
  }
  return out;
}

std::vector<std::string> allgather_strings(Comm& comm, const std::string& local);

// `to_rank[r]` is sent to rank r; the result's [r] is what rank r sent to this rank.
template <class T>
std::vector<std::vector<T>> alltoallv(Comm& comm, const std::vector<std::vector<T>>& to_rank) {
  static_assert(std::is_trivially_copyable_v<T>);
  const size_t n = static_cast<size_t>(comm.size());
  if (to_rank.size() != n) throw std::invalid_argument("alltoallv: to_rank.size() != comm.size()");
  std::vector<size_t> send_bytes(n);
  size_t total = 0;
  for (size_t r = 0; r < n; ++r) total += send_bytes[r] = to_rank[r].size() * sizeof(T);
  std::vector<std::byte> send(total);
  size_t offset = 0;
  for (size_t r = 0; r < n; ++r) {
    if (send_bytes[r]) std::memcpy(send.data() + offset, to_rank[r].data(), send_bytes[r]);
    offset += send_bytes[r];
  }
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(send, send_bytes, recv, recv_bytes);
  std::vector<std::vector<T>> from_rank(n);
  offset = 0;
  for (size_t r = 0; r < n; ++r) {
    from_rank[r].resize(recv_bytes[r] / sizeof(T));
    if (recv_bytes[r]) std::memcpy(from_rank[r].data(), recv.data() + offset, recv_bytes[r]);
    offset += recv_bytes[r];
  }
  return from_rank;
}

// Concatenation of every rank's `local` in rank order on `root`; empty on the other ranks, which
// so never hold what they did not send (an alltoallv with one non-empty destination).
template <class T>
std::vector<T> gatherv(Comm& comm, std::span<const T> local, int root) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<size_t> send_bytes(static_cast<size_t>(comm.size()), 0);
  send_bytes[static_cast<size_t>(root)] = local.size_bytes();
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(std::as_bytes(local), send_bytes, recv, recv_bytes);
  std::vector<T> out(recv.size() / sizeof(T));
  if (!recv.empty()) std::memcpy(out.data(), recv.data(), recv.size());
  return out;
}

// Every rank's string on `root`, in rank order; empty on the other ranks.
std::vector<std::string> gather_strings(Comm& comm, const std::string& local, int root);

// [begin, end) of the r-th of `parts` near-equal contiguous blocks of `n` items.
struct Block {
  uint64_t begin = 0;
  uint64_t end = 0;
};
Block block_of(uint64_t n, int parts, int r);

}  // namespace kerec::dist
