#include "kerec/dist/thread_comm.h"

#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "kerec/util/error.h"

namespace kerec::dist {

// What the ranks of one group share: a generation barrier and one posting slot per rank. A
// collective is post → barrier → read the others' slots → barrier, so no rank's buffer is
// released or overwritten while another still reads it.
class ThreadGroup {
 public:
  struct Slot {
    const void* data = nullptr;
    size_t bytes = 0;
    const size_t* part_bytes = nullptr;  // alltoallv: bytes per destination rank
  };

  explicit ThreadGroup(int size) : size_(size), slots_(size) {}

  int size() const { return size_; }
  Slot& slot(int rank) { return slots_[rank]; }

  void barrier() {
    std::unique_lock lock(mutex_);
    throw_if_broken();
    if (!left_.empty()) fail_locked(left_ + " while others call a collective");
    const uint64_t generation = generation_;
    if (++arrived_ == size_) {
      arrived_ = 0, ++generation_;
      changed_.notify_all();
      return;
    }
    changed_.wait(lock, [&] { return generation_ != generation || !broken_.empty(); });
    throw_if_broken();
  }

  void breaks(const std::string& why) {
    std::lock_guard lock(mutex_);
    if (broken_.empty()) broken_ = why;
    changed_.notify_all();
  }

  // A rank's function returned. A rank that is gone can never join a collective, so one that is
  // waiting (now or later) would wait forever: that breaks the group (e.g. a failed ASSERT_* that
  // returned from one rank only).
  void leave(int rank) {
    std::unique_lock lock(mutex_);
    if (left_.empty()) left_ = "rank " + std::to_string(rank) + " returned";
    if (arrived_ > 0 && broken_.empty()) broken_ = left_ + " while others call a collective";
    changed_.notify_all();
  }

 private:
  [[noreturn]] void fail_locked(const std::string& why) {
    if (broken_.empty()) broken_ = why;
    changed_.notify_all();
    throw_if_broken();
    throw CommError(why);
  }

  void throw_if_broken() const {
    if (!broken_.empty()) throw CommError("collective abandoned: " + broken_);
  }

