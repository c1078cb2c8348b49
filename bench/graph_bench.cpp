// graph.h5 write throughput against `dd ... conv=fsync` of the same number of bytes on the same
// disk, in the same run; and the load time of one shard and of the whole graph.
//
//   mpirun -np R build/bench/graph_bench [--edges E] [--entities N] [--dir DIR] [--shards S]
//                                        [--deflate L] [--chunk ELEMS] [--repeat K]
//
// Each rank generates its share of a synthetic graph — E complementary edges with ~45-byte reasons,
// E/10 substitutable and E/10 member edges over N entities — calls write_graph, and rank 0 then
// runs dd with the file's size. Throughput ratio = dd seconds / write seconds (write = HDF5 create
// to rename, fsync included; the exchange and sort before it are reported apart).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "kerec/dist/collectives.h"
#include "kerec/dist/mpi_comm.h"
#include "kerec/graph/graph_file.h"
#include "kerec/graph/graph_reader.h"
#include "kerec/util/log.h"
#include "kerec/util/rng.h"

using namespace kerec;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int64_t edges = 10'000'000;
  int32_t entities = 200'000;
  std::string dir = "/tmp/kerec-graph-bench";
  int shards = 0;
  int deflate = 1;
  int repeat = 2;
  size_t chunk = graph::GraphWriteOptions{}.chunk_elems;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--edges")
      o.edges = std::stoll(v);
    else if (a == "--entities")
      o.entities = std::stoi(v);
    else if (a == "--dir")
      o.dir = v;
    else if (a == "--shards")
      o.shards = std::stoi(v);
    else if (a == "--deflate")
      o.deflate = std::stoi(v);
    else if (a == "--repeat")
      o.repeat = std::stoi(v);
    else if (a == "--chunk")
      o.chunk = std::stoull(v);
    else
      throw std::invalid_argument("unknown option " + a);
  }
  return o;
}

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// This rank's sources are an even block of the entities; degrees are skewed (Zipf-like) and sum to
// about E over all ranks.
struct Share {
  graph::ComplementEdges comp;
  graph::SubstituteEdges sub;
  graph::MemberEdges mem;
};

Share make_share(const Options& o, const dist::Comm& comm) {
  Share s;
  const dist::Block block =
      dist::block_of(static_cast<uint64_t>(o.entities), comm.size(), comm.rank());
  const double mean = static_cast<double>(o.edges) / o.entities;
  const int32_t n = o.entities;
  for (auto a = static_cast<int32_t>(block.begin); a < static_cast<int32_t>(block.end); ++a) {
    Rng rng(3, "graph_bench", static_cast<uint64_t>(a));
    const auto degree =
        static_cast<int32_t>(mean * (0.5 + rng.uniform()));  // mean degree, spread ±50%
    const auto step = static_cast<int32_t>(1 + rng.uniform_int(97));
    for (int32_t k = 0; k < degree; ++k) {
      const int32_t b = static_cast<int32_t>((a + 1 + static_cast<int64_t>(k) * step) % n);
      const std::string reason = "People who bought item " + std::to_string(a) +
                                 " often need item " + std::to_string(b) + " next.";
      s.comp.add(a, b, static_cast<float>(rng.uniform()), 1, 0, reason);
      if (k % 10 == 0)
        s.sub.add(a, (b + 1) % n, 2, 0.5f),
            s.mem.add(a, b, static_cast<int64_t>(rng.uniform_int(1000)));
    }
  }
  return s;
}

graph::GraphMeta make_meta(const Options& o) {
  graph::GraphMeta meta;
  for (int32_t e = 0; e < o.entities; ++e)
    meta.entity_ids.push_back("E" + std::to_string(e)),
        meta.entity_names.push_back("entity " + std::to_string(e));
  for (int32_t i = 0; i < o.entities; ++i)
    meta.item_ids.push_back("I" + std::to_string(i)), meta.item_entities.push_back(i),
        meta.item_entity_offsets.push_back(i + 1);
  meta.provenance_llm_model = {"bench"}, meta.provenance_prompt_sha256 = {"0"};
  return meta;
}

