// Bill events posted to `kerec serve` at run time: per user, the entities of the latest payments.
// Kept by entity id (not index), so they stay valid when a reload brings a model whose entity
// indices differ; bounded per user (the oldest are forgotten) and in users (least recently posted
// users are forgotten first), so a client cannot grow the server without bound.
//
// Thread-safe: every method may be called from many threads at once (sharded locks).
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace kerec::serve {

struct PostedBill {
  int64_t ts = 0;
  std::string entity_id;
};

class UserEvents {
 public:
  UserEvents(int64_t max_per_user, int64_t max_users);

  void add(uint64_t user_key, int64_t ts, const std::vector<std::string>& entity_ids);
  // The user's posted bills, newest first.
  std::vector<PostedBill> of(uint64_t user_key) const;
  int64_t users() const;
  int64_t forgotten_users() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<uint64_t, std::vector<PostedBill>> bills;  // oldest first
    std::list<uint64_t> order;                                    // least recently posted first
    std::unordered_map<uint64_t, std::list<uint64_t>::iterator> where;
    int64_t forgotten = 0;
  };
  int64_t max_per_user_, max_users_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace kerec::serve
