// The extractor as an artifact (docs/artifacts.md "extract"): everything needed to extract
// entities from new text exactly as the extract stage did — the Entity Dict, the mined aliases,
// the tagger, the corpus bigram counts of the fuzzy matcher and the settings — so that serving
// extracts a bill event posted at run time with the same extractor as the logs.
//
// Written by the extract stage as extract/extractor.h5 and copied by the export stage into
// serving.h5 under /extractor. Every dataset is checksummed (io/h5_checked.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/extract/crf.h"
#include "kerec/extract/entity_dict.h"
#include "kerec/extract/extractor.h"
#include "kerec/extract/fuzzy.h"
#include "kerec/io/h5_attr.h"
#include "kerec/io/h5_checked.h"

namespace kerec::extract {

// 2: the bigram counts also hold each character's totals (fuzzy.h CorpusCounts).
inline constexpr int64_t kExtractorSchemaVersion = 2;

struct ExtractorData {
  std::vector<Entity> entities;   // the Entity Dict after loading (index = entity index)
  std::vector<MinedAlias> mined;  // mined aliases (alias_mining.h); empty without mining
  bool has_tagger = false;
  CrfModel tagger;                     // when has_tagger
  std::vector<int64_t> bigram_counts;  // CorpusCounts::counts(); empty: no fuzzy matching
  int64_t feature_bits = 18;           // the tagger's features ([extract] feature_bits)
  double near_word_threshold = 0.5, link_threshold = 0.5;
  text::NgramOrders link_orders;
  int64_t fuzzy_min_chars = 0;  // 0: fuzzy matching off
  double fuzzy_max_ratio = 0.25;
};

// Writes `data` below `prefix` ("" for the file's root, "extractor/" inside serving.h5).
void write_extractor(io::h5::CheckedWriter& w, const std::string& prefix,
                     const ExtractorData& data);
// Reads and checks what write_extractor wrote; InputError naming the file and dataset otherwise.
ExtractorData read_extractor(const io::h5::CheckedReader& r, const std::string& prefix);

// extract/extractor.h5: root attributes `attrs` (schema "extractor").
void write_extractor_file(const std::filesystem::path& path, const ExtractorData& data,
                          io::h5::RootAttrs attrs);
ExtractorData read_extractor_file(const std::filesystem::path& path);

// The extractor rebuilt from its data, owning every part. extract() is not thread-safe (the
// feature extractor caches word similarities): callers that share one serialise their calls.
class ServingExtractor {
 public:
  explicit ServingExtractor(const ExtractorData& data);
  ~ServingExtractor();
  ServingExtractor(const ServingExtractor&) = delete;
  ServingExtractor& operator=(const ServingExtractor&) = delete;

  // The text's mentions (entity = index into entities()); unknown mentions counted in `unknown`.
  // InputError for invalid UTF-8.
  std::vector<Mention> extract(std::string_view text, UnknownMentions& unknown) const;
  const std::vector<Entity>& entities() const { return dict_.entities(); }

 private:
  EntityDict dict_;
  CrfModel tagger_;
  CorpusCounts bigrams_;
  std::unique_ptr<DictMatcher> matcher_, mined_matcher_;
  std::unique_ptr<FeatureExtractor> features_;
  std::unique_ptr<Linker> linker_;
  std::unique_ptr<FuzzyMatcher> fuzzy_;
  std::unique_ptr<Extractor> extractor_;
};

}  // namespace kerec::extract
