// The serial HDF5 layer: round trips of every type, empty arrays, slices, matrices, strings and
// attributes; the storage policy as HDF5 reports it; and the errors for wrong types and bad files.
#include "kerec/io/hdf5.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "kerec/dist/local_comm.h"
#include "kerec/util/error.h"

namespace kerec::io::h5 {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Hdf5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    for (char& c : name) c = (c == '/') ? '_' : c;
    dir_ = fs::temp_directory_path() / ("kerec_h5_test_" + std::to_string(::getpid()) + "_" + name);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

// Distinct values covering each type's extremes, longer than one chunk of 64.
template <class T>
std::vector<T> sample(size_t n) {
  std::vector<T> values(n);
  for (size_t i = 0; i < n; ++i) values[i] = static_cast<T>((i * 37) % 251);
  if (n >= 2) {
    values[0] = std::numeric_limits<T>::lowest();
    values[1] = std::numeric_limits<T>::max();
  }
  return values;
}

template <class T>
class TypedHdf5Test : public Hdf5Test {};
using ElementTypes = ::testing::Types<int32_t, int64_t, uint64_t, uint8_t, float, double>;
TYPED_TEST_SUITE(TypedHdf5Test, ElementTypes);

TYPED_TEST(TypedHdf5Test, RoundTripsWholeArraysAndSlices) {
  const std::vector<TypeParam> values = sample<TypeParam>(1000);
  const fs::path path = this->dir_ / "a.h5";
  {
    File file = File::create(path);
    write<TypeParam>(file, "default", values);
    write<TypeParam>(file, "g/chunked", values, {.chunk_elems = 64, .compress = true});
    write<TypeParam>(file, "g/contiguous", values, {.compress = false});
  }
  File file = File::open_read(path);
  for (const char* name : {"default", "g/chunked", "g/contiguous"}) {
    EXPECT_EQ(read<TypeParam>(file, name), values) << name;
    EXPECT_THAT(shape(file, name), ElementsAre(1000u));
    const std::vector<TypeParam> slice = read_slice<TypeParam>(file, name, 60, 70);
    EXPECT_EQ(slice, std::vector<TypeParam>(values.begin() + 60, values.begin() + 130)) << name;
    EXPECT_TRUE(read_slice<TypeParam>(file, name, 1000, 0).empty());
  }
}

TYPED_TEST(TypedHdf5Test, EmptyArraysRoundTripInEveryLayout) {
  const fs::path path = this->dir_ / "empty.h5";
  {
    File file = File::create(path);
    write<TypeParam>(file, "default", {});
    write<TypeParam>(file, "chunked", {}, {.compress = true});
    write<TypeParam>(file, "contiguous", {}, {.compress = false});
  }
  File file = File::open_read(path);
  for (const char* name : {"default", "chunked", "contiguous"}) {
    EXPECT_TRUE(read<TypeParam>(file, name).empty()) << name;
    EXPECT_THAT(shape(file, name), ElementsAre(0u));
    EXPECT_TRUE(read_slice<TypeParam>(file, name, 0, 0).empty());
  }
}

TEST_F(Hdf5Test, SliceOutsideTheArrayIsAnError) {
  File file = File::create(dir_ / "a.h5");
  write<int32_t>(file, "x", std::vector<int32_t>{1, 2, 3});
  EXPECT_THAT([&] { read_slice<int32_t>(file, "x", 2, 2); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("a.h5:/x: slice [2, 2 + 2)")));
  EXPECT_THROW(read_slice<int32_t>(file, "x", 4, 0), Hdf5Error);
  EXPECT_THROW(read_slice<int32_t>(file, "x", 1, std::numeric_limits<uint64_t>::max()), Hdf5Error);
}

TEST_F(Hdf5Test, MatricesRoundTripRowMajor) {
  const std::vector<float> f = {1, 2, 3, 4, 5, 6};
  const std::vector<double> d = sample<double>(3 * 500);
  {
    File file = File::create(dir_ / "m.h5");
    write_matrix<float>(file, "f", f, 2, 3);
    write_matrix<double>(file, "d", d, 500, 3, {.chunk_elems = 30, .compress = true});
    write_matrix<double>(file, "empty", {}, 0, 8);
    EXPECT_THROW(write_matrix<float>(file, "bad", f, 4, 2), std::invalid_argument);
  }
  File file = File::open_read(dir_ / "m.h5");
  const Matrix<float> fm = read_matrix<float>(file, "f");
  EXPECT_EQ(fm.rows, 2u);
  EXPECT_EQ(fm.cols, 3u);
  EXPECT_EQ(fm.data, f);
  const Matrix<double> dm = read_matrix<double>(file, "d");
  EXPECT_EQ(dm.rows, 500u);
  EXPECT_EQ(dm.cols, 3u);
  EXPECT_EQ(dm.data, d);
  const Matrix<double> em = read_matrix<double>(file, "empty");
  EXPECT_EQ(em.rows, 0u);
  EXPECT_EQ(em.cols, 8u);
  EXPECT_TRUE(em.data.empty());
  EXPECT_THAT(shape(file, "f"), ElementsAre(2u, 3u));
  EXPECT_THROW(read_slice<float>(file, "f", 0, 1), Hdf5Error);
}

TEST_F(Hdf5Test, StringsRoundTripAsVariableLengthUtf8) {
  const std::vector<std::string> values = {"kettle", "", "grüner Tee", "茶", std::string(300, 'x')};
  {
    File file = File::create(dir_ / "s.h5");
    write_strings(file, "names", values);
    write_strings(file, "none", {});
    EXPECT_THAT(
        [&] { write_strings(file, "nul", std::vector<std::string>{std::string("a\0b", 3)}); },
        ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("string 0 contains a NUL byte")));
  }
  File file = File::open_read(dir_ / "s.h5");
  EXPECT_EQ(read_strings(file, "names"), values);
  EXPECT_TRUE(read_strings(file, "none").empty());
  EXPECT_EQ(read_strings(file, "names", 2, 2), (std::vector<std::string>{"grüner Tee", "茶"}));
  EXPECT_TRUE(read_strings(file, "names", 5, 0).empty());
  EXPECT_THAT(
      [&] { read_strings(file, "names", 4, 2); },
      ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("range [4, 4 + 2) exceeds its length 5")));
  Handle type(H5Dget_type(file.open_dataset("names").id()), Kind::kDatatype);
  EXPECT_GT(H5Tis_variable_str(type.id()), 0);
  EXPECT_EQ(H5Tget_cset(type.id()), H5T_CSET_UTF8);
}