// Seconds dd takes to write `bytes` (rounded up to MiB) to `dir` with conv=fsync.
double dd_seconds(const fs::path& dir, int64_t bytes) {
  const int64_t mib = (bytes + (1 << 20) - 1) >> 20;
  const std::string cmd = "dd if=/dev/zero of=" + (dir / "dd.bin").string() +
                          " bs=1M count=" + std::to_string(mib) + " conv=fsync status=none";
  const auto t = Clock::now();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("dd failed: " + cmd);
  const double s = since(t);
  fs::remove(dir / "dd.bin");
  return s;
}

void evict(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

void load_times(const fs::path& path) {
  for (const bool cold : {true, false}) {
    if (cold) evict(path);
    auto t = Clock::now();
    const graph::GraphReader reader(path);
    const auto shard = reader.read_shard(0);
    const double one = since(t);
    if (cold) evict(path);
    t = Clock::now();
    const auto all = graph::GraphReader(path).read_all();
    const double whole = since(t);
    std::printf(
        "load (%s cache): shard 0 (%zu complementary edges) %.3f s; whole graph (%zu edges) %.3f "
        "s, %.0f edges/s\n",
        cold ? "cold" : "warm", shard.comp.target.size(), one, all.comp.target.size(), whole,
        static_cast<double>(all.comp.target.size()) / whole);
  }
}

}  // namespace

int main(int argc, char** argv) {
  dist::MpiRuntime runtime(argc, argv);
  dist::MpiComm comm;
  log::init(comm.rank(), comm.size(), "warn");
  try {
    const Options o = parse(argc, argv);
    if (comm.rank() == 0) fs::create_directories(o.dir);
    comm.barrier();
    const Share share = make_share(o, comm);
    const graph::GraphMeta meta = make_meta(o);
    const fs::path path = fs::path(o.dir) / "graph.h5";
    int64_t logical = static_cast<int64_t>(share.comp.size()) * (4 + 4 + 4 + 4 + 8) +
                      static_cast<int64_t>(share.comp.reason_bytes.size()) +
                      static_cast<int64_t>(share.sub.size()) * 12 +
                      static_cast<int64_t>(share.mem.size()) * 12;
    dist::allreduce(comm, std::span<int64_t>(&logical, 1), dist::ReduceOp::kSum);
    for (int r = 0; r < o.repeat; ++r) {
      const auto t = Clock::now();
      const auto st = graph::write_graph(
          path, meta, share.comp, share.sub, share.mem, comm,
          {.shards = o.shards, .deflate_level = o.deflate, .chunk_elems = o.chunk});
      const double total = since(t);
      if (comm.rank() != 0) continue;
      const double dd = dd_seconds(o.dir, st.file_bytes);
      std::printf(
          "ranks %d shards %d: %lld complementary + %lld substitutable + %lld member edges; file "
          "%.1f MB, arrays %.1f MB\n",
          comm.size(), st.shards, static_cast<long long>(st.complementary_edges),
          static_cast<long long>(st.substitutable_edges), static_cast<long long>(st.member_edges),
          st.file_bytes / 1e6, logical / 1e6);
      std::printf(
          "  exchange+sort %.3f s; write %.3f s = %.0f MB/s of file (%.0f MB/s of arrays); total "
          "%.3f s\n",
          st.exchange_seconds, st.write_seconds, st.file_bytes / 1e6 / st.write_seconds,
          logical / 1e6 / st.write_seconds, total);
      std::printf("  dd conv=fsync of %.1f MB: %.3f s = %.0f MB/s; ratio write/dd %.2f\n",
                  st.file_bytes / 1e6, dd, st.file_bytes / 1e6 / dd, dd / st.write_seconds);
    }
    if (comm.rank() == 0) load_times(path);
    comm.barrier();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rank %d: %s\n", comm.rank(), e.what());
    comm.abort(1);
  }
  return 0;
}
