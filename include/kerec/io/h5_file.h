// Files, groups and datasets as RAII objects. Part of kerec/io/hdf5.h; include that header.
//
// Names passed to Group methods and to the dataset/attribute functions are relative paths inside
// the group ("embeddings" or "graph/shard_index"); where something is created, missing intermediate
// groups are created too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kerec/io/h5_handle.h"

namespace kerec::dist {
class Comm;
}

namespace kerec::io::h5 {

// What every object knows about the file it lives in.
struct FileContext {
  std::string path;       // the file on disk, for messages
  bool parallel = false;  // opened with MPI-IO by a communicator of more than one rank
  int rank = 0;           // this process's rank in that communicator (0 when serial)
  int size = 1;           // that communicator's size (1 when serial)
};

// An open file, group or dataset: a handle plus where it is, so errors can name it.
class Object {
 public:
  hid id() const { return handle_.id(); }
  const FileContext& file() const { return file_; }
  // Absolute path of the object inside its file; "/" for the root group.
  const std::string& path() const { return path_; }
  // "FILE:PATH", the form every error message uses.
  std::string where() const;
  // Absolute path of `name` (a relative path) below this object.
  std::string child_path(std::string_view name) const;

 protected:
  Object(Handle handle, FileContext file, std::string path)
      : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}
  Handle& handle() { return handle_; }

 private:
  Handle handle_;
  FileContext file_;
  std::string path_;
};

class Dataset;

class Group : public Object {
 public:
  // Creates group `name`; throws Hdf5Error if it already exists.
  Group create_group(std::string_view name) const;
  // Opens existing group `name`; throws Hdf5Error naming it if it is missing.
  Group open_group(std::string_view name) const;
  // Opens `name` if it exists, creates it otherwise.
  Group require_group(std::string_view name) const;
  // True if a link `name` exists (a group, a dataset or anything else). A missing intermediate
  // group gives false, not an error.
  bool exists(std::string_view name) const;
  // Names of the direct children (groups, datasets, other links), sorted by name.
  std::vector<std::string> children() const;
  // Opens existing dataset `name`, e.g. to put attributes on it.
  Dataset open_dataset(std::string_view name) const;

 protected:
  Group(Handle handle, FileContext file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}
};

class Dataset : public Object {
 public:
  // Current extent, one entry per dimension.
  std::vector<uint64_t> shape() const;

 private:
  friend class Group;
  Dataset(Handle handle, FileContext file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}
};

// An HDF5 file; as a Group it is the root group "/".
//
// Parallel files. With a communicator `comm` of more than one rank, create/open_* are collective
// over comm and the file is accessed with MPI-IO (H5Pset_fapl_mpio on comm->native_handle()); with
// a null comm or one rank, the file is serial. For a parallel file:
//  - every rank of comm must call the same operations on the file, its groups, datasets and
//    attributes that create, change or close anything (create/open/close of the file, including
//    its destructor, every write, set_attr, flush), in the same order with the same arguments;
//    write<T>/write_matrix/write_strings then expect the same data on every rank and store rank
//    0's (see h5_dataset.h);
//  - reads (opening groups and datasets to read them, read, read_slice, get_attr, children, ...)
//    may be done by any subset of ranks;
//  - MPI must stay initialised until the file is closed (HDF5 keeps its own duplicate of the
//    communicator), and a rank that fails locally must not skip a collective HDF5 call: agree on
//    the failure first (dist/agree.h), as for any collective.
// A file written in parallel reads serially and vice versa: the format is the same.
//
// Closing the file (close() or the destructor) also closes every group, dataset and attribute
// opened from it (H5F_CLOSE_STRONG): MPI-IO cannot close a file with objects open, and a fixed
// close point is what the collective contract needs. Objects must not be used after their file is
// closed.
class File : public Group {
 public:
  // Creates `path`, truncating an existing file.
  static File create(const std::filesystem::path& path, const dist::Comm* comm = nullptr);
  static File open_read(const std::filesystem::path& path, const dist::Comm* comm = nullptr);
  static File open_read_write(const std::filesystem::path& path, const dist::Comm* comm = nullptr);

  // Flushes HDF5's buffers to the operating system (not an fsync; see kerec/io/atomic.h for that).
  void flush() const;
  // Closes the file, reporting a failure as Hdf5Error. Idempotent.
  void close();

  File(File&&) noexcept = default;
  File& operator=(File&&) noexcept = default;

 private:
  File(Handle handle, FileContext file) : Group(std::move(handle), std::move(file), "/") {}
  static File open(const std::filesystem::path& path, const dist::Comm* comm, unsigned mode,
                   bool create);
};

}  // namespace kerec::io::h5
