#include "kerec/io/inspect_h5.h"

#include <sstream>
#include <vector>

#include "h5_detail.h"
#include "kerec/util/watchdog.h"

namespace kerec::io::h5 {
namespace {

using detail::check;
using detail::check_id;
using detail::owned;

constexpr hsize_t kMaxAttrText = 80;

std::string type_text(hid_t type) {
  const size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(8 * size);
    case H5T_FLOAT:
      return "float" + std::to_string(8 * size);
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0 ? "string" : "string[" + std::to_string(size) + "]";
    case H5T_COMPOUND:
      return "compound";
    default:
      return "other";
  }
}

std::string shape_text(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  std::string s = "(";
  for (int i = 0; i < rank; ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (rank == 1 ? ",)" : ")");
}

std::string attr_value(hid_t attr, const std::string& where) {
  Handle type = owned(H5Aget_type(attr), Kind::kDatatype, "H5Aget_type", where);
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls == H5T_INTEGER) {
    long long v = 0;
    check(H5Aread(attr, H5T_NATIVE_LLONG, &v), "H5Aread", where);
    return std::to_string(v);
  }
  if (cls == H5T_FLOAT) {
    double v = 0;
    check(H5Aread(attr, H5T_NATIVE_DOUBLE, &v), "H5Aread", where);
    std::ostringstream s;
    s << v;
    return s.str();
  }
  if (cls == H5T_STRING && H5Tis_variable_str(type.id()) > 0) {
    char* text = nullptr;
    Handle mem = owned(H5Tget_native_type(type.id(), H5T_DIR_ASCEND), Kind::kDatatype,
                       "H5Tget_native_type", where);
    check(H5Aread(attr, mem.id(), &text), "H5Aread", where);
    std::string v = text ? text : "";
    H5free_memory(text);
    return "\"" + (v.size() > kMaxAttrText ? v.substr(0, kMaxAttrText) + "..." : v) + "\"";
  }
  return "<" + type_text(type.id()) + ">";
}

struct Walk {
  std::ostringstream out;
  std::string file;
};

herr_t print_attr(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto* walk = static_cast<Walk*>(data);
  const std::string where = walk->file + " attribute " + name;
  Handle attr = owned(H5Aopen(object, name, H5P_DEFAULT), Kind::kAttribute, "H5Aopen", where);
  walk->out << "    @" << name << " = " << attr_value(attr.id(), where) << "\n";
  return 0;
}

std::string storage_text(hid_t dataset, const std::string& where) {
  Handle dcpl =
      owned(H5Dget_create_plist(dataset), Kind::kPropertyList, "H5Dget_create_plist", where);
  if (H5Pget_layout(dcpl.id()) != H5D_CHUNKED) return "contiguous";
  hsize_t chunk[8] = {};
  const int rank = H5Pget_chunk(dcpl.id(), 8, chunk);
  std::string s = "chunks " + std::to_string(rank > 0 ? chunk[0] : 0);
  const int filters = H5Pget_nfilters(dcpl.id());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0, config = 0;
    size_t nelems = 0;
    char name[64] = {};
    const H5Z_filter_t f =
        H5Pget_filter2(dcpl.id(), i, &flags, &nelems, nullptr, sizeof name, name, &config);
    s += f == H5Z_FILTER_DEFLATE   ? "+deflate"
         : f == H5Z_FILTER_SHUFFLE ? "+shuffle"
                                   : "+" + std::string(name);
  }
  return s;
}

herr_t print_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto* walk = static_cast<Walk*>(data);
  const std::string path = std::string("/") + (std::string(name) == "." ? "" : name);
  const std::string where = walk->file + ":" + path;
  if (info->type == H5O_TYPE_GROUP) {
    walk->out << path << (path == "/" ? "" : "/") << "\n";
  } else if (info->type == H5O_TYPE_DATASET) {
    Handle ds = owned(H5Dopen2(root, name, H5P_DEFAULT), Kind::kDataset, "H5Dopen2", where);
    Handle type = owned(H5Dget_type(ds.id()), Kind::kDatatype, "H5Dget_type", where);
    Handle space = owned(H5Dget_space(ds.id()), Kind::kDataspace, "H5Dget_space", where);
    walk->out << path << "  " << type_text(type.id()) << " " << shape_text(space.id()) << "  "
              << storage_text(ds.id(), where) << "\n";
  }
  hsize_t index = 0;
  check(H5Aiterate_by_name(root, name, H5_INDEX_NAME, H5_ITER_INC, &index, print_attr, walk,
                           H5P_DEFAULT),
        "H5Aiterate_by_name", where);
  return 0;
}

}  // namespace

std::string describe_file(const std::filesystem::path& path) {
  detail::silence_hdf5_errors();
  const std::string where = path.string();
  const watchdog::WatchedCall watch(watchdog::Kind::kRead, "H5Fopen and H5Ovisit", where);
  Handle file =
      owned(H5Fopen(where.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), Kind::kFile, "H5Fopen", where);
  Walk walk;
  walk.file = where;
  walk.out << where << " (HDF5)\n";
  check(H5Ovisit(file.id(), H5_INDEX_NAME, H5_ITER_INC, print_object, &walk), "H5Ovisit", where);
  return walk.out.str();
}

}  // namespace kerec::io::h5
