// Element type mapping and stored-type checks.
#include <string>

#include "io/h5_detail.h"
#include "kerec/util/error.h"

namespace kerec::io::h5::detail {

// The H5T_NATIVE_* and H5T_STD_* names are macros that read library globals after H5open(), so the
// specs are built at call time, not as constants.
template <>
TypeSpec type_spec<int32_t>() {
  return {H5T_INTEGER, 4, true, "int32", H5T_NATIVE_INT32, H5T_STD_I32LE};
}
template <>
TypeSpec type_spec<int64_t>() {
  return {H5T_INTEGER, 8, true, "int64", H5T_NATIVE_INT64, H5T_STD_I64LE};
}
template <>
TypeSpec type_spec<uint64_t>() {
  return {H5T_INTEGER, 8, false, "uint64", H5T_NATIVE_UINT64, H5T_STD_U64LE};
}
template <>
TypeSpec type_spec<uint8_t>() {
  return {H5T_INTEGER, 1, false, "uint8", H5T_NATIVE_UINT8, H5T_STD_U8LE};
}
template <>
TypeSpec type_spec<float>() {
  return {H5T_FLOAT, 4, true, "float32", H5T_NATIVE_FLOAT, H5T_IEEE_F32LE};
}
template <>
TypeSpec type_spec<double>() {
  return {H5T_FLOAT, 8, true, "float64", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE};
}

namespace {

std::string class_name(H5T_class_t type_class) {
  switch (type_class) {
    case H5T_INTEGER:
      return "integer";
    case H5T_FLOAT:
      return "float";
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_VLEN:
      return "variable-length sequence";
    case H5T_ARRAY:
      return "array";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_REFERENCE:
      return "reference";
    case H5T_TIME:
      return "time";
    default:
      return "unknown type class";
  }
}

std::string describe(const TypeSpec& spec) {
  if (spec.type_class == H5T_FLOAT) return std::to_string(spec.size) + "-byte float";
  return std::string(spec.is_signed ? "signed " : "unsigned ") + std::to_string(spec.size) +
         "-byte integer";
}

}  // namespace

std::string describe_type(hid_t type) {
  const H5T_class_t type_class = H5Tget_class(type);
  const size_t size = H5Tget_size(type);
  if (type_class == H5T_STRING) {
    const htri_t variable = H5Tis_variable_str(type);
    H5Eclear2(H5E_DEFAULT);
    if (variable > 0) return "variable-length string";
    return std::to_string(size) + "-byte fixed-length string";
  }
  if (type_class == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
    return std::string(is_signed ? "signed " : "unsigned ") + std::to_string(size) +
           "-byte integer";
  }
  if (type_class == H5T_FLOAT) return std::to_string(size) + "-byte float";
  H5Eclear2(H5E_DEFAULT);
  return class_name(type_class) + " of " + std::to_string(size) + " bytes";
}

void check_type(hid_t type, const TypeSpec& expected, const std::string& where) {
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class == H5T_NO_CLASS) throw_hdf5("H5Tget_class", where);
  bool matches = type_class == expected.type_class && H5Tget_size(type) == expected.size;
  if (matches && type_class == H5T_INTEGER) {
    const H5T_sign_t sign = H5Tget_sign(type);
    if (sign == H5T_SGN_ERROR) throw_hdf5("H5Tget_sign", where);
    matches = (sign == H5T_SGN_2) == expected.is_signed;
  }
  if (!matches) {
    throw Hdf5Error(where + " stores " + describe_type(type) + ", expected " + describe(expected) +
                    " (" + expected.name + ")");
  }
}

Handle vlen_string_type() {
  Handle type = owned(H5Tcopy(H5T_C_S1), Kind::kDatatype, "H5Tcopy", "variable-length string type");
  check(H5Tset_size(type.id(), H5T_VARIABLE), "H5Tset_size", "variable-length string type");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "H5Tset_cset", "variable-length string type");
  return type;
}

}  // namespace kerec::io::h5::detail
