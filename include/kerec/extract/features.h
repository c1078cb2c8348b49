// CRF features of a tokenised text (text/normalize.h tokens; positions are tokens: Latin words or
// single CJK code points). Each feature is a string template hashed into [0, 2^feature_bits):
//   bias; the token and its neighbours at -2..+2; the bigrams (-1,0) and (0,+1);
//   Latin tokens: prefixes and suffixes of 1-3 code points, word shape, length;
//   position: first / last token;
//   dictionary flags (optional): the dictionary matcher's B/I tag at -1, 0, +1, and for Latin
//   tokens whether the token is within n-gram similarity `near_threshold` of a dictionary word (so
//   that a misspelt word looks like a known one), for CJK tokens whether the code point occurs in a
//   dictionary string.
// Tokens the model has not seen in training (CrfModel::known) are named "<unk>" in the word and
// context features (their affixes and shape stay), so a word the tagger never saw is treated like
// the masked words of training.
// Training masks a share of the sentences (ExtractConfig::mask_share) to teach the tagger the
// mentions the dictionary cannot see: each mention token is, by a draw, kept, masked to "<unk>"
// with its near-a-dictionary-word flag kept (like a misspelling), or masked without that flag (like
// an alias the dictionary lacks); the dictionary B/I flags are those the matcher gives when the
// masked tokens are unreadable ("organc wallet": the dictionary sees only "wallet"), while the
// labels stay the full mention.
#pragma once
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "kerec/extract/crf.h"
#include "kerec/extract/matcher.h"
#include "kerec/text/similarity.h"

namespace kerec::extract {

class FeatureExtractor {
 public:
  FeatureExtractor(const DictMatcher& matcher, uint32_t feature_bits, double near_threshold);

  enum Mask : uint8_t { kKeep = 0, kMaskWord, kMaskWordAndFlag };
  struct Options {
    bool dict_flags = true;                // the matcher's B/I flags
    const CrfModel* vocabulary = nullptr;  // unknown tokens become "<unk>"; null: all are known
    std::span<const uint8_t> mask = {};    // training: per token, a Mask; empty: all kKeep
  };

  // The sequence for `tokens`; `dict` are the matcher's spans for them (sorted, non-overlapping).
  // Tags are left empty.
  Sequence extract(std::span<const text::Token> tokens, std::span<const TokenSpan> dict,
                   const Options& options) const;

  const DictMatcher& matcher() const { return matcher_; }

  // True for a Latin token within n-gram similarity near_threshold of a dictionary word (cached).
  bool near_word(const std::u32string& token) const {
    return word_similarity(token) >= near_threshold_;
  }
  // Similarity of a Latin token to the closest dictionary word (1 for a dictionary word; cached).
  double word_similarity(const std::u32string& token) const;

  // BIO tags of `dict` spans over `size` tokens (the distant labels).
  static std::vector<uint8_t> tags_of(std::span<const TokenSpan> dict, size_t size);

 private:
  const DictMatcher& matcher_;
  uint32_t mask_;
  double near_threshold_;
  text::NgramIndex words_;                                         // Latin dictionary words
  mutable std::unordered_map<std::u32string, double> near_cache_;  // token -> word_similarity()
};

}  // namespace kerec::extract
