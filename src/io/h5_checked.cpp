// Checksummed datasets (io/h5_checked.h).
#include "kerec/io/h5_checked.h"

#include "kerec/util/error.h"

namespace kerec::io::h5 {

uint64_t strings_checksum(std::span<const std::string> values) {
  std::string joined;
  for (const auto& s : values) joined.append(s).push_back('\0');
  return xxh64(joined.data(), joined.size(), 0);
}

void CheckedWriter::put_strings(const std::string& name, std::span<const std::string> v) {
  write_strings(f_, name, v);
  record(name, strings_checksum(v));
}

void CheckedWriter::finish() {
  write_strings(f_, "checksums/name", names_);
  write<uint64_t>(f_, "checksums/xxh64", sums_);
}

CheckedReader::CheckedReader(const File& file, std::filesystem::path path, std::string rebuild_hint)
    : f_(file), path_(std::move(path)), rebuild_hint_(std::move(rebuild_hint)) {
  if (!f_.exists("checksums/name") || !f_.exists("checksums/xxh64"))
    fail("/checksums", "is missing");
  const auto names = read_strings(f_, "checksums/name");
  const auto sums = read<uint64_t>(f_, "checksums/xxh64");
  if (names.size() != sums.size()) fail("/checksums", "name and xxh64 differ in length");
  for (size_t i = 0; i < names.size(); ++i) sums_[names[i]] = sums[i];
}

std::vector<std::string> CheckedReader::get_strings(const std::string& name) const {
  auto v = read_strings(f_, name);
  verify(name, strings_checksum(v));
  return v;
}

void CheckedReader::verify(const std::string& name, uint64_t sum) const {
  const auto it = sums_.find(name);
  if (it == sums_.end()) fail("/" + name, "has no checksum in /checksums");
  if (it->second != sum)
    fail("/" + name, "does not match its checksum (the file is damaged; " + rebuild_hint_ + ")");
}

void CheckedReader::fail(const std::string& what, const std::string& why) const {
  throw InputError(path_.string() + ": " + what + " " + why);
}

}  // namespace kerec::io::h5
