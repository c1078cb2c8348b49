// Checksummed datasets: a writer that records the XXH64 of every dataset it writes in
// /checksums (name, xxh64) of the file, and a reader that verifies each dataset against it when it
// is read. Used by the files serving loads whole (serving.h5, extractor.h5), where a damaged
// dataset must be an InputError naming it, never a model that silently serves garbage.
//
// Names are paths below the file's root ("items/id"); the checksums of strings are of the strings
// joined with '\0' terminators. Local (serial files): no collective contract.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "kerec/io/h5_dataset.h"
#include "kerec/util/checksum.h"

namespace kerec::io::h5 {

uint64_t strings_checksum(std::span<const std::string> values);

class CheckedWriter {
 public:
  explicit CheckedWriter(const File& file) : f_(file) {}
  template <class T>
  void put(const std::string& name, std::span<const T> v) {
    write<T>(f_, name, v);
    record(name, xxh64(v, 0));
  }
  void put_strings(const std::string& name, std::span<const std::string> v);
  // Records a checksum of something not written by put (a parameter block, a text of attributes).
  void record(const std::string& name, uint64_t sum) {
    names_.push_back(name), sums_.push_back(sum);
  }
  // Writes /checksums; call once, after the last put.
  void finish();
  const File& file() const { return f_; }

 private:
  const File& f_;
  std::vector<std::string> names_;
  std::vector<uint64_t> sums_;
};

class CheckedReader {
 public:
  // Reads /checksums; InputError naming `path` when it is missing or inconsistent.
  CheckedReader(const File& file, std::filesystem::path path, std::string rebuild_hint);
  template <class T>
  std::vector<T> get(const std::string& name) const {
    auto v = read<T>(f_, name);
    verify(name, xxh64(std::span<const T>(v), 0));
    return v;
  }
  std::vector<std::string> get_strings(const std::string& name) const;
  bool has(const std::string& name) const { return sums_.count(name) > 0; }
  // InputError unless `name`'s recorded checksum is `sum`.
  void verify(const std::string& name, uint64_t sum) const;
  // InputError "<path>: <what> <why>".
  [[noreturn]] void fail(const std::string& what, const std::string& why) const;
  const File& file() const { return f_; }

 private:
  const File& f_;
  std::filesystem::path path_;
  std::string rebuild_hint_;
  std::map<std::string, uint64_t> sums_;
};

}  // namespace kerec::io::h5
