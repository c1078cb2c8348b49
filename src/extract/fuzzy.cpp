// Hamming-1 lookups through wildcard keys: a string of length L is stored under L keys, one per
// position with that character replaced by a wildcard; a window matches when one of its L
// wildcard keys is stored. Keys are 64-bit hashes; a collision could only propose a match that the
// frequency test and the overlap rules then judge like any other.
#include "kerec/extract/fuzzy.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

constexpr char32_t kWildcard = 0xFFFFFFFF;

// Keys are XORs of one term per position, so a window's L wildcard keys cost O(L), not O(L²):
// key(window, w) = base(window) ^ term(w, c_w) ^ term(w, wildcard).
uint64_t term(size_t position, char32_t c) {
  return mix64((uint64_t{c} << 32) ^ position ^ 0x5bd1e995ULL);
}

uint64_t base_of(std::span<const text::Token> tokens, size_t first, size_t length) {
  uint64_t h = mix64(length);
  for (size_t k = 0; k < length; ++k) h ^= term(k, tokens[first + k].text[0]);
  return h;
}

uint64_t wild_key(uint64_t base, size_t w, char32_t c) {
  return base ^ term(w, c) ^ term(w, kWildcard);
}

bool all_cjk(std::span<const text::Token> tokens, size_t first, size_t length) {
  for (size_t k = first; k < first + length; ++k)
    if (!tokens[k].cjk) return false;
  return true;
}

}  // namespace

void BigramCounts::add_text(std::span<const text::Token> tokens) {
  for (size_t k = 1; k < tokens.size(); ++k)
    if (tokens[k - 1].cjk && tokens[k].cjk)
      ++counts_[bucket(tokens[k - 1].text[0], tokens[k].text[0])];
}

BigramCounts::BigramCounts(std::vector<int64_t> counts) : counts_(std::move(counts)) {
  if (counts_.empty() || (counts_.size() & (counts_.size() - 1)) != 0)
    throw std::invalid_argument("bigram counts: " + std::to_string(counts_.size()) +
                                " buckets, not a power of two");
}

void BigramCounts::merge(dist::Comm& comm) {
  dist::allreduce(comm, std::span<int64_t>(counts_), dist::ReduceOp::kSum);
}

size_t BigramCounts::bucket(char32_t a, char32_t b) const {
  return mix64((uint64_t{a} << 32) | b) & (counts_.size() - 1);
}

FuzzyMatcher::FuzzyMatcher(const DictMatcher& dict, int min_length, double max_ratio)
    : max_ratio_(max_ratio) {
  std::set<int32_t, std::greater<>> lengths;
  for (const auto& [s, entity] : dict.strings()) {
    const auto tokens = text::tokenize(s);
    if (static_cast<int>(tokens.size()) < min_length || !all_cjk(tokens, 0, tokens.size()))
      continue;
    lengths.insert(static_cast<int32_t>(tokens.size()));
    const uint64_t base = base_of(tokens, 0, tokens.size());
    exact_.emplace(base, entity);
    for (size_t w = 0; w < tokens.size(); ++w) {
      const auto [it, added] =
          keys_.emplace(wild_key(base, w, tokens[w].text[0]), Entry{entity, tokens[w].text[0]});
      if (!added && it->second.entity != entity) it->second.entity = kAmbiguous;
    }
  }
  lengths_.assign(lengths.begin(), lengths.end());
}

std::vector<FuzzyMatch> FuzzyMatcher::match(std::span<const text::Token> tokens) const {
  std::vector<FuzzyMatch> found;
  if (lengths_.empty()) return found;
  // cjk_run[i]: CJK tokens from i on (windows must lie inside a run); taken[i]: inside a match.
  std::vector<int32_t> cjk_run(tokens.size() + 1, 0);
  for (size_t i = tokens.size(); i-- > 0;) cjk_run[i] = tokens[i].cjk ? cjk_run[i + 1] + 1 : 0;
  std::vector<char> taken(tokens.size(), 0);
  for (int32_t length : lengths_) {
    const auto len = static_cast<size_t>(length);
    for (size_t first = 0; first + len <= tokens.size(); ++first) {
      if (cjk_run[first] < length || std::find(taken.begin() + first, taken.begin() + first + len,
                                               1) != taken.begin() + first + len)
        continue;
      const uint64_t base = base_of(tokens, first, len);
      if (exact_.count(base)) continue;
      int32_t entity = -1, substituted = -1;
      char32_t dict_ch = 0;
      for (size_t w = 0; w < len && entity != kAmbiguous; ++w) {
        const auto it = keys_.find(wild_key(base, w, tokens[first + w].text[0]));
        if (it == keys_.end()) continue;
        entity = entity == -1 || entity == it->second.entity ? it->second.entity : kAmbiguous;
        substituted = static_cast<int32_t>(first + w), dict_ch = it->second.ch;
      }
      if (entity < 0 || !rare_variant(tokens.subspan(first, len),
                                      static_cast<size_t>(substituted) - first, dict_ch))
        continue;
      found.push_back(
          {{static_cast<int32_t>(first), static_cast<int32_t>(first + len), entity}, substituted});
      std::fill(taken.begin() + first, taken.begin() + first + len, 1);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const FuzzyMatch& a, const FuzzyMatch& b) { return a.span.first < b.span.first; });
  return found;
}

// The window's pairs around position `at` against the dictionary string's (dict_ch at `at`).
bool FuzzyMatcher::rare_variant(std::span<const text::Token> window, size_t at,
                                char32_t dict_ch) const {
  if (!bigrams_) return true;
  int64_t seen = 0, canonical = 0;
  const char32_t here = window[at].text[0];
  if (at > 0) {
    const char32_t left = window[at - 1].text[0];
    seen += bigrams_->count(left, here), canonical += bigrams_->count(left, dict_ch);
  }
  if (at + 1 < window.size()) {
    const char32_t right = window[at + 1].text[0];
    seen += bigrams_->count(here, right), canonical += bigrams_->count(dict_ch, right);
  }
  // No neighbour (a one-character window) or a name never seen in the texts: no evidence either
  // way, so no match.
  if (canonical == 0) return false;
  return static_cast<double>(seen) <= max_ratio_ * static_cast<double>(canonical);
}

}  // namespace kerec::extract
