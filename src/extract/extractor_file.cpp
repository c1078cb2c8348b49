// The extractor as an artifact (extract/extractor_file.h).
#include "kerec/extract/extractor_file.h"

#include <stdexcept>

#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::extract {
namespace {

namespace h5 = io::h5;

std::string join_aliases(const std::vector<std::string>& aliases) {
  std::string out;
  for (const auto& a : aliases) {
    if (!out.empty()) out += '|';
    out += a;
  }
  return out;
}

std::vector<std::string> split_aliases(const std::string& joined) {
  std::vector<std::string> out;
  size_t from = 0;
  while (!joined.empty() && from <= joined.size()) {
    const size_t bar = std::min(joined.find('|', from), joined.size());
    out.push_back(joined.substr(from, bar - from));
    from = bar + 1;
  }
  return out;
}

void write_entities(h5::CheckedWriter& w, const std::string& p,
                    const std::vector<Entity>& entities) {
  std::vector<std::string> ids, names, aliases, categories;
  for (const auto& e : entities)
    ids.push_back(e.entity_id), names.push_back(e.name), aliases.push_back(join_aliases(e.aliases)),
        categories.push_back(e.category);
  w.put_strings(p + "entities/entity_id", ids);
  w.put_strings(p + "entities/name", names);
  w.put_strings(p + "entities/aliases", aliases);
  w.put_strings(p + "entities/category", categories);
}

std::vector<Entity> read_entities(const h5::CheckedReader& r, const std::string& p) {
  const auto ids = r.get_strings(p + "entities/entity_id"),
             names = r.get_strings(p + "entities/name");
  const auto aliases = r.get_strings(p + "entities/aliases"),
             categories = r.get_strings(p + "entities/category");
  if (names.size() != ids.size() || aliases.size() != ids.size() || categories.size() != ids.size())
    r.fail("/" + p + "entities", "entity_id, name, aliases and category differ in length");
  std::vector<Entity> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    out[i] = {ids[i], names[i], split_aliases(aliases[i]), categories[i],
              static_cast<int64_t>(i) + 2};
  return out;
}

}  // namespace

void write_extractor(h5::CheckedWriter& w, const std::string& p, const ExtractorData& d) {
  write_entities(w, p, d.entities);
  std::vector<std::string> mined_text;
  std::vector<int32_t> mined_entity;
  for (const auto& m : d.mined)
    mined_text.push_back(utf8::encode(m.text)), mined_entity.push_back(m.entity);
  w.put_strings(p + "mined_aliases/text", mined_text);
  w.put<int32_t>(p + "mined_aliases/entity", mined_entity);
  const std::vector<int64_t> ints = {
      d.feature_bits,    d.link_orders.n_min,  d.link_orders.n_max,
      d.fuzzy_min_chars, d.has_tagger ? 1 : 0, d.has_tagger ? int64_t{d.tagger.feature_bits} : 0};
  const std::vector<double> reals = {d.near_word_threshold, d.link_threshold, d.fuzzy_max_ratio};
  w.put<int64_t>(p + "settings/int", ints);
  w.put<double>(p + "settings/real", reals);
  w.put<double>(p + "tagger/weights", d.has_tagger ? d.tagger.weights : std::vector<double>{});
  w.put<uint8_t>(p + "tagger/known", d.has_tagger ? d.tagger.known : std::vector<uint8_t>{});
  w.put<int64_t>(p + "bigram_counts", d.bigram_counts);
}

