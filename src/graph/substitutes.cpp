// Sessions and co-clicks: clicks → user owner (sessions), pair counts → pair owner (sums).
#include "kerec/graph/substitutes.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/pairs/cooccur.h"
#include "kerec/pairs/strategy.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::graph {
namespace {

using pairs::PairCount;

// Local: this rank's part of the file.
void read_part(const extract::ItemTable& items, const std::string& path,
               const io::BadRowPolicy& policy, const dist::Comm& comm, ExposureScan& scan) {
  std::unordered_map<std::string_view, int32_t> index_of;
  index_of.reserve(items.ids.size());
  for (size_t i = 0; i < items.ids.size(); ++i)
    index_of.emplace(items.ids[i], static_cast<int32_t>(i));
  const auto& s = io::exposures_schema();
  const size_t user_col = s.index("user_id"), ts_col = s.index("ts"), item_col = s.index("item_id"),
               click_col = s.index("clicked");
  io::TsvReader reader(path, s, policy, comm.rank(), comm.size());
  io::TsvRow row;
  while (reader.next(row)) {
    ++scan.rows;
    const auto it = index_of.find(row.str(item_col));
    if (it == index_of.end()) {
      ++scan.unknown_item;
      continue;
    }
    if (!row.flag(click_col)) continue;
    ++scan.clicked, ++scan.item_clicks[it->second];
    scan.clicks.push_back({hash64(row.str(user_col)), row.i64(ts_col), it->second, 0});
  }
  scan.skipped_rows = reader.stats().rows_skipped;
  scan.skipped_examples = reader.stats().skipped_messages;
}

// Local: the entity pairs of one session's clicks [begin, end); `seen` is scratch.
void count_session(const std::vector<ClickEvent>& clicks, size_t begin, size_t end,
                   const extract::MentionCsr& ents, std::vector<int32_t>& seen,
                   std::vector<int64_t>& sessions_of, std::vector<PairCount>& out,
                   SubstituteStats& st) {
  seen.clear();
  for (size_t i = begin; i < end; ++i)
    for (int64_t m = ents.offsets[clicks[i].item]; m < ents.offsets[clicks[i].item + 1]; ++m)
      seen.push_back(ents.entity[m]);
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  if (seen.empty()) return;
  ++st.sessions, st.sessions_with_pairs += seen.size() > 1;
  for (int32_t e : seen) ++sessions_of[e];
  for (size_t x = 0; x < seen.size(); ++x)
    for (size_t y = x + 1; y < seen.size(); ++y)
      out.push_back({pairs::pair_key(seen[x], seen[y]), 1}), ++st.observations;
}

// Local: sessions of the users this rank owns.
std::vector<PairCount> count_sessions(std::vector<ClickEvent>& clicks,
                                      const extract::MentionCsr& ents, int64_t gap_s,
                                      std::vector<int64_t>& sessions_of, SubstituteStats& st) {
  std::sort(clicks.begin(), clicks.end(), [](const ClickEvent& x, const ClickEvent& y) {
    return std::tie(x.user, x.ts, x.item) < std::tie(y.user, y.ts, y.item);
  });
  std::vector<PairCount> seen_pairs;
  std::vector<int32_t> scratch;
  size_t begin = 0;
  for (size_t i = 1; i <= clicks.size(); ++i) {
    const bool cut = i == clicks.size() || clicks[i].user != clicks[i - 1].user ||
                     clicks[i].ts - clicks[i - 1].ts > gap_s;
    if (!cut) continue;
    count_session(clicks, begin, i, ents, scratch, sessions_of, seen_pairs, st);
    begin = i;
  }
  st.clicks = static_cast<int64_t>(clicks.size());
  return pairs::sum_by_key(std::move(seen_pairs));
}

}  // namespace

