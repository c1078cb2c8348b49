// Column-wise alltoallv: one exchange per column, every column split by the same index lists.
#include "redistribute.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <type_traits>

#include "kerec/dist/collectives.h"

namespace kerec::graph {
namespace {

using IndexLists = std::vector<std::vector<size_t>>;

IndexLists index_lists(const std::vector<int>& dest, int ranks) {
  IndexLists lists(static_cast<size_t>(ranks));
  for (size_t i = 0; i < dest.size(); ++i) lists[static_cast<size_t>(dest[i])].push_back(i);
  return lists;
}

// One alltoallv of the column's elements, packed by destination straight into the send buffer:
// columns are hundreds of MB, and each extra buffer costs a pass of page faults (bench/README.md).
template <class T>
std::vector<T> exchange(dist::Comm& comm, const std::vector<T>& column, const IndexLists& lists) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::vector<size_t> send_bytes(lists.size());
  size_t total = 0;
  for (size_t r = 0; r < lists.size(); ++r) total += send_bytes[r] = lists[r].size() * sizeof(T);
  std::vector<std::byte> send(total);
  std::byte* at = send.data();
  for (const auto& list : lists)
    for (size_t i : list) std::memcpy(at, &column[i], sizeof(T)), at += sizeof(T);
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(send, send_bytes, recv, recv_bytes);
  std::vector<T> out(recv.size() / sizeof(T));
  if (!recv.empty()) std::memcpy(out.data(), recv.data(), recv.size());
  return out;
}

// Reasons travel as their lengths and the concatenated bytes, in the same order as the columns.
void exchange_reasons(dist::Comm& comm, const ComplementEdges& in, const IndexLists& lists,
                      ComplementEdges& out) {
  std::vector<int64_t> lengths(in.size());
  for (size_t i = 0; i < in.size(); ++i) lengths[i] = static_cast<int64_t>(in.reason(i).size());
  std::vector<size_t> send_bytes(lists.size(), 0);
  size_t total = 0;
  for (size_t r = 0; r < lists.size(); ++r) {
    for (size_t i : lists[r]) send_bytes[r] += static_cast<size_t>(lengths[i]);
    total += send_bytes[r];
  }
  std::vector<std::byte> send(total);
  std::byte* at = send.data();
  for (const auto& list : lists)
    for (size_t i : list)
      std::memcpy(at, in.reason(i).data(), static_cast<size_t>(lengths[i])), at += lengths[i];
  out.reason_end = exchange(comm, lengths, lists);
  std::partial_sum(out.reason_end.begin(), out.reason_end.end(), out.reason_end.begin());
  std::vector<std::byte> recv;
  std::vector<size_t> recv_bytes;
  comm.alltoallv(send, send_bytes, recv, recv_bytes);
  out.reason_bytes.assign(reinterpret_cast<const char*>(recv.data()), recv.size());
}

template <class T>
std::vector<T> gather(const std::vector<T>& column, const std::vector<size_t>& order) {
  std::vector<T> out(order.size());
  for (size_t i = 0; i < order.size(); ++i) out[i] = column[order[i]];
  return out;
}

// Sorting (key, index) pairs in place is several times faster than sorting indices by a key
// looked up elsewhere (no cache miss per comparison).
std::vector<size_t> order_by_source_target(const std::vector<int32_t>& source,
                                           const std::vector<int32_t>& target) {
  std::vector<std::pair<uint64_t, size_t>> keyed(source.size());
  for (size_t i = 0; i < keyed.size(); ++i)
    keyed[i] = {
        (uint64_t{static_cast<uint32_t>(source[i])} << 32) | static_cast<uint32_t>(target[i]), i};
  std::sort(keyed.begin(), keyed.end());
  std::vector<size_t> order(keyed.size());
  for (size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
  return order;
}

DuplicateEdge first_duplicate(const std::vector<int32_t>& source,
                              const std::vector<int32_t>& target,
                              const std::vector<size_t>& order) {
  for (size_t k = 1; k < order.size(); ++k)
    if (source[order[k]] == source[order[k - 1]] && target[order[k]] == target[order[k - 1]])
      return {source[order[k]], target[order[k]]};
  return {};
}

}  // namespace

ComplementEdges redistribute(dist::Comm& comm, const ComplementEdges& edges,
                             const std::vector<int>& dest) {
  const IndexLists lists = index_lists(dest, comm.size());
  ComplementEdges out;
  out.source = exchange(comm, edges.source, lists);
  out.target = exchange(comm, edges.target, lists);
  out.confidence = exchange(comm, edges.confidence, lists);
  out.version = exchange(comm, edges.version, lists);
  out.provenance = exchange(comm, edges.provenance, lists);
  exchange_reasons(comm, edges, lists, out);
  return out;
}

SubstituteEdges redistribute(dist::Comm& comm, const SubstituteEdges& edges,
                             const std::vector<int>& dest) {
  const IndexLists lists = index_lists(dest, comm.size());
  return {exchange(comm, edges.source, lists), exchange(comm, edges.target, lists),
          exchange(comm, edges.count, lists), exchange(comm, edges.weight, lists)};
}

MemberEdges redistribute(dist::Comm& comm, const MemberEdges& edges, const std::vector<int>& dest) {
  const IndexLists lists = index_lists(dest, comm.size());
  return {exchange(comm, edges.source, lists), exchange(comm, edges.item, lists),
          exchange(comm, edges.clicks, lists)};
}

DuplicateEdge sort_edges(ComplementEdges& edges) {
  const std::vector<size_t> order = order_by_source_target(edges.source, edges.target);
  const DuplicateEdge dup = first_duplicate(edges.source, edges.target, order);
  ComplementEdges sorted;
  sorted.source = gather(edges.source, order), sorted.target = gather(edges.target, order);
  sorted.confidence = gather(edges.confidence, order),
  sorted.version = gather(edges.version, order);
  sorted.provenance = gather(edges.provenance, order);
  sorted.reason_end.reserve(order.size());
  sorted.reason_bytes.reserve(edges.reason_bytes.size());
  for (size_t i : order) {
    sorted.reason_bytes.append(edges.reason(i));
    sorted.reason_end.push_back(static_cast<int64_t>(sorted.reason_bytes.size()));
  }
  edges = std::move(sorted);
  return dup;
}

DuplicateEdge sort_edges(SubstituteEdges& edges) {
  const std::vector<size_t> order = order_by_source_target(edges.source, edges.target);
  const DuplicateEdge dup = first_duplicate(edges.source, edges.target, order);
  edges = {gather(edges.source, order), gather(edges.target, order), gather(edges.count, order),
           gather(edges.weight, order)};
  return dup;
}

DuplicateEdge sort_edges(MemberEdges& edges) {
  const DuplicateEdge dup =
      first_duplicate(edges.source, edges.item, order_by_source_target(edges.source, edges.item));
  std::vector<size_t> order(edges.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (edges.source[x] != edges.source[y]) return edges.source[x] < edges.source[y];
    if (edges.clicks[x] != edges.clicks[y]) return edges.clicks[x] > edges.clicks[y];
    return edges.item[x] < edges.item[y];
  });
  edges = {gather(edges.source, order), gather(edges.item, order), gather(edges.clicks, order)};
  return dup;
}

}  // namespace kerec::graph
