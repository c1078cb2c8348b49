// Directory allgather → exposures to their user's rank → sessions → votes to their item's rank →
// decisions allgathered.
#include "kerec/extract/session_votes.h"

#include <algorithm>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

constexpr int32_t kNone = -1;  // a directory entry of a target that votes with no entity

struct Entry {
  uint64_t item = 0;
  int32_t entity = kNone;
  int32_t asks = 0;  // 1: the item is a target
};

struct DirItem {
  std::vector<int32_t> entities;  // it votes with these
  bool asks = false;
};
using Directory = std::unordered_map<uint64_t, DirItem>;

struct Exposure {
  uint64_t user = 0;
  int64_t ts = 0;
  uint64_t item = 0;
};

struct Vote {
  uint64_t item = 0;
  int32_t entity = 0;
  int32_t count = 0;
};

int owner(uint64_t key, int ranks) {
  return static_cast<int>(mix64(key) % static_cast<uint64_t>(ranks));
}

// Collective: item hash → the entities it votes with and whether it asks. Items that neither vote
// nor ask are left out.
Directory directory(dist::Comm& comm, const VoteItems& items) {
  std::vector<Entry> local;
  for (size_t i = 0; i < items.ids->size(); ++i) {
    const uint64_t key = hash64((*items.ids)[i]);
    const int32_t asks = (*items.target)[i] ? 1 : 0;
    if (asks && (*items.readable)[i].empty()) local.push_back({key, kNone, asks});
    for (int32_t e : (*items.readable)[i]) local.push_back({key, e, asks});
  }
  Directory out;
  for (const Entry& e : dist::allgatherv(comm, std::span<const Entry>(local))) {
    auto& item = out[e.item];
    item.asks = item.asks || e.asks;
    if (e.entity != kNone) item.entities.push_back(e.entity);
  }
  return out;
}

// Local: this rank's part of the file, the exposures of directory items in the configured scenes.
std::vector<Exposure> read_part(const Directory& dir, const std::string& path,
                                const io::BadRowPolicy& policy, const SessionVoteOptions& o,
                                const dist::Comm& comm, SessionVoteStats& st) {
  const auto& s = io::exposures_schema();
  const size_t user_col = s.index("user_id"), ts_col = s.index("ts"), item_col = s.index("item_id"),
               scene_col = s.index("scene");
  io::TsvReader reader(path, s, policy, comm.rank(), comm.size());
  io::TsvRow row;
  std::vector<Exposure> out;
  while (reader.next(row)) {
    ++st.exposure_rows;
    if (std::find(o.scenes.begin(), o.scenes.end(), row.str(scene_col)) == o.scenes.end()) continue;
    const uint64_t item = hash64(row.str(item_col));
    if (!dir.count(item)) continue;
    out.push_back({hash64(row.str(user_col)), row.i64(ts_col), item});
  }
  st.exposures_used = static_cast<int64_t>(out.size());
  st.skipped_rows = reader.stats().rows_skipped;
  return out;
}

using Tally = std::vector<std::pair<int32_t, int32_t>>;  // entity, votes

void add_votes(Tally& tally, const std::vector<int32_t>& entities, int32_t n) {
  for (int32_t e : entities) {
    auto it = std::find_if(tally.begin(), tally.end(), [&](const auto& t) { return t.first == e; });
    if (it == tally.end())
      tally.emplace_back(e, n);
    else
      it->second += n;
  }
}

// Local: the votes of one session [begin, end) of `ex` (sorted by user, ts). A target's own
// exposures do not vote for it.
void vote_session(const std::vector<Exposure>& ex, size_t begin, size_t end, const Directory& dir,
                  std::vector<Vote>& out, SessionVoteStats& st) {
  Tally tally;
  std::vector<uint64_t> targets;
  for (size_t i = begin; i < end; ++i) {
    const DirItem& item = dir.at(ex[i].item);
    if (item.asks) targets.push_back(ex[i].item);
    add_votes(tally, item.entities, 1);
  }
  std::sort(targets.begin(), targets.end());
  bool voted = false;
  for (size_t t = 0; t < targets.size();) {
    size_t u = t;
    while (u < targets.size() && targets[u] == targets[t]) ++u;
    Tally others = tally;
    add_votes(others, dir.at(targets[t]).entities, -static_cast<int32_t>(u - t));
    for (const auto& [e, n] : others)
      if (n > 0) out.push_back({targets[t], e, n}), voted = true;
    t = u;
  }
  if (voted) ++st.sessions;
}

