#include "kerec/train/eei_file.h"

#include <algorithm>

#include "kerec/io/hdf5.h"
#include "kerec/train/weights.h"
#include "kerec/util/error.h"

namespace kerec::train {

namespace h5 = io::h5;

void write_eei_file(const std::filesystem::path& path, const ComplementWeights& weights,
                    EeiModel<float>* model, const io::h5::RootAttrs& llm,
                    const std::string& config_sha256) {
  auto file = h5::File::create(path);
  h5::write_root_attrs(file, {.schema = "eei",
                              .schema_version = 1,
                              .config_sha256 = config_sha256,
                              .llm_model = llm.llm_model,
                              .prompt_sha256 = llm.prompt_sha256});
  const auto& g = weights.graph;
  h5::write<int32_t>(file, "edges/source", g.sources());
  h5::write<int32_t>(file, "edges/target", g.targets);
  h5::write<float>(file, "edges/weight", g.weights);
  h5::write<double>(file, "recency", weights.recency);
  h5::set_attr(file, "trigger_window_h", weights.window_h);
  h5::set_attr(file, "entities", g.entities);
  if (model) write_params(file, model->params());
}

ComplementWeights read_eei_weights(const std::filesystem::path& path) {
  const auto file = h5::File::open_read(path);
  h5::read_root_attrs(file, "eei");
  const auto source = h5::read<int32_t>(file, "edges/source"),
             target = h5::read<int32_t>(file, "edges/target");
  const auto weight = h5::read<float>(file, "edges/weight");
  if (source.size() != target.size() || source.size() != weight.size())
    throw InputError(path.string() +
                     ": /edges/source, /edges/target and /edges/weight differ in length");
  ComplementWeights w;
  w.recency = h5::read<double>(file, "recency");
  w.window_h = h5::get_attr<double>(file, "trigger_window_h");
  const auto bad = [](double x) { return !(x >= 0 && x <= 1); };
  if (w.recency.empty() || std::any_of(w.recency.begin(), w.recency.end(), bad))
    throw InputError(path.string() + ": /recency must hold weights in [0, 1]");
  if (!(w.window_h >= 0 && w.window_h < 1e9))
    throw InputError(path.string() + ": trigger_window_h out of range");
  if (std::any_of(weight.begin(), weight.end(), [](float x) { return !(x >= 0); }))
    throw InputError(path.string() + ": /edges/weight holds a negative or NaN weight");
  try {
    w.graph =
        EntityGraph::from_edges(h5::get_attr<int64_t>(file, "entities"), source, target, weight);
  } catch (const std::invalid_argument& e) {
    throw InputError(path.string() + ": " + e.what());
  }
  return w;
}

}  // namespace kerec::train