ExposureScan scan_exposures(dist::Comm& comm, const extract::ItemTable& items,
                            const std::string& path, const io::BadRowPolicy& policy) {
  ExposureScan scan;
  scan.item_clicks.assign(items.ids.size(), 0);
  dist::run_agreed(comm, [&] { read_part(items, path, policy, comm, scan); });
  dist::allreduce(comm, std::span<int64_t>(scan.item_clicks), dist::ReduceOp::kSum);
  int64_t v[4] = {scan.rows, scan.skipped_rows, scan.unknown_item, scan.clicked};
  dist::allreduce(comm, std::span<int64_t>(v), dist::ReduceOp::kSum);
  scan.rows = v[0], scan.skipped_rows = v[1], scan.unknown_item = v[2], scan.clicked = v[3];
  dist::run_agreed(comm, [&] { io::check_skipped_total(policy, scan.skipped_rows, path); });
  return scan;
}

SubstituteEdges substitute_edges(dist::Comm& comm, const std::vector<ClickEvent>& clicks,
                                 const extract::MentionCsr& ents, size_t entity_count,
                                 int64_t gap_s, int64_t min_support, SubstituteStats& st) {
  st = SubstituteStats{};
  const int ranks = comm.size();
  std::vector<std::vector<ClickEvent>> to_user(static_cast<size_t>(ranks));
  for (const auto& c : clicks) to_user[mix64(c.user) % static_cast<uint64_t>(ranks)].push_back(c);
  std::vector<ClickEvent> mine;
  for (auto& part : dist::alltoallv(comm, to_user))
    mine.insert(mine.end(), part.begin(), part.end());
  std::vector<int64_t> sessions_of(entity_count, 0);
  const auto counts = count_sessions(mine, ents, gap_s, sessions_of, st);
  dist::allreduce(comm, std::span<int64_t>(sessions_of), dist::ReduceOp::kSum);

  std::vector<std::vector<PairCount>> to_owner(static_cast<size_t>(ranks));
  for (const auto& pc : counts)
    to_owner[static_cast<size_t>(pairs::owner_of(pc.key, ranks))].push_back(pc);
  std::vector<PairCount> received;
  for (auto& part : dist::alltoallv(comm, to_owner))
    received.insert(received.end(), part.begin(), part.end());
  const auto totals = pairs::sum_by_key(std::move(received));
  SubstituteEdges edges;
  for (const auto& pc : totals) {
    if (pc.count < min_support) continue;
    const int32_t a = pairs::key_a(pc.key), b = pairs::key_b(pc.key);
    const auto w = static_cast<float>(
        static_cast<double>(pc.count) /
        std::sqrt(static_cast<double>(sessions_of[a]) * static_cast<double>(sessions_of[b])));
    const auto n = static_cast<int32_t>(std::min<int64_t>(pc.count, INT32_MAX));
    edges.add(a, b, n, w), edges.add(b, a, n, w);
    ++st.kept_pairs;
  }
  st.distinct_pairs = static_cast<int64_t>(totals.size());
  st.edges = static_cast<int64_t>(edges.size());
  dist::reduce_counters(comm, st);
  return edges;
}

MemberEdges member_edges(const extract::MentionCsr& ents, const std::vector<int64_t>& item_clicks,
                         const dist::Comm& comm) {
  MemberEdges edges;
  const dist::Block b = dist::block_of(ents.rows(), comm.size(), comm.rank());
  for (uint64_t i = b.begin; i < b.end; ++i)
    for (int64_t m = ents.offsets[i]; m < ents.offsets[i + 1]; ++m)
      edges.add(ents.entity[m], static_cast<int32_t>(i), item_clicks[i]);
  return edges;
}

extract::MentionCsr distinct_item_entities(const extract::MentionCsr& mentions) {
  extract::MentionCsr out;
  for (size_t r = 0; r < mentions.rows(); ++r) {
    const auto begin = mentions.entity.begin() + mentions.offsets[r],
               end = mentions.entity.begin() + mentions.offsets[r + 1];
    for (auto it = begin; it != end; ++it)
      if (std::find(begin, it, *it) == it) out.entity.push_back(*it);
    out.offsets.push_back(static_cast<int64_t>(out.entity.size()));
  }
  return out;
}

}  // namespace kerec::graph
