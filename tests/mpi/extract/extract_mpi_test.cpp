// The extractor under MPI: the tagger trained at 1, 2 or 4 ranks has exactly the weights of a
// single in-process rank (the gradient is summed in fixed point), and the extracted mention tables,
// written collectively to items.h5, equal the single-rank ones exactly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../../support/mpi_test.h"
#include "kerec/dist/collectives.h"
#include "kerec/dist/local_comm.h"
#include "kerec/extract/config.h"
#include "kerec/extract/tables.h"
#include "kerec/extract/training.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

namespace fs = std::filesystem;

const char* kHeads[] = {"phone",        "phone case", "charger",      "laptop",
                        "mouse",        "kettle",     "teapot",       "tent",
                        "sleeping bag", "backpack",   "coffee beans", "croissant"};
const char* kModifiers[] = {"rugged", "wireless", "organic", "compact", "premium"};
const char* kBrands[] = {"Zentek", "Coraster", "Nikowave", "Velolux", "Paxgo", "Miroton"};
const char* kAttrs[] = {"red", "black", "size L", "2-pack", "500ml", "2023 model"};

// entities.tsv and items.tsv of a small synthetic catalogue, with misspelt mentions.
void write_inputs(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream e(dir / "entities.tsv");
  e << "entity_id\tname\taliases\tcategory\n";
  std::vector<std::string> names;
  for (const char* h : kHeads) names.push_back(h);
  for (const char* m : kModifiers)
    for (const char* h : kHeads) names.push_back(std::string(m) + " " + h);
  for (size_t i = 0; i < names.size(); ++i) e << 100 + i << '\t' << names[i] << "\t\tgoods\n";
  std::ofstream items(dir / "items.tsv");
  items << "item_id\ttitle\tcategory\tprice\tcreated_at\n";
  Rng rng(7);
  for (int i = 0; i < 900; ++i) {
    std::string mention = names[rng.uniform_int(names.size())];
    if (rng.bernoulli(0.15) && mention.size() > 5)
      std::swap(mention[2], mention[3]);  // a misspelling
    const std::string brand = kBrands[rng.uniform_int(6)], attr = kAttrs[rng.uniform_int(6)];
    const std::string title = rng.bernoulli(0.5) ? brand + " " + mention + " " + attr
                                                 : mention + " by " + brand + ", " + attr;
    items << i << '\t' << title << "\tgoods\t9.99\t1700000000\n";
  }
}

struct Result {
  CrfModel model;
  std::vector<int64_t> offsets;
  std::vector<Mention> mentions;
};

// Collective over `comm`: trains the tagger and extracts every item; returns all ranks' mentions.
Result run(dist::Comm& comm, const fs::path& dir, const fs::path& out) {
  ExtractConfig cfg;
  cfg.feature_bits = 14;
  cfg.max_iterations = 25;
  cfg.train_sample_rate = 0.8;
  const auto dict = EntityDict::load((dir / "entities.tsv").string(), cfg.dict_policy());
  auto rows = read_items((dir / "items.tsv").string(), {}, comm.rank(), comm.size());
  const DictMatcher matcher(dict);
  const FeatureExtractor features(matcher, static_cast<uint32_t>(cfg.feature_bits),
                                  cfg.near_word_threshold);
  std::vector<TrainingText> train;
  for (size_t r = 0; r < rows.size(); ++r)
    add_training_text(features, rows.texts[r], "items/" + rows.keys[r], cfg.train_sample_rate,
                      train);
  Result res;
  res.model = train_tagger(comm, train, features, cfg);
  const Linker linker(matcher, cfg.link_orders());
  const Extractor extractor(matcher, features, &res.model, linker, cfg.link_threshold);
  ExtractCounters counters;
  UnknownMentions unknown;
  for (const auto& t : rows.texts) {
    extractor.extract(t, rows.mentions, counters, unknown);
    rows.mention_offsets.push_back(static_cast<int64_t>(rows.mentions.size()));
  }
  write_items(out, rows, comm, {.schema = "extract_items", .schema_version = 1});
  const auto file = io::h5::File::open_read(out);
  res.offsets = io::h5::read<int64_t>(file, "items/mention_offsets");
  const auto entity = io::h5::read<int32_t>(file, "mentions/entity");
  const auto begin = io::h5::read<int32_t>(file, "mentions/begin");
  const auto end = io::h5::read<int32_t>(file, "mentions/end");
  const auto source = io::h5::read<uint8_t>(file, "mentions/source");
  for (size_t i = 0; i < entity.size(); ++i)
    res.mentions.push_back({entity[i], begin[i], end[i], source[i]});
  return res;
}

TEST(ExtractMpi, ModelAndMentionsEqualASingleRank) {
  dist::Comm& comm = kerec::test::comm();
  const fs::path base =
      fs::temp_directory_path() / ("kerec-extract-mpi-np" + std::to_string(comm.size()));
  Result local;
  if (comm.rank() == 0) {
    fs::remove_all(base);
    write_inputs(base / "in");
    dist::LocalComm one;
    local = run(one, base / "in", base / "local.h5");
  }
  comm.barrier();
  const Result mpi = run(comm, base / "in", base / "mpi.h5");
  if (comm.rank() == 0) {
    EXPECT_EQ(mpi.model.weights, local.model.weights);  // exact, not within a tolerance
    EXPECT_EQ(mpi.model.known, local.model.known);
    EXPECT_EQ(mpi.offsets, local.offsets);
    ASSERT_EQ(mpi.mentions.size(), local.mentions.size());
    for (size_t i = 0; i < mpi.mentions.size(); ++i) {
      EXPECT_EQ(mpi.mentions[i].entity, local.mentions[i].entity) << i;
      EXPECT_EQ(mpi.mentions[i].begin, local.mentions[i].begin) << i;
      EXPECT_EQ(mpi.mentions[i].end, local.mentions[i].end) << i;
      EXPECT_EQ(mpi.mentions[i].source, local.mentions[i].source) << i;
    }
    EXPECT_EQ(local.offsets.size(), 901u);
    int64_t tagger = 0;
    for (const auto& m : local.mentions) tagger += m.source == kTagger;
    EXPECT_GT(tagger, 0) << "the tagger found none of the misspelt mentions";
  }
  comm.barrier();
  if (comm.rank() == 0) fs::remove_all(base);
}

}  // namespace
}  // namespace kerec::extract
