// File, Group and Dataset.
#include <algorithm>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/dist/comm.h"
#include "kerec/util/error.h"
#include "kerec/util/watchdog.h"

namespace kerec::io::h5 {

using detail::check;
using detail::check_tri;
using detail::owned;

std::string Object::where() const { return file_.path + ":" + path_; }

std::string Object::child_path(std::string_view name) const {
  if (!name.empty() && name.front() == '/') return std::string(name);
  return (path_ == "/" ? std::string("/") : path_ + "/") + std::string(name);
}

// ---- Group ----

namespace {

// Link creation properties that create missing intermediate groups.
Handle intermediate_groups_lcpl(const std::string& where) {
  Handle lcpl = owned(H5Pcreate(H5P_LINK_CREATE), Kind::kPropertyList, "H5Pcreate", where);
  check(H5Pset_create_intermediate_group(lcpl.id(), 1), "H5Pset_create_intermediate_group", where);
  return lcpl;
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

}  // namespace

Group Group::create_group(std::string_view name) const {
  const std::string path = child_path(name);
  const std::string where = file().path + ":" + path;
  Handle lcpl = intermediate_groups_lcpl(where);
  Handle group =
      owned(H5Gcreate2(id(), std::string(name).c_str(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
            Kind::kGroup, "H5Gcreate2", where);
  return Group(std::move(group), file(), path);
}

Group Group::open_group(std::string_view name) const {
  const std::string path = child_path(name);
  Handle group = owned(H5Gopen2(id(), std::string(name).c_str(), H5P_DEFAULT), Kind::kGroup,
                       "H5Gopen2", file().path + ":" + path);
  return Group(std::move(group), file(), path);
}

Group Group::require_group(std::string_view name) const {
  return exists(name) ? open_group(name) : create_group(name);
}

bool Group::exists(std::string_view name) const {
  // H5Lexists fails (rather than returning false) when an intermediate component is missing or is
  // not a group, so walk the path one component at a time.
  size_t end = 0;
  while (true) {
    end = name.find('/', end + 1);
    const std::string prefix(name.substr(0, end));
    const std::string where = file().path + ":" + child_path(prefix);
    if (!check_tri(H5Lexists(id(), prefix.c_str(), H5P_DEFAULT), "H5Lexists", where)) return false;
    if (end == std::string_view::npos) return true;
    H5O_info_t info;
    check(H5Oget_info_by_name2(id(), prefix.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT),
          "H5Oget_info_by_name2", where);
    if (info.type != H5O_TYPE_GROUP) return false;
  }
}

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names), "H5Literate",
        where());
  std::sort(names.begin(), names.end());
  return names;
}

Dataset Group::open_dataset(std::string_view name) const {
  return Dataset(detail::open_dataset(*this, name), file(), child_path(name));
}

std::vector<uint64_t> Dataset::shape() const {
  const std::vector<hsize_t> dims = detail::dataset_dims(id(), where());
  return {dims.begin(), dims.end()};
}

// ---- File ----

namespace {

// File access properties: MPI-IO over comm when it has more than one rank, and strong close.
Handle access_plist(const dist::Comm* comm, FileContext& context) {
  Handle fapl = owned(H5Pcreate(H5P_FILE_ACCESS), Kind::kPropertyList, "H5Pcreate", context.path);
  check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), "H5Pset_fclose_degree", context.path);
  if (comm == nullptr || comm->size() <= 1) return fapl;
  const void* native = comm->native_handle();
  if (native == nullptr) {
    throw Hdf5Error(context.path + ": cannot open in parallel: the communicator of " +
                    std::to_string(comm->size()) + " ranks has no MPI communicator");
  }
  const MPI_Comm mpi_comm = *static_cast<const MPI_Comm*>(native);
  check(H5Pset_fapl_mpio(fapl.id(), mpi_comm, MPI_INFO_NULL), "H5Pset_fapl_mpio", context.path);
  context.parallel = true;
  context.rank = comm->rank();
  context.size = comm->size();
  return fapl;
}

}  // namespace

File File::open(const std::filesystem::path& path, const dist::Comm* comm, unsigned mode,
                bool create) {
  detail::silence_hdf5_errors();
  FileContext context{path.string()};
  Handle fapl = access_plist(comm, context);
  const char* name = context.path.c_str();
  const watchdog::WatchedCall watch(watchdog::Kind::kRead, create ? "H5Fcreate" : "H5Fopen",
                                    context.path);
  Handle file = create
                    ? owned(H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fapl.id()), Kind::kFile,
                            "H5Fcreate", context.path)
                    : owned(H5Fopen(name, mode, fapl.id()), Kind::kFile, "H5Fopen", context.path);
  return File(std::move(file), std::move(context));
}

File File::create(const std::filesystem::path& path, const dist::Comm* comm) {
  return open(path, comm, H5F_ACC_TRUNC, true);
}

File File::open_read(const std::filesystem::path& path, const dist::Comm* comm) {
  return open(path, comm, H5F_ACC_RDONLY, false);
}

File File::open_read_write(const std::filesystem::path& path, const dist::Comm* comm) {
  return open(path, comm, H5F_ACC_RDWR, false);
}

void File::flush() const { check(H5Fflush(id(), H5F_SCOPE_GLOBAL), "H5Fflush", file().path); }

void File::close() { handle().close(file().path); }

}  // namespace kerec::io::h5
