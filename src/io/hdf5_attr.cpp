// Scalar attributes and the root attributes of kerec files.
#include <algorithm>
#include <string>
#include <vector>

#include "io/h5_detail.h"
#include "kerec/io/h5_attr.h"
#include "kerec/util/error.h"
#include "kerec/util/watchdog.h"

namespace kerec::io::h5 {

namespace {

std::string attr_where(const Object& object, std::string_view name) {
  return object.where() + " attribute '" + std::string(name) + "'";
}

// Replaces attribute `name` with a scalar of `file_type` holding `*value` (of `memory_type`).
void write_scalar(const Object& object, std::string_view name, hid_t file_type, hid_t memory_type,
                  const void* value) {
  const std::string where = attr_where(object, name);
  const std::string key(name);
  if (detail::check_tri(H5Aexists(object.id(), key.c_str()), "H5Aexists", where)) {
    detail::check(H5Adelete(object.id(), key.c_str()), "H5Adelete", where);
  }
  Handle space = detail::owned(H5Screate(H5S_SCALAR), Kind::kDataspace, "H5Screate", where);
  Handle attr = detail::owned(
      H5Acreate2(object.id(), key.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
      Kind::kAttribute, "H5Acreate2", where);
  detail::check(H5Awrite(attr.id(), memory_type, value), "H5Awrite", where);
  attr.close(where);
}

// An open attribute checked to hold one value.
struct ScalarAttr {
  Handle attr;
  Handle type;
  std::string where;
};

ScalarAttr open_scalar(const Object& object, std::string_view name) {
  ScalarAttr out;
  out.where = attr_where(object, name);
  out.attr = detail::owned(H5Aopen(object.id(), std::string(name).c_str(), H5P_DEFAULT),
                           Kind::kAttribute, "H5Aopen", out.where);
  out.type = detail::owned(H5Aget_type(out.attr.id()), Kind::kDatatype, "H5Aget_type", out.where);
  Handle space =
      detail::owned(H5Aget_space(out.attr.id()), Kind::kDataspace, "H5Aget_space", out.where);
  const hssize_t points = H5Sget_simple_extent_npoints(space.id());
  if (points < 0) detail::throw_hdf5("H5Sget_simple_extent_npoints", out.where);
  if (points != 1) {
    throw Hdf5Error(out.where + " holds " + std::to_string(points) + " values, expected one");
  }
  return out;
}

template <class T>
T read_number(const Object& object, std::string_view name) {
  ScalarAttr scalar = open_scalar(object, name);
  const detail::TypeSpec spec = detail::type_spec<T>();
  detail::check_type(scalar.type.id(), spec, scalar.where);
  T value{};
  const watchdog::WatchedCall watch(watchdog::Kind::kRead, "H5Aread", scalar.where);
  detail::check(H5Aread(scalar.attr.id(), spec.memory, &value), "H5Aread", scalar.where);
  return value;
}

std::string read_string(const Object& object, std::string_view name) {
  ScalarAttr scalar = open_scalar(object, name);
  const watchdog::WatchedCall watch(watchdog::Kind::kRead, "H5Aread", scalar.where);
  if (H5Tget_class(scalar.type.id()) != H5T_STRING) {
    throw Hdf5Error(scalar.where + " stores " + detail::describe_type(scalar.type.id()) +
                    ", expected a string");
  }
  if (!detail::check_tri(H5Tis_variable_str(scalar.type.id()), "H5Tis_variable_str",
                         scalar.where)) {
    std::vector<char> bytes(H5Tget_size(scalar.type.id()));
    detail::check(H5Aread(scalar.attr.id(), scalar.type.id(), bytes.data()), "H5Aread",
                  scalar.where);
    return std::string(bytes.begin(), std::find(bytes.begin(), bytes.end(), '\0'));
  }
  Handle memory = detail::vlen_string_type();
  char* text = nullptr;
  detail::check(H5Aread(scalar.attr.id(), memory.id(), &text), "H5Aread", scalar.where);
  std::string value = text ? text : "";
  H5free_memory(text);  // HDF5 allocated the string with its own allocator
  return value;
}

}  // namespace

void set_attr(const Object& object, std::string_view name, int64_t value) {
  write_scalar(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void set_attr(const Object& object, std::string_view name, double value) {
  write_scalar(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void set_attr(const Object& object, std::string_view name, std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    throw Hdf5Error(attr_where(object, name) + ": string value contains a NUL byte");
  }
  Handle type = detail::vlen_string_type();
  const std::string text(value);
  const char* pointer = text.c_str();
  write_scalar(object, name, type.id(), type.id(), &pointer);
}

bool has_attr(const Object& object, std::string_view name) {
  return detail::check_tri(H5Aexists(object.id(), std::string(name).c_str()), "H5Aexists",
                           attr_where(object, name));
}

template <AttrValue T>
T get_attr(const Object& object, std::string_view name) {
  if constexpr (std::is_same_v<T, std::string>) {
    return read_string(object, name);
  } else {
    return read_number<T>(object, name);
  }
}

template int64_t get_attr<int64_t>(const Object&, std::string_view);
template double get_attr<double>(const Object&, std::string_view);
template std::string get_attr<std::string>(const Object&, std::string_view);

// ---- root attributes ----

void write_root_attrs(const File& file, const RootAttrs& attrs) {
  set_attr(file, "schema", attrs.schema);
  set_attr(file, "schema_version", attrs.schema_version);
  set_attr(file, "created_by",
           attrs.created_by.empty() ? std::string("kerec ") + KEREC_VERSION : attrs.created_by);
  set_attr(file, "config_sha256", attrs.config_sha256);
  if (!attrs.llm_model.empty()) set_attr(file, "llm_model", attrs.llm_model);
  if (!attrs.prompt_sha256.empty()) set_attr(file, "prompt_sha256", attrs.prompt_sha256);
}

RootAttrs read_root_attrs(const File& file, std::string_view expect_schema) {
  for (const char* required : {"schema", "schema_version", "created_by", "config_sha256"}) {
    if (!has_attr(file, required)) {
      throw Hdf5Error(file.file().path + ": missing root attribute '" + required +
                      "' (not a kerec file?)");
    }
  }
  RootAttrs attrs;
  attrs.schema = get_attr<std::string>(file, "schema");
  attrs.schema_version = get_attr<int64_t>(file, "schema_version");
  attrs.created_by = get_attr<std::string>(file, "created_by");
  attrs.config_sha256 = get_attr<std::string>(file, "config_sha256");
  if (has_attr(file, "llm_model")) attrs.llm_model = get_attr<std::string>(file, "llm_model");
  if (has_attr(file, "prompt_sha256")) {
    attrs.prompt_sha256 = get_attr<std::string>(file, "prompt_sha256");
  }
  if (!expect_schema.empty() && attrs.schema != expect_schema) {
    throw Hdf5Error(file.file().path + ": schema is '" + attrs.schema + "', expected '" +
                    std::string(expect_schema) + "'");
  }
  return attrs;
}

}  // namespace kerec::io::h5
