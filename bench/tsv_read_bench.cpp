// TSV reader throughput against plain read(2) of the same bytes (what `cat FILE > /dev/null` does),
// in the same run, with a warm page cache. See bench/README.md, section "TSV reader".
//
//   tsv_read_bench FILE [--schema items|bills|exposures|entities] [--part P --parts N]
//                       [--repeat K] [--cold]
//
// The schema defaults to the one named by the file's name (exposures.tsv -> exposures). With
// --part/--parts the reader reads one part, and the baseline reads the same byte range, so the
// ratio is the per-rank figure. For .gz input every part decompresses the whole stream; the
// baseline then reads the compressed file, and the ratio says how far decompression dominates.
// --cold evicts the file from the page cache (posix_fadvise DONTNEED, this file only) before every
// timed pass, so both sides read from the device: the I/O-bound case of a first read.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "kerec/io/tsv.h"
#include "kerec/util/error.h"

namespace {

using kerec::io::TsvSchema;

struct Options {
  std::string path;
  std::string schema;
  int part = 0;
  int parts = 1;
  int repeat = 3;
  bool cold = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "%s\nusage: tsv_read_bench FILE [--schema items|bills|exposures|entities] "
               "[--part P --parts N] [--repeat K] [--cold]\n",
               why);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--schema" && has_value)
      options.schema = argv[++i];
    else if (arg == "--part" && has_value)
      options.part = std::atoi(argv[++i]);
    else if (arg == "--parts" && has_value)
      options.parts = std::atoi(argv[++i]);
    else if (arg == "--repeat" && has_value)
      options.repeat = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--cold")
      options.cold = true;
    else if (options.path.empty() && arg[0] != '-')
      options.path = arg;
    else
      usage(("unknown or incomplete argument: " + arg).c_str());
  }
  if (options.path.empty()) usage("missing FILE");
  if (options.parts < 1 || options.part < 0 || options.part >= options.parts) {
    usage("need 0 <= part < parts");
  }
  return options;
}

const TsvSchema& schema_for(const Options& options) {
  std::string name = options.schema;
  if (name.empty()) name = std::filesystem::path(options.path).filename().string();
  for (const TsvSchema* schema : {&kerec::io::items_schema(), &kerec::io::bills_schema(),
                                  &kerec::io::exposures_schema(), &kerec::io::entities_schema()}) {
    if (name.rfind(schema->name, 0) == 0) return *schema;
  }
  usage(("cannot tell the schema of '" + name + "': pass --schema").c_str());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Byte range [first, last) of a part, as the reader computes it (before line adjustment).
std::pair<uint64_t, uint64_t> part_range(uint64_t size, int part, int parts) {
  auto start = [&](int p) {
    return static_cast<uint64_t>(p) * (size / static_cast<uint64_t>(parts)) +
           static_cast<uint64_t>(p) * (size % static_cast<uint64_t>(parts)) /
               static_cast<uint64_t>(parts);
  };
  return {start(part), start(part + 1)};
}

// Drops the file's pages from the page cache (only this file's, and only clean ones).
void evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw kerec::IoError(kerec::errno_message("cannot open '" + path + "'", errno));
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// What cat does: read(2) in 128 KiB blocks and throw the bytes away. Returns the seconds taken.
double time_plain_read(const std::string& path, uint64_t first, uint64_t last) {
  const auto start = std::chrono::steady_clock::now();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw kerec::IoError(kerec::errno_message("cannot open '" + path + "'", errno));
  ::lseek(fd, static_cast<off_t>(first), SEEK_SET);
  std::vector<char> block(128 << 10);
  for (uint64_t left = last - first; left > 0;) {
    const ssize_t got = ::read(fd, block.data(), std::min<uint64_t>(block.size(), left));
    if (got <= 0) break;
    left -= static_cast<uint64_t>(got);
  }
  ::close(fd);
  return seconds_since(start);
}

struct ReaderRun {
  double seconds = 0;
  int64_t rows = 0;
  int64_t bytes_read = 0;
  uint64_t checksum = 0;
};

ReaderRun time_reader(const Options& options, const TsvSchema& schema) {
  ReaderRun run;
  const auto start = std::chrono::steady_clock::now();
  kerec::io::TsvReader reader(options.path, schema, {}, options.part, options.parts);
  kerec::io::TsvRow row;
  while (reader.next(row)) run.checksum += row.str(0).size();
  run.seconds = seconds_since(start);
  run.rows = reader.stats().rows_ok;
  run.bytes_read = reader.stats().bytes_read;
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse_options(argc, argv);
    const TsvSchema& schema = schema_for(options);
    const uint64_t size = std::filesystem::file_size(options.path);
    const bool gzip = options.path.ends_with(".gz");
    const auto [first, last] = gzip ? std::pair<uint64_t, uint64_t>{0, size}
                                    : part_range(size, options.part, options.parts);
    time_plain_read(options.path, 0, size);  // warm the page cache
    double best_plain = 1e300;
    ReaderRun best;
    best.seconds = 1e300;
    for (int i = 0; i < options.repeat; ++i) {
      if (options.cold) evict(options.path);
      best_plain = std::min(best_plain, time_plain_read(options.path, first, last));
      if (options.cold) evict(options.path);
      const ReaderRun run = time_reader(options, schema);
      if (run.seconds < best.seconds) best = run;
    }
    // Plain: the part's byte range; gzip: the decompressed text the reader went through.
    const double text_bytes =
        gzip ? static_cast<double>(best.bytes_read) : static_cast<double>(last - first);
    const double text_mb = text_bytes / 1e6;
    const double reader_mbps = text_mb / best.seconds;
    const double plain_mbps = static_cast<double>(last - first) / 1e6 / best_plain;
    std::printf("file     %s (%s schema, %.1f MB on disk), part %d of %d: %.1f MB\n",
                options.path.c_str(), schema.name.c_str(), static_cast<double>(size) / 1e6,
                options.part, options.parts, static_cast<double>(last - first) / 1e6);
    std::printf("reader   %8.1f MB/s  %7.2f M rows/s  (%lld rows, best of %d, checksum %llu)\n",
                reader_mbps, static_cast<double>(best.rows) / best.seconds / 1e6,
                static_cast<long long>(best.rows), options.repeat,
                static_cast<unsigned long long>(best.checksum));
    std::printf("read(2)  %8.1f MB/s  (128 KiB blocks, like cat; %s page cache)\n", plain_mbps,
                options.cold ? "cold" : "warm");
    std::printf("ratio    %8.2f  reader / read(2)   (target >= 0.50 for plain files)\n",
                reader_mbps / plain_mbps);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tsv_read_bench: %s\n", e.what());
    return 1;
  }
}