std::vector<Vote> session_votes(std::vector<Exposure>& ex, const Directory& dir, int64_t gap_s,
                                SessionVoteStats& st) {
  std::sort(ex.begin(), ex.end(), [](const Exposure& a, const Exposure& b) {
    return a.user != b.user ? a.user < b.user : a.ts != b.ts ? a.ts < b.ts : a.item < b.item;
  });
  std::vector<Vote> votes;
  for (size_t begin = 0; begin < ex.size();) {
    size_t end = begin + 1;
    while (end < ex.size() && ex[end].user == ex[begin].user &&
           ex[end].ts - ex[end - 1].ts <= gap_s)
      ++end;
    vote_session(ex, begin, end, dir, votes, st);
    begin = end;
  }
  return votes;
}

// Local: sums the votes of each item (sorted by item, entity) and decides.
std::vector<Entry> decide(std::vector<Vote> votes, const SessionVoteOptions& o,
                          SessionVoteStats& st) {
  std::sort(votes.begin(), votes.end(), [](const Vote& a, const Vote& b) {
    return a.item != b.item ? a.item < b.item : a.entity < b.entity;
  });
  std::vector<Entry> out;
  for (size_t i = 0; i < votes.size();) {
    int64_t total = 0, best = 0, second = 0;
    int32_t best_entity = -1;
    size_t j = i;
    while (j < votes.size() && votes[j].item == votes[i].item) {
      int64_t n = 0;
      const int32_t e = votes[j].entity;
      for (; j < votes.size() && votes[j].item == votes[i].item && votes[j].entity == e; ++j)
        n += votes[j].count;
      total += n;
      if (n > best)
        second = best, best = n, best_entity = e;
      else
        second = std::max(second, n);
    }
    ++st.targets_with_votes;
    if (best > second && best >= o.min_votes &&
        static_cast<double>(best) >= o.min_share * static_cast<double>(total))
      out.push_back({votes[i].item, best_entity, 0});
    i = j;
  }
  return out;
}

}  // namespace

std::vector<int32_t> vote_item_entities(dist::Comm& comm, const VoteItems& items,
                                        const std::string& path, const io::BadRowPolicy& policy,
                                        const SessionVoteOptions& o, SessionVoteStats& st) {
  st = SessionVoteStats{};
  const int ranks = comm.size();
  const auto dir = directory(comm, items);
  std::vector<Exposure> part;
  dist::run_agreed(comm, [&] { part = read_part(dir, path, policy, o, comm, st); });
  std::vector<std::vector<Exposure>> to_user(static_cast<size_t>(ranks));
  for (const auto& e : part) to_user[static_cast<size_t>(owner(e.user, ranks))].push_back(e);
  std::vector<Exposure> mine;
  for (auto& p : dist::alltoallv(comm, to_user)) mine.insert(mine.end(), p.begin(), p.end());
  std::vector<std::vector<Vote>> to_item(static_cast<size_t>(ranks));
  for (const auto& v : session_votes(mine, dir, o.gap_s, st))
    to_item[static_cast<size_t>(owner(v.item, ranks))].push_back(v);
  std::vector<Vote> received;
  for (auto& p : dist::alltoallv(comm, to_item))
    received.insert(received.end(), p.begin(), p.end());
  const auto decided = decide(std::move(received), o, st);
  std::unordered_map<uint64_t, int32_t> entity_of;
  for (const Entry& e : dist::allgatherv(comm, std::span<const Entry>(decided)))
    entity_of.emplace(e.item, e.entity);
  std::vector<int32_t> out(items.ids->size(), -1);
  for (size_t i = 0; i < out.size(); ++i) {
    if (!(*items.target)[i]) continue;
    ++st.targets;
    if (auto it = entity_of.find(hash64((*items.ids)[i])); it != entity_of.end())
      out[i] = it->second, ++st.decided;
  }
  int64_t v[7] = {st.exposure_rows, st.exposures_used,     st.skipped_rows, st.sessions,
                  st.targets,       st.targets_with_votes, st.decided};
  dist::allreduce(comm, std::span<int64_t>(v), dist::ReduceOp::kSum);
  st = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
  dist::run_agreed(comm, [&] { io::check_skipped_total(policy, st.skipped_rows, path); });
  return out;
}

}  // namespace kerec::extract