ExtractorData read_extractor(const h5::CheckedReader& r, const std::string& p) {
  ExtractorData d;
  d.entities = read_entities(r, p);
  const auto text = r.get_strings(p + "mined_aliases/text");
  const auto entity = r.get<int32_t>(p + "mined_aliases/entity");
  if (text.size() != entity.size())
    r.fail("/" + p + "mined_aliases", "text and entity differ in length");
  for (size_t i = 0; i < text.size(); ++i) {
    if (entity[i] < 0 || entity[i] >= static_cast<int32_t>(d.entities.size()))
      r.fail("/" + p + "mined_aliases/entity",
             "holds " + std::to_string(entity[i]) + ", not an entity index");
    d.mined.push_back({utf8::decode(text[i]), entity[i]});
  }
  const auto ints = r.get<int64_t>(p + "settings/int");
  const auto reals = r.get<double>(p + "settings/real");
  if (ints.size() != 6 || reals.size() != 3)
    r.fail("/" + p + "settings", "has the wrong number of values");
  d.feature_bits = ints[0], d.link_orders = {static_cast<int>(ints[1]), static_cast<int>(ints[2])};
  d.fuzzy_min_chars = ints[3], d.has_tagger = ints[4] != 0;
  d.near_word_threshold = reals[0], d.link_threshold = reals[1], d.fuzzy_max_ratio = reals[2];
  if (d.has_tagger) {
    d.tagger.feature_bits = static_cast<uint32_t>(ints[5]);
    d.tagger.weights = r.get<double>(p + "tagger/weights");
    d.tagger.known = r.get<uint8_t>(p + "tagger/known");
    if (ints[5] < 1 || ints[5] > 30 ||
        d.tagger.weights.size() != CrfModel::parameter_count(d.tagger.feature_bits))
      r.fail("/" + p + "tagger/weights", "does not hold the parameters of a tagger with " +
                                             std::to_string(ints[5]) + " feature bits");
  }
  d.bigram_counts = r.get<int64_t>(p + "bigram_counts");
  return d;
}

void write_extractor_file(const std::filesystem::path& path, const ExtractorData& data,
                          h5::RootAttrs attrs) {
  auto f = h5::File::create(path);
  attrs.schema = "extractor", attrs.schema_version = kExtractorSchemaVersion;
  h5::write_root_attrs(f, attrs);
  h5::CheckedWriter w(f);
  write_extractor(w, "", data);
  w.finish();
}

ExtractorData read_extractor_file(const std::filesystem::path& path) {
  const auto f = h5::File::open_read(path);
  const auto root = h5::read_root_attrs(f, "extractor");
  if (root.schema_version != kExtractorSchemaVersion)
    throw InputError(path.string() + ": schema_version " + std::to_string(root.schema_version) +
                     ", this kerec reads " + std::to_string(kExtractorSchemaVersion));
  const h5::CheckedReader r(f, path, "rerun `kerec extract`");
  return read_extractor(r, "");
}

ServingExtractor::ServingExtractor(const ExtractorData& d)
    // The entities are the extract stage's loaded dictionary: what its policy dropped is gone, what
    // it kept (a name shared under keep_first, say) must be kept again, so the most permissive
    // policy.
    : dict_(EntityDict::from_entities(d.entities, DictPolicy{"keep_first", "skip", "keep_first"},
                                      "extractor data")),
      tagger_(d.tagger),
      bigrams_(d.bigram_counts.empty() ? std::vector<int64_t>{0} : d.bigram_counts) {
  if (dict_.size() != d.entities.size())
    throw InputError("extractor data: " + std::to_string(d.entities.size()) +
                     " entities rebuild to " + std::to_string(dict_.size()) +
                     " (the entity index would shift)");
  // As in the extract stage: the features, the linker and the fuzzy matcher see the dictionary, the
  // mention matcher also the mined aliases.
  matcher_ = std::make_unique<DictMatcher>(dict_);
  if (!d.mined.empty()) mined_matcher_ = std::make_unique<DictMatcher>(dict_, d.mined);
  features_ = std::make_unique<FeatureExtractor>(*matcher_, static_cast<uint32_t>(d.feature_bits),
                                                 d.near_word_threshold);
  linker_ = std::make_unique<Linker>(*matcher_, d.link_orders);
  const bool fuzzy = d.fuzzy_min_chars > 0;
  if (fuzzy) {
    fuzzy_ = std::make_unique<FuzzyMatcher>(*matcher_, static_cast<int>(d.fuzzy_min_chars),
                                            d.fuzzy_max_ratio);
    if (!d.bigram_counts.empty()) fuzzy_->set_bigrams(&bigrams_);
  }
  extractor_ = std::make_unique<Extractor>(mined_matcher_ ? *mined_matcher_ : *matcher_, *features_,
                                           d.has_tagger ? &tagger_ : nullptr, *linker_,
                                           d.link_threshold, fuzzy_.get());
}

ServingExtractor::~ServingExtractor() = default;

std::vector<Mention> ServingExtractor::extract(std::string_view text,
                                               UnknownMentions& unknown) const {
  std::vector<Mention> out;
  ExtractCounters counters;
  extractor_->extract(text, out, counters, unknown);
  return out;
}

}  // namespace kerec::extract
