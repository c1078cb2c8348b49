// Moving edge lists to the rank that writes their source's shard, and putting them in file order.
//
// Collective functions take the communicator; the rest is local.
#pragma once

#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/graph/edges.h"

namespace kerec::graph {

// dest[i] is the rank edge i goes to (0 <= dest[i] < comm.size()). Collective; what a rank receives
// is in order of the sending rank, then of the sender's edges.
ComplementEdges redistribute(dist::Comm& comm, const ComplementEdges& edges,
                             const std::vector<int>& dest);
SubstituteEdges redistribute(dist::Comm& comm, const SubstituteEdges& edges,
                             const std::vector<int>& dest);
MemberEdges redistribute(dist::Comm& comm, const MemberEdges& edges, const std::vector<int>& dest);

// Local: file order. Complementary and substitutable: (source, target); members: source, clicks
// descending, item. Returns the first (source, target) — (source, item) for members — that appears
// twice as {source, target}, or {-1, -1} when there is none.
struct DuplicateEdge {
  int32_t source = -1, target = -1;
  bool found() const { return source >= 0; }
};
DuplicateEdge sort_edges(ComplementEdges& edges);
DuplicateEdge sort_edges(SubstituteEdges& edges);
DuplicateEdge sort_edges(MemberEdges& edges);

}  // namespace kerec::graph
