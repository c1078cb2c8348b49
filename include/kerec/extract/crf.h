// A linear-chain CRF over BIO tags (O outside, B begins a mention, I continues it), with hashed
// sparse features: each position of a sequence carries a list of feature ids in [0,
// 2^feature_bits).
//
// Parameters (one flat vector): emission weight of feature f for tag y at f * kTags + y, then the
// kTags x kTags transition weights (from, to), then the kTags start weights.
// Scores: score(y | x) = start[y_0] + Σ_t Σ_{f ∈ x_t} emission[f, y_t] + Σ_{t>0} trans[y_{t-1},
// y_t].
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kerec::extract {

enum Tag : uint8_t { kOutside = 0, kBegin = 1, kInside = 2 };
inline constexpr int kTags = 3;

// One text as the CRF sees it.
struct Sequence {
  std::vector<uint32_t> offsets{0};  // positions + 1 entries; position t's features are
  std::vector<uint32_t> features;    // features[offsets[t], offsets[t+1])
  std::vector<uint8_t> tags;         // gold tags for training; empty otherwise
  size_t size() const { return offsets.size() - 1; }
};

struct CrfModel {
  static constexpr int64_t kFormatVersion = 1;

  uint32_t feature_bits = 18;
  std::vector<double> weights;  // parameter_count(feature_bits) values
  // The tokens seen in training (a bitmap over 2^kVocabBits hash buckets of the token text): the
  // features name a token by its text when it is known, else by "<unk>" (see features.h).
  static constexpr uint32_t kVocabBits = 20;
  std::vector<uint8_t> known;  // 2^kVocabBits / 8 bytes; empty: every token is known
  static uint32_t token_bucket(std::u32string_view token);
  bool is_known(std::u32string_view token) const;

  static size_t parameter_count(uint32_t feature_bits) {
    return (size_t{1} << feature_bits) * kTags + kTags * kTags + kTags;
  }
  // A zero model of the given size.
  static CrfModel zeros(uint32_t feature_bits);

  // The highest-scoring tag sequence (Viterbi). Empty for an empty sequence.
  std::vector<uint8_t> viterbi(const Sequence& sequence) const;

  // Writes the model with cereal (portable binary, with kFormatVersion); IoError on failure.
  void save(const std::filesystem::path& path) const;
  // Reads a model written by save(); InputError naming the file for another format version.
  static CrfModel load(const std::filesystem::path& path);
};

// Negative log-likelihood of `sequence.tags` under `model` and its gradient with respect to the
// weights, in fixed point (value × 2^kFixedShift, rounded per position), added to `nll` and `grad`.
// Integer sums do not depend on their order, so a gradient summed over any split of the sentences
// across ranks is bit-identical.
inline constexpr int kFixedShift = 32;
void accumulate_gradient(const CrfModel& model, const Sequence& sequence, int64_t& nll,
                         std::vector<int64_t>& grad);

// Tokens' BIO tags -> [first, last) spans; an I that does not follow B or I starts a span.
std::vector<std::pair<int32_t, int32_t>> spans_of(const std::vector<uint8_t>& tags);

}  // namespace kerec::extract
