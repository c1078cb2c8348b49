#include "kerec/train/ranker_file.h"

#include "kerec/io/hdf5.h"
#include "kerec/train/weights.h"
#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::train {

namespace h5 = io::h5;

void write_ranker_file(const std::filesystem::path& path, RankerModel& model,
                       const std::string& config_sha256) {
  auto file = h5::File::create(path);
  h5::write_root_attrs(file,
                       {.schema = "ranker", .schema_version = 1, .config_sha256 = config_sha256});
  if (model.shape().dense > 0) h5::set_attr(file, "dense_features", model.shape().dense);
  write_params(file, model.params());
}

void read_ranker_file(const std::filesystem::path& path, RankerModel& model) {
  const auto file = h5::File::open_read(path);
  h5::read_root_attrs(file, "ranker");
  const int64_t dense =
      h5::has_attr(file, "dense_features") ? h5::get_attr<int64_t>(file, "dense_features") : 0;
  if (dense != model.shape().dense)
    throw InputError(path.string() + ": a ranker with " + std::to_string(dense) +
                     " dense features, expected " + std::to_string(model.shape().dense));
  read_params(file, model.params());
}

std::string inputs_fingerprint(const std::string& text,
                               const std::vector<std::filesystem::path>& files) {
  Sha256 h;
  h.update(text);
  for (const auto& p : files) {
    const auto mtime = std::filesystem::last_write_time(p).time_since_epoch().count();
    h.update(p.string() + ":" + std::to_string(std::filesystem::file_size(p)) + ":" +
             std::to_string(mtime) + "\n");
  }
  return h.hex();
}

}  // namespace kerec::train
