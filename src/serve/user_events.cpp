// Bill events posted at run time (serve/user_events.h).
#include "kerec/serve/user_events.h"

#include <algorithm>

namespace kerec::serve {

UserEvents::UserEvents(int64_t max_per_user, int64_t max_users)
    : max_per_user_(std::max<int64_t>(1, max_per_user)),
      max_users_per_shard_(std::max<int64_t>(
          1, (max_users + static_cast<int64_t>(kShards) - 1) / static_cast<int64_t>(kShards))) {}

void UserEvents::add(uint64_t user_key, int64_t ts, const std::vector<std::string>& entity_ids) {
  Shard& s = shards_[user_key % kShards];
  std::lock_guard lock(s.mu);
  auto& list = s.bills[user_key];
  for (const auto& id : entity_ids) list.push_back({ts, id});
  std::stable_sort(list.begin(), list.end(),
                   [](const PostedBill& a, const PostedBill& b) { return a.ts < b.ts; });
  if (static_cast<int64_t>(list.size()) > max_per_user_)
    list.erase(list.begin(), list.end() - max_per_user_);
  if (const auto it = s.where.find(user_key); it != s.where.end()) s.order.erase(it->second);
  s.where[user_key] = s.order.insert(s.order.end(), user_key);
  while (static_cast<int64_t>(s.order.size()) > max_users_per_shard_) {
    const uint64_t oldest = s.order.front();
    s.order.pop_front(), s.where.erase(oldest), s.bills.erase(oldest), ++s.forgotten;
  }
}

std::vector<PostedBill> UserEvents::of(uint64_t user_key) const {
  const Shard& s = shards_[user_key % kShards];
  std::lock_guard lock(s.mu);
  const auto it = s.bills.find(user_key);
  if (it == s.bills.end()) return {};
  return {it->second.rbegin(), it->second.rend()};
}

int64_t UserEvents::users() const {
  int64_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += static_cast<int64_t>(s.bills.size());
  }
  return n;
}

int64_t UserEvents::forgotten_users() const {
  int64_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.forgotten;
  }
  return n;
}

}  // namespace kerec::serve
