// `kerec inspect` for graph.h5 files.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace kerec::cli {

// Nodes, edges, shards, degree distribution, versions and the strongest edges with their reasons.
void inspect_graph(const std::filesystem::path& path, std::ostream& out);

// One line per complement of the entity with user id `entity_id`, in file order (by target index):
// "TARGET_ID<TAB>TARGET_NAME<TAB>CONFIDENCE(%.3f)<TAB>vVERSION<TAB>REASON" — the same lines as the
// h5py example of docs/artifacts.md prints.
void print_complements(const std::filesystem::path& path, const std::string& entity_id,
                       std::ostream& out);

}  // namespace kerec::cli