  const int size_;
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int arrived_ = 0;
  uint64_t generation_ = 0;
  std::string broken_;  // non-empty once a rank failed: why
  std::string left_;    // non-empty once a rank's function returned: which
};

namespace {

template <class T>
void combine(T* acc, const T* in, size_t count, ReduceOp op) {
  for (size_t i = 0; i < count; ++i) {
    if (op == ReduceOp::kSum)
      acc[i] += in[i];
    else if (op == ReduceOp::kMax)
      acc[i] = std::max(acc[i], in[i]);
    else
      acc[i] = std::min(acc[i], in[i]);
  }
}

void combine(DType type, void* acc, const void* in, size_t count, ReduceOp op) {
  switch (type) {
    case DType::kInt32:
      return combine(static_cast<int32_t*>(acc), static_cast<const int32_t*>(in), count, op);
    case DType::kInt64:
      return combine(static_cast<int64_t*>(acc), static_cast<const int64_t*>(in), count, op);
    case DType::kUint64:
      return combine(static_cast<uint64_t*>(acc), static_cast<const uint64_t*>(in), count, op);
    case DType::kFloat32:
      return combine(static_cast<float*>(acc), static_cast<const float*>(in), count, op);
    case DType::kFloat64:
      return combine(static_cast<double*>(acc), static_cast<const double*>(in), count, op);
    case DType::kUint8:
      return combine(static_cast<uint8_t*>(acc), static_cast<const uint8_t*>(in), count, op);
  }
}

}  // namespace

ThreadComm::ThreadComm(std::shared_ptr<ThreadGroup> group, int rank)
    : group_(std::move(group)), rank_(rank) {}

int ThreadComm::size() const { return group_->size(); }

void ThreadComm::barrier() { group_->barrier(); }

void ThreadComm::allreduce(void* data, size_t count, DType type, ReduceOp op) {
  const size_t bytes = count * dtype_size(type);
  group_->slot(rank_) = {data, bytes};
  group_->barrier();
  for (int r = 0; r < size(); ++r)
    if (group_->slot(r).bytes != bytes)
      throw CommError("allreduce: rank " + std::to_string(r) + " gave " +
                      std::to_string(group_->slot(r).bytes) + " bytes, rank " +
                      std::to_string(rank_) + " " + std::to_string(bytes));
  std::vector<std::byte> acc(bytes);
  std::memcpy(acc.data(), group_->slot(0).data, bytes);
  for (int r = 1; r < size(); ++r) combine(type, acc.data(), group_->slot(r).data, count, op);
  group_->barrier();
  std::memcpy(data, acc.data(), bytes);
}

void ThreadComm::broadcast(void* data, size_t bytes, int root) {
  if (root < 0 || root >= size()) throw CommError("broadcast: no rank " + std::to_string(root));
  group_->slot(rank_) = {data, bytes};
  group_->barrier();
  const auto& from = group_->slot(root);
  if (from.bytes != bytes) throw CommError("broadcast: byte counts differ from the root's");
  if (rank_ != root) std::memcpy(data, from.data, bytes);
  group_->barrier();
}

void ThreadComm::allgatherv(std::span<const std::byte> send, std::vector<std::byte>& recv,
                            std::vector<size_t>& recv_bytes) {
  group_->slot(rank_) = {send.data(), send.size()};
  group_->barrier();
  recv.clear(), recv_bytes.assign(size(), 0);
  for (int r = 0; r < size(); ++r) {
    const auto& from = group_->slot(r);
    const auto* begin = static_cast<const std::byte*>(from.data);
    recv.insert(recv.end(), begin, begin + from.bytes);
    recv_bytes[r] = from.bytes;
  }
  group_->barrier();
}

void ThreadComm::alltoallv(std::span<const std::byte> send, std::span<const size_t> send_bytes,
                           std::vector<std::byte>& recv, std::vector<size_t>& recv_bytes) {
  if (send_bytes.size() != static_cast<size_t>(size()))
    throw std::invalid_argument("ThreadComm::alltoallv: send_bytes must have one entry per rank");
  group_->slot(rank_) = {send.data(), send.size(), send_bytes.data()};
  group_->barrier();
  recv.clear(), recv_bytes.assign(size(), 0);
  for (int r = 0; r < size(); ++r) {
    const auto& from = group_->slot(r);
    size_t offset = 0;
    for (int q = 0; q < rank_; ++q) offset += from.part_bytes[q];
    const auto* begin = static_cast<const std::byte*>(from.data) + offset;
    recv.insert(recv.end(), begin, begin + from.part_bytes[rank_]);
    recv_bytes[r] = from.part_bytes[rank_];
  }
  group_->barrier();
}

void ThreadComm::abort(int exit_code) {
  const std::string why =
      "rank " + std::to_string(rank_) + " aborted with exit code " + std::to_string(exit_code);
  group_->breaks(why);
  throw CommError(why);
}

void run_ranks(int ranks, const std::function<void(Comm&)>& rank_main) {
  if (ranks < 1) throw std::invalid_argument("run_ranks: need at least one rank");
  auto group = std::make_shared<ThreadGroup>(ranks);
  std::vector<std::exception_ptr> errors(ranks);
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      ThreadComm comm(group, r);
      try {
        rank_main(comm);
        group->leave(r);
      } catch (...) {
        errors[r] = std::current_exception();
        group->breaks("rank " + std::to_string(r) + " failed");
      }
    });
  }
  for (auto& t : threads) t.join();
  // The first rank that failed on its own, not because another rank broke the group.
  std::exception_ptr first_followup;
  for (auto& error : errors) {
    if (!error) continue;
    try {
      std::rethrow_exception(error);
    } catch (const CommError& e) {
      if (std::string(e.what()).starts_with("collective abandoned: ")) {
        if (!first_followup) first_followup = error;
        continue;
      }
      throw;
    }
  }
  if (first_followup) std::rethrow_exception(first_followup);
}

}  // namespace kerec::dist