TEST_F(Hdf5Test, AttributesOnFilesGroupsAndDatasets) {
  {
    File file = File::create(dir_ / "a.h5");
    write<int64_t>(file, "g/x", std::vector<int64_t>{1});
    set_attr(file, "count", 42);
    set_attr(file, "ratio", 0.25);
    set_attr(file, "name", "grüner Tee");
    set_attr(file.open_group("g"), "big", uint64_t{1} << 40);
    set_attr(file.open_dataset("g/x"), "unit", std::string("items"));
    set_attr(file, "count", "replaced by a string");
    EXPECT_THROW(set_attr(file, "huge", std::numeric_limits<uint64_t>::max()), std::out_of_range);
  }
  File file = File::open_read(dir_ / "a.h5");
  EXPECT_EQ(get_attr<std::string>(file, "count"), "replaced by a string");
  EXPECT_EQ(get_attr<double>(file, "ratio"), 0.25);
  EXPECT_EQ(get_attr<std::string>(file, "name"), "grüner Tee");
  EXPECT_EQ(get_attr<int64_t>(file.open_group("g"), "big"), int64_t{1} << 40);
  EXPECT_EQ(get_attr<std::string>(file.open_dataset("g/x"), "unit"), "items");
  EXPECT_TRUE(has_attr(file, "ratio"));
  EXPECT_FALSE(has_attr(file, "huge"));
  EXPECT_THAT([&] { get_attr<int64_t>(file, "ratio"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr(
                  "a.h5:/ attribute 'ratio' stores 8-byte float, expected signed 8-byte integer")));
  EXPECT_THAT([&] { get_attr<double>(file, "missing"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("H5Aopen failed on")));
}

TEST_F(Hdf5Test, RootAttributesRoundTripAndCheckTheSchema) {
  {
    File file = File::create(dir_ / "a.h5");
    write_root_attrs(
        file,
        {.schema = "graph", .schema_version = 3, .config_sha256 = "abc", .llm_model = "sim-1"});
  }
  File file = File::open_read(dir_ / "a.h5");
  const RootAttrs attrs = read_root_attrs(file, "graph");
  EXPECT_EQ(attrs.schema_version, 3);
  EXPECT_EQ(attrs.created_by, std::string("kerec ") + KEREC_VERSION);
  EXPECT_EQ(attrs.llm_model, "sim-1");
  EXPECT_EQ(attrs.prompt_sha256, "");
  EXPECT_FALSE(has_attr(file, "prompt_sha256"));
  EXPECT_THAT(
      [&] { read_root_attrs(file, "serving"); },
      ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("schema is 'graph', expected 'serving'")));
  File bare = File::create(dir_ / "bare.h5");
  EXPECT_THAT([&] { read_root_attrs(bare); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("missing root attribute 'schema'")));
}

// Layout, chunk extent and filter ids of a dataset, as HDF5 stores them.
struct Storage {
  H5D_layout_t layout;
  std::vector<hsize_t> chunk;
  std::vector<H5Z_filter_t> filters;
};

Storage storage_of(const Group& group, const char* name) {
  Handle dcpl(H5Dget_create_plist(group.open_dataset(name).id()), Kind::kPropertyList);
  Storage out{H5Pget_layout(dcpl.id()), {}, {}};
  if (out.layout == H5D_CHUNKED) {
    out.chunk.resize(static_cast<size_t>(H5Pget_chunk(dcpl.id(), 0, nullptr)));
    H5Pget_chunk(dcpl.id(), static_cast<int>(out.chunk.size()), out.chunk.data());
  }
  for (int i = 0; i < H5Pget_nfilters(dcpl.id()); ++i) {
    unsigned flags = 0;
    size_t n_values = 0;
    out.filters.push_back(H5Pget_filter2(dcpl.id(), static_cast<unsigned>(i), &flags, &n_values,
                                         nullptr, 0, nullptr, nullptr));
  }
  return out;
}

TEST_F(Hdf5Test, IntegersAreCompressedAndFloatsAreNot) {
  std::vector<int64_t> ids(100000);
  std::iota(ids.begin(), ids.end(), 0);
  const std::vector<float> weights(5000, 0.5f);
  File file = File::create(dir_ / "a.h5");
  write<int64_t>(file, "ids", ids);
  write<int64_t>(file, "few_ids", std::vector<int64_t>{1, 2, 3});
  write<float>(file, "weights", weights);
  write_matrix<double>(file, "emb", std::vector<double>(40, 1.0), 10, 4);
  write<float>(file, "packed", weights,
               {.chunk_elems = 1000, .deflate_level = 9, .compress = true});
  write<int32_t>(file, "raw", std::vector<int32_t>(10, 7), {.compress = false});
  EXPECT_THROW(write<int32_t>(file, "bad", std::vector<int32_t>(1), {.deflate_level = 0}),
               std::invalid_argument);

  const std::vector<H5Z_filter_t> shuffle_deflate = {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE};
  Storage s = storage_of(file, "ids");
  EXPECT_EQ(s.layout, H5D_CHUNKED);
  EXPECT_THAT(s.chunk, ElementsAre(65536u));
  EXPECT_EQ(s.filters, shuffle_deflate);
  EXPECT_LT(H5Dget_storage_size(file.open_dataset("ids").id()), ids.size() * sizeof(int64_t) / 4);
  EXPECT_THAT(storage_of(file, "few_ids").chunk, ElementsAre(3u));
  for (const char* name : {"weights", "emb", "raw"}) {
    s = storage_of(file, name);
    EXPECT_EQ(s.layout, H5D_CONTIGUOUS) << name;
    EXPECT_TRUE(s.filters.empty()) << name;
  }
  s = storage_of(file, "packed");
  EXPECT_THAT(s.chunk, ElementsAre(1000u));
  EXPECT_EQ(s.filters, shuffle_deflate);
}

TEST_F(Hdf5Test, ReadingWithTheWrongTypeSaysWhatWasFound) {
  File file = File::create(dir_ / "a.h5");
  write<int64_t>(file, "ids", std::vector<int64_t>{1, 2});
  write_matrix<float>(file, "m", std::vector<float>{1, 2}, 1, 2);
  EXPECT_THAT([&] { read<double>(file, "ids"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr(
                  "a.h5:/ids stores signed 8-byte integer, expected 8-byte float (float64)")));
  EXPECT_THAT([&] { read<uint64_t>(file, "ids"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("expected unsigned 8-byte integer")));
  EXPECT_THAT([&] { read<int32_t>(file, "ids"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("expected signed 4-byte integer")));
  EXPECT_THAT([&] { read_strings(file, "ids"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("expected strings")));
  EXPECT_THAT(
      [&] { read<float>(file, "m"); },
      ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("a.h5:/m has 2 dimensions, expected 1")));
  EXPECT_THAT([&] { read_matrix<double>(file, "m"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("expected 8-byte float")));
  EXPECT_THAT([&] { read<int64_t>(file, "nope"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("H5Dopen2 failed on")));
  EXPECT_THAT([&] { write<int64_t>(file, "ids", std::vector<int64_t>{3}); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("H5Dcreate2 failed on")));
}

TEST_F(Hdf5Test, BadFilesGiveErrorsNamingThePath) {
  const fs::path missing = dir_ / "missing.h5";
  EXPECT_THAT([&] { File::open_read(missing); },
              ::testing::ThrowsMessage<Hdf5Error>(
                  testing::AllOf(HasSubstr("H5Fopen failed on " + missing.string()),
                                 HasSubstr("No such file or directory"))));

  const fs::path text = dir_ / "text.h5";
  std::ofstream(text) << "item_id\ttitle\n1\tkettle\n";
  EXPECT_THAT([&] { File::open_read(text); },
              ::testing::ThrowsMessage<Hdf5Error>(
                  testing::AllOf(HasSubstr(text.string()), HasSubstr("file signature not found"))));

  const fs::path cut = dir_ / "cut.h5";
  {
    File file = File::create(cut);
    write<double>(file, "x", std::vector<double>(10000, 1.5));
  }
  fs::resize_file(cut, fs::file_size(cut) / 2);
  EXPECT_THAT([&] { File::open_read(cut); },
              ::testing::ThrowsMessage<Hdf5Error>(
                  testing::AllOf(HasSubstr(cut.string()), HasSubstr("truncated file"))));
}

TEST_F(Hdf5Test, GroupsNestListAndReportMissingOnes) {
  File file = File::create(dir_ / "a.h5");
  Group b = file.create_group("a/b");
  EXPECT_EQ(b.path(), "/a/b");
  write<uint8_t>(b, "flags", std::vector<uint8_t>{1});
  write<uint8_t>(file, "z", std::vector<uint8_t>{1});
  file.create_group("a/c");
  EXPECT_THAT(file.children(), ElementsAre("a", "z"));
  EXPECT_THAT(file.open_group("a").children(), ElementsAre("b", "c"));
  EXPECT_TRUE(file.exists("a/b/flags"));
  EXPECT_FALSE(file.exists("a/x/flags"));
  EXPECT_FALSE(file.exists("z/inside"));
  EXPECT_EQ(file.require_group("a/b").path(), "/a/b");
  EXPECT_EQ(file.require_group("a/d").path(), "/a/d");
  EXPECT_THAT([&] { file.open_group("a/x"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("H5Gopen2 failed on")));
  EXPECT_THAT([&] { file.open_group("a/x"); },
              ::testing::ThrowsMessage<Hdf5Error>(HasSubstr("a.h5:/a/x")));
  EXPECT_THROW(file.create_group("a/b"), Hdf5Error);
}

TEST_F(Hdf5Test, ClosingTheFileReleasesObjectsStillOpen) {
  Group survivor = [&] {
    File file = File::create(dir_ / "a.h5");
    Group g = file.create_group("g");
    file.close();
    file.close();  // idempotent
    return g;
  }();
  EXPECT_THROW(survivor.children(), Hdf5Error);
  File reopened = File::open_read_write(dir_ / "a.h5");  // not held open by `survivor`
  EXPECT_TRUE(reopened.exists("g"));
}

TEST_F(Hdf5Test, DistributedFunctionsWorkSeriallyWithOneRank) {
  dist::LocalComm comm;
  const std::vector<int64_t> values = sample<int64_t>(300);
  {
    File file = File::create(dir_ / "a.h5", &comm);
    write_distributed<int64_t>(file, "v", values, comm, {.chunk_elems = 64});
  }
  File file = File::open_read(dir_ / "a.h5", &comm);
  EXPECT_EQ(read<int64_t>(file, "v"), values);
  EXPECT_EQ(read_distributed<int64_t>(file, "v", comm), values);
  EXPECT_EQ(read_distributed<int64_t>(file, "v", comm, 10, 5),
            std::vector<int64_t>(values.begin() + 10, values.begin() + 15));
  EXPECT_THROW(read_distributed<int64_t>(file, "v", comm, 299, 2), Hdf5Error);
  EXPECT_THROW(read_distributed<double>(file, "v", comm), Hdf5Error);
}

}  // namespace
}  // namespace kerec::io::h5
