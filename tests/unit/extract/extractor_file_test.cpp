// The extractor as an artifact (extractor_file.h): what is written is read back, the rebuilt
// extractor finds what the extract stage's parts find, and a damaged dataset is refused by name.
#include "kerec/extract/extractor_file.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <fstream>

#include "../../support/temp_dir_test.h"
#include "kerec/util/error.h"

namespace kerec::extract {
namespace {

class ExtractorFile : public test::TempDirTest {};

ExtractorData sample_data() {
  ExtractorData d;
  d.entities = {{"bj", "笔记本支架", {"电脑支架"}, "office", 2},
                {"ej", "耳机架", {}, "audio", 3},
                {"tent", "tent", {"camping tent"}, "outdoor", 4},
                {"stove", "camping stove", {}, "outdoor", 5}};
  d.mined = {{U"gas burner", 3}};
  d.has_tagger = true;
  d.tagger = CrfModel::zeros(8);
  for (size_t i = 0; i < d.tagger.weights.size(); ++i)
    d.tagger.weights[i] = 0.001 * static_cast<double>(i % 7) - 0.003;
  CorpusCounts bigrams(6);
  bigrams.add_text(text::tokenize_utf8("笔记本支架和笔记本"));
  d.bigram_counts.assign(bigrams.counts().begin(), bigrams.counts().end());
  d.feature_bits = 8, d.fuzzy_min_chars = 3, d.fuzzy_max_ratio = 0.25;
  return d;
}

std::vector<std::pair<int32_t, int32_t>> entities_and_begin(const std::vector<Mention>& ms) {
  std::vector<std::pair<int32_t, int32_t>> out;
  for (const auto& m : ms) out.emplace_back(m.entity, m.begin);
  return out;
}

TEST_F(ExtractorFile, ReadsBackWhatItWrote) {
  const auto d = sample_data();
  write_extractor_file(path("x.h5"), d, {.config_sha256 = "abc"});
  const auto r = read_extractor_file(path("x.h5"));
  ASSERT_EQ(r.entities.size(), d.entities.size());
  for (size_t i = 0; i < d.entities.size(); ++i) {
    EXPECT_EQ(r.entities[i].entity_id, d.entities[i].entity_id);
    EXPECT_EQ(r.entities[i].aliases, d.entities[i].aliases);
  }
  ASSERT_EQ(r.mined.size(), 1u);
  EXPECT_EQ(r.mined[0].text, U"gas burner");
  EXPECT_EQ(r.tagger.weights, d.tagger.weights);
  EXPECT_EQ(r.bigram_counts, d.bigram_counts);
  EXPECT_EQ(r.fuzzy_min_chars, 3);
  EXPECT_TRUE(r.has_tagger);
}

TEST_F(ExtractorFile, RebuiltExtractorFindsWhatThePartsFind) {
  const auto d = sample_data();
  write_extractor_file(path("x.h5"), d, {});
  const ServingExtractor rebuilt(read_extractor_file(path("x.h5")));
  // The extract stage's assembly of the same parts.
  const auto dict = EntityDict::from_entities(d.entities, {});
  const DictMatcher base(dict), mined(dict, d.mined);
  const FeatureExtractor features(base, 8, d.near_word_threshold);
  const Linker linker(base, d.link_orders);
  FuzzyMatcher fuzzy(base, 3, 0.25);
  const CorpusCounts bigrams(d.bigram_counts);
  fuzzy.set_bigrams(&bigrams);
  const Extractor direct(mined, features, &d.tagger, linker, d.link_threshold, &fuzzy);
  for (const char* text :
       {"星风笔纪本支架", "a camping tent and a gas burner", "电脑支架 耳机架", "nothing here"}) {
    std::vector<Mention> want;
    ExtractCounters counters;
    UnknownMentions unknown, unknown2;
    direct.extract(text, want, counters, unknown);
    EXPECT_EQ(entities_and_begin(rebuilt.extract(text, unknown2)), entities_and_begin(want))
        << text;
  }
  UnknownMentions unknown;
  const auto found = rebuilt.extract("a camping tent and a gas burner", unknown);
  ASSERT_EQ(found.size(), 2u) << "the mined alias is matched";
  EXPECT_EQ(found[1].entity, 3);
}

TEST_F(ExtractorFile, ADamagedDatasetIsRefusedByName) {
  write_extractor_file(path("x.h5"), sample_data(), {});
  haddr_t offset = HADDR_UNDEF;
  {
    const hid_t f = H5Fopen(path("x.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, "settings/real", H5P_DEFAULT);
    offset = H5Dget_offset(d);
    H5Dclose(d), H5Fclose(f);
  }
  ASSERT_NE(offset, HADDR_UNDEF);
  {
    std::fstream file(path("x.h5"), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write("\0\0\0\0\0\0\0\0", 8);
  }
  try {
    read_extractor_file(path("x.h5"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/settings/real does not match its checksum"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kerec::extract
