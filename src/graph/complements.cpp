// Complementary edges: verdicts and previous edges meet at the owner rank of their pair.
#include "kerec/graph/complements.h"

#include <algorithm>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/graph/graph_reader.h"
#include "kerec/pairs/strategy.h"
#include "kerec/util/error.h"
#include "redistribute.h"

namespace kerec::graph {
namespace {

constexpr uint8_t kNo = 0, kYes = 1, kUncertain = 2;

std::vector<int> owners(const ComplementEdges& e, int ranks) {
  std::vector<int> dest(e.size());
  for (size_t i = 0; i < e.size(); ++i)
    dest[i] = pairs::owner_of(pairs::pair_key(e.source[i], e.target[i]), ranks);
  return dest;
}

std::vector<uint64_t> to_owners(dist::Comm& comm, const std::vector<uint64_t>& keys) {
  std::vector<std::vector<uint64_t>> to_rank(static_cast<size_t>(comm.size()));
  for (uint64_t k : keys)
    to_rank[static_cast<size_t>(pairs::owner_of(k, comm.size()))].push_back(k);
  std::vector<uint64_t> out;
  for (auto& part : dist::alltoallv(comm, to_rank)) out.insert(out.end(), part.begin(), part.end());
  std::sort(out.begin(), out.end());
  return out;
}

bool contains(const std::vector<uint64_t>& sorted, uint64_t key) {
  return std::binary_search(sorted.begin(), sorted.end(), key);
}

// Local, at the owner: applies the merge rules of complements.h. Both inputs sorted by (a, b).
ComplementEdges merge_owned(const ComplementEdges& prev, const ComplementEdges& adds,
                            const std::vector<uint64_t>& no, const std::vector<uint64_t>& low,
                            ComplementStats& st) {
  ComplementEdges out;
  size_t j = 0;
  for (size_t i = 0; i < prev.size(); ++i) {
    const uint64_t key = pairs::pair_key(prev.source[i], prev.target[i]);
    while (j < adds.size() && pairs::pair_key(adds.source[j], adds.target[j]) < key) {
      out.add(adds.source[j], adds.target[j], adds.confidence[j], adds.version[j],
              adds.provenance[j], adds.reason(j));
      ++st.added, ++j;
    }
    if (j < adds.size() && pairs::pair_key(adds.source[j], adds.target[j]) == key) {
      out.add(prev.source[i], prev.target[i], adds.confidence[j], prev.version[i],
              adds.provenance[j], adds.reason(j));
      ++st.updated, ++j;
    } else if (contains(no, key)) {
      ++st.removed_by_no;
    } else if (contains(low, key)) {
      ++st.removed_below_min_confidence;
    } else {
      out.add(prev.source[i], prev.target[i], prev.confidence[i], prev.version[i],
              prev.provenance[i], prev.reason(i));
      ++st.kept;
    }
  }
  for (; j < adds.size(); ++j, ++st.added)
    out.add(adds.source[j], adds.target[j], adds.confidence[j], adds.version[j], adds.provenance[j],
            adds.reason(j));
  return out;
}

}  // namespace

PreviousGraph read_previous_graph(const std::filesystem::path& path,
                                  const std::vector<std::string>& entity_ids,
                                  const dist::Comm& comm) {
  const GraphReader reader(path);
  if (reader.entity_ids() != entity_ids)
    throw InputError(
        path.string() + ": graph.previous has other entities than extract/entities.h5 (" +
        std::to_string(reader.info().entities) + " vs " + std::to_string(entity_ids.size()) +
        " ids, or the same count in another order); a refresh needs the same Entity Dict");
  PreviousGraph prev;
  prev.graph_version = reader.info().graph_version;
  prev.provenance_llm_model = reader.provenance_llm_models();
  prev.provenance_prompt_sha256 = reader.provenance_prompt_sha256();
  const dist::Block b =
      dist::block_of(static_cast<uint64_t>(reader.info().shards()), comm.size(), comm.rank());
  for (auto s = b.begin; s < b.end; ++s) {
    const GraphPart part = reader.read_shard(static_cast<int>(s));
    for (int64_t e = part.first_source; e < part.end_source; ++e)
      for (const Complement& c : part.complements(static_cast<int32_t>(e)))
        prev.edges.add(static_cast<int32_t>(e), c.target, c.confidence, c.version, c.provenance,
                       c.reason);
  }
  return prev;
}

ComplementEdges merge_complements(dist::Comm& comm, const llm::VerdictBlock& v,
                                  const ComplementEdges& previous, double min_confidence,
                                  int32_t version, int32_t provenance, ComplementStats& st) {
  st = ComplementStats{};
  st.verdicts = static_cast<int64_t>(v.size());
  st.previous_edges = static_cast<int64_t>(previous.size());
  // Confidences are float32: compare in float, so that a "yes" at exactly min_confidence counts.
  const auto threshold = static_cast<float>(min_confidence);
  ComplementEdges adds;
  std::vector<uint64_t> no, low;
  for (size_t i = 0; i < v.size(); ++i) {
    const uint64_t key = pairs::pair_key(v.a[i], v.b[i]);
    if (v.verdict[i] == kYes && v.confidence[i] >= threshold) {
      ++st.yes, adds.add(v.a[i], v.b[i], v.confidence[i], version, provenance, v.reason[i]);
    } else if (v.verdict[i] == kYes) {
      ++st.yes, ++st.yes_below_min_confidence, low.push_back(key);
    } else if (v.verdict[i] == kNo) {
      ++st.no, no.push_back(key);
    } else {
      ++(v.verdict[i] == kUncertain ? st.uncertain : st.unjudged);
    }
  }
  ComplementEdges my_prev = redistribute(comm, previous, owners(previous, comm.size()));
  ComplementEdges my_adds = redistribute(comm, adds, owners(adds, comm.size()));
  const std::vector<uint64_t> my_no = to_owners(comm, no), my_low = to_owners(comm, low);
  dist::run_agreed(comm, [&] {  // unique by contract: verdicts.h5 and graph.h5 hold each pair once
    const auto twice = [](const char* what, DuplicateEdge d) {
      return InputError(std::string(what) + " hold pair (" + std::to_string(d.source) + ", " +
                        std::to_string(d.target) + ") twice; each pair must appear once");
    };
    if (auto d = sort_edges(my_prev); d.found())
      throw twice("the previous graph's complementary edges", d);
    if (auto d = sort_edges(my_adds); d.found()) throw twice("the verdicts", d);
  });
  ComplementEdges merged = merge_owned(my_prev, my_adds, my_no, my_low, st);
  st.edges = static_cast<int64_t>(merged.size());
  dist::reduce_counters(comm, st);
  return merged;
}

}  // namespace kerec::graph
