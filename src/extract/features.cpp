#include "kerec/extract/features.h"

#include <unordered_set>

namespace kerec::extract {
namespace {

// FNV-1a of a template id and a code-point string, then mixed.
struct Hasher {
  uint64_t h;
  explicit Hasher(uint32_t kind) : h(0xcbf29ce484222325ULL ^ (kind * 0x9E3779B97F4A7C15ULL)) {}
  Hasher& add(std::u32string_view s) {
    for (char32_t c : s) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0xFFFF) * 0x100000001b3ULL;  // separator between parts
    return *this;
  }
  uint32_t done(uint32_t mask) const {
    uint64_t x = h;
    x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33;
    return static_cast<uint32_t>(x) & mask;
  }
};

enum Kind : uint32_t {
  kBias = 1,
  kWord,
  kBigram,
  kPrefix,
  kSuffix,
  kShape,
  kLength,
  kFirst,
  kLast,
  kDict,
  kNear,
  kDictChar
};

const std::u32string kBos = U"<s>", kEos = U"</s>", kUnk = U"<unk>";

std::u32string shape_of(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s) {
    const char32_t k = (c >= '0' && c <= '9') ? U'd' : U'x';
    if (out.empty() || out.back() != k) out.push_back(k);
  }
  return out;
}

}  // namespace

FeatureExtractor::FeatureExtractor(const DictMatcher& matcher, uint32_t feature_bits,
                                   double near_threshold)
    : matcher_(matcher), mask_((uint32_t{1} << feature_bits) - 1), near_threshold_(near_threshold) {
  std::unordered_set<std::u32string> seen;
  for (const auto& [s, entity] : matcher.strings())
    for (const auto& t : text::tokenize(s))
      if (!t.cjk && seen.insert(t.text).second) words_.add(t.text, 0);
}

double FeatureExtractor::word_similarity(const std::u32string& token) const {
  const auto it = near_cache_.find(token);
  if (it != near_cache_.end()) return it->second;
  const double score = matcher_.known_token(token) ? 1.0 : words_.best(token).score;
  near_cache_.emplace(token, score);
  return score;
}

std::vector<uint8_t> FeatureExtractor::tags_of(std::span<const TokenSpan> dict, size_t size) {
  std::vector<uint8_t> tags(size, kOutside);
  for (const auto& s : dict)
    for (int32_t t = s.first; t < s.last; ++t) tags[t] = t == s.first ? kBegin : kInside;
  return tags;
}

Sequence FeatureExtractor::extract(std::span<const text::Token> tokens,
                                   std::span<const TokenSpan> dict, const Options& options) const {
  const auto n = static_cast<int32_t>(tokens.size());
  const auto dict_tags = tags_of(dict, tokens.size());
  auto mask = [&](int32_t i) { return options.mask.empty() ? uint8_t{kKeep} : options.mask[i]; };
  std::vector<const std::u32string*> names(tokens.size());
  for (int32_t i = 0; i < n; ++i) {
    const bool known =
        mask(i) == kKeep && (!options.vocabulary || options.vocabulary->is_known(tokens[i].text));
    names[i] = known ? &tokens[i].text : &kUnk;
  }
  auto word = [&](int32_t i) -> const std::u32string& {
    return i < 0 ? kBos : i >= n ? kEos : *names[i];
  };
  auto flagged = [&](int32_t i) {  // near a dictionary word (Latin) / a dictionary character (CJK)
    if (mask(i) == kMaskWordAndFlag) return false;
    return tokens[i].cjk ? matcher_.known_token(tokens[i].text) : near_word(tokens[i].text);
  };
  Sequence seq;
  auto put = [&](const Hasher& h) { seq.features.push_back(h.done(mask_)); };
  for (int32_t t = 0; t < n; ++t) {
    const auto& tok = tokens[t];
    put(Hasher(kBias));
    for (int32_t d = -2; d <= 2; ++d) put(Hasher(kWord + 100 * (d + 2)).add(word(t + d)));
    put(Hasher(kBigram).add(word(t - 1)).add(word(t)));
    put(Hasher(kBigram + 100).add(word(t)).add(word(t + 1)));
    if (!tok.cjk) {
      for (size_t k = 1; k <= 3 && k < tok.text.size(); ++k) {
        put(Hasher(kPrefix + 100 * k).add(std::u32string_view(tok.text).substr(0, k)));
        put(Hasher(kSuffix + 100 * k)
                .add(std::u32string_view(tok.text).substr(tok.text.size() - k)));
      }
      put(Hasher(kShape).add(shape_of(tok.text)));
      put(Hasher(kLength).add(
          std::u32string(1, static_cast<char32_t>(std::min<size_t>(tok.text.size(), 10)))));
    }
    if (t == 0) put(Hasher(kFirst));
    if (t == n - 1) put(Hasher(kLast));
    if (options.dict_flags) {
      for (int32_t d = -1; d <= 1; ++d) {
        const int32_t i = t + d;
        if (i >= 0 && i < n && dict_tags[i] != kOutside)
          put(Hasher(kDict + 100 * (d + 1) + 1000 * dict_tags[i]));
      }
    }
    if (flagged(t)) put(Hasher(tok.cjk ? kDictChar : kNear));
    for (int32_t d : {-1, 1}) {
      const int32_t i = t + d;
      if (i >= 0 && i < n && flagged(i)) put(Hasher(kNear + 100 * (d + 2)));
    }
    seq.offsets.push_back(static_cast<uint32_t>(seq.features.size()));
  }
  return seq;
}

}  // namespace kerec::extract
