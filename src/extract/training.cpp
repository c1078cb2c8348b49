#include "kerec/extract/training.h"

#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

// A word this similar to a dictionary word, without being one, is taken for a misspelling.
constexpr double kSuspicious = 0.7;

// Collective: the bitmap of token buckets seen at least `min_count` times in all ranks' texts.
std::vector<uint8_t> vocabulary(dist::Comm& comm, std::span<const TrainingText> local,
                                int64_t min_count) {
  std::vector<int32_t> counts(size_t{1} << CrfModel::kVocabBits, 0);
  for (const auto& t : local)
    for (const auto& tok : t.tokens) ++counts[CrfModel::token_bucket(tok.text)];
  dist::allreduce(comm, std::span<int32_t>(counts), dist::ReduceOp::kSum);
  std::vector<uint8_t> known(counts.size() / 8, 0);
  for (size_t b = 0; b < counts.size(); ++b)
    if (counts[b] >= min_count) known[b >> 3] |= static_cast<uint8_t>(1u << (b & 7));
  return known;
}

// Per token: how a masked text hides it (features.h); empty for an unmasked text.
std::vector<uint8_t> mask_of(const TrainingText& t, double mask_share) {
  if (draw("mask", t.key) >= mask_share) return {};
  std::vector<uint8_t> mask(t.tokens.size(), FeatureExtractor::kKeep);
  for (const auto& span : t.dict)
    for (int32_t i = span.first; i < span.last; ++i) {
      const double u = draw("mask/" + std::to_string(i), t.key);
      mask[i] = u < 1.0 / 3   ? FeatureExtractor::kKeep
                : u < 2.0 / 3 ? FeatureExtractor::kMaskWord
                              : FeatureExtractor::kMaskWordAndFlag;
    }
  return mask;
}

}  // namespace

double draw(std::string_view purpose, std::string_view key) {
  std::string s(purpose);
  s += '\x1f';
  s += key;
  return static_cast<double>(mix64(hash64(s)) >> 11) * 0x1.0p-53;
}

Label add_training_text(const FeatureExtractor& features, const std::string& utf8, std::string key,
                        double sample_rate, std::vector<TrainingText>& out) {
  auto tokens = text::tokenize_utf8(utf8);
  auto dict = features.matcher().match(tokens);
  if (dict.empty()) return Label::kUnlabelled;
  auto suspicious = [&](int32_t i) {
    if (i < 0 || i >= static_cast<int32_t>(tokens.size()) || tokens[i].cjk) return false;
    return !features.matcher().known_token(tokens[i].text) &&
           features.word_similarity(tokens[i].text) >= kSuspicious;
  };
  for (const auto& s : dict)
    if (suspicious(s.first - 1) || suspicious(s.last)) return Label::kUnreliable;
  if (draw("train", key) >= sample_rate) return Label::kSampledOut;
  out.push_back({std::move(tokens), std::move(dict), std::move(key)});
  return Label::kUsed;
}

CrfModel train_tagger(dist::Comm& comm, std::span<const TrainingText> local,
                      const FeatureExtractor& features, const ExtractConfig& config,
                      TrainStats* stats) {
  CrfModel vocab;
  vocab.known = vocabulary(comm, local, config.vocab_min_count);
  std::vector<Sequence> sequences;
  sequences.reserve(local.size());
  for (const auto& t : local) {
    const auto mask = mask_of(t, config.mask_share);
    std::vector<TokenSpan> flags = t.dict;
    if (!mask.empty()) {  // what the dictionary would see if the masked words were misspelt
      auto hidden = t.tokens;
      for (size_t i = 0; i < hidden.size(); ++i)
        if (mask[i] != FeatureExtractor::kKeep) hidden[i].text = U"\x01";
      flags = features.matcher().match(hidden);
    }
    auto seq = features.extract(t.tokens, flags, {true, &vocab, mask});
    seq.tags = FeatureExtractor::tags_of(t.dict, t.tokens.size());
    sequences.push_back(std::move(seq));
  }
  CrfModel model = train_crf(comm, sequences, config.train_options(), stats);
  model.known = std::move(vocab.known);
  return model;
}

}  // namespace kerec::extract
