// Symmetric-delete lookups (fuzzy.h): a window of length M is looked up by its own key (a target
// of length M+1 with one character deleted: the text dropped one) and by its M deletion keys (a
// target of length M-1 as a whole: the text inserted one; or a target of length M with one
// deleted: a substitution or an adjacent swap). Keys are polynomial hashes of the code points, so
// a window's deletion keys come from its prefix hashes in O(1) each; a 2^20-bit filter answers
// most misses without touching the hash maps.
#include "kerec/extract/fuzzy.h"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <string>

#include "kerec/dist/collectives.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

constexpr uint64_t kBase = 0x100000001b3ULL;

uint64_t unit(char32_t c) { return mix64(c) | 1; }

uint64_t key_of(uint64_t hash, size_t length) {
  return mix64(hash ^ (static_cast<uint64_t>(length) * 0x9E3779B97F4A7C15ULL));
}

bool all_cjk(std::span<const text::Token> tokens) {
  return std::all_of(tokens.begin(), tokens.end(), [](const text::Token& t) { return t.cjk; });
}

std::u32string chars_of(std::span<const text::Token> tokens) {
  std::u32string out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out += t.text[0];
  return out;
}

size_t common_prefix(std::u32string_view a, std::u32string_view b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

namespace {

// Polynomial hashes of every prefix of a code point sequence, for O(1) substring and
// substring-with-one-deletion hashes.
class PrefixHash {
 public:
  explicit PrefixHash(std::u32string_view s) : prefix_(s.size() + 1, 0), power_(s.size() + 1, 1) {
    for (size_t i = 0; i < s.size(); ++i) {
      prefix_[i + 1] = prefix_[i] * kBase + unit(s[i]);
      power_[i + 1] = power_[i] * kBase;
    }
  }
  uint64_t of(size_t first, size_t last) const {
    return prefix_[last] - prefix_[first] * power_[last - first];
  }
  // [first, last) without the code point at `gap`.
  uint64_t without(size_t first, size_t last, size_t gap) const {
    return of(first, gap) * power_[last - gap - 1] + of(gap + 1, last);
  }

 private:
  std::vector<uint64_t> prefix_, power_;
};

}  // namespace

std::optional<Edit> one_edit(std::u32string_view window, std::u32string_view dict) {
  const size_t i = common_prefix(window, dict);
  const auto at = static_cast<int32_t>(i);
  if (window.size() == dict.size()) {
    if (i == window.size()) return std::nullopt;  // equal
    if (window.substr(i + 1) == dict.substr(i + 1)) return Edit{EditKind::kSubstitute, at, at + 1};
    const bool swap = i + 1 < window.size() && window[i] == dict[i + 1] &&
                      window[i + 1] == dict[i] && window.substr(i + 2) == dict.substr(i + 2);
    if (swap) return Edit{EditKind::kSwap, at, at + 2};
    return std::nullopt;
  }
  if (window.size() + 1 == dict.size() && window.substr(i) == dict.substr(i + 1))
    return Edit{EditKind::kDrop, at, at};
  if (window.size() == dict.size() + 1 && window.substr(i + 1) == dict.substr(i))
    return Edit{EditKind::kInsert, at, at + 1};
  return std::nullopt;
}

void CorpusCounts::add_text(std::span<const text::Token> tokens) {
  for (const auto& t : tokens)
    if (!t.cjk) ++counts_[word_bucket(t.text)];
  for (size_t k = 1; k < tokens.size(); ++k) {
    if (!tokens[k - 1].cjk || !tokens[k].cjk) continue;
    const char32_t a = tokens[k - 1].text[0], b = tokens[k].text[0];
    ++counts_[bucket(a, b)];
    ++counts_[bucket(a, kAny)];
    ++counts_[bucket(kAny, b)];
  }
}

CorpusCounts::CorpusCounts(std::vector<int64_t> counts) : counts_(std::move(counts)) {
  if (counts_.empty() || (counts_.size() & (counts_.size() - 1)) != 0)
    throw std::invalid_argument("bigram counts: " + std::to_string(counts_.size()) +
                                " buckets, not a power of two");
}

void CorpusCounts::merge(dist::Comm& comm) {
  dist::allreduce(comm, std::span<int64_t>(counts_), dist::ReduceOp::kSum);
}

size_t CorpusCounts::word_bucket(std::u32string_view word) const {
  uint64_t h = 0x9d39247e33776d41ULL;
  for (char32_t c : word) h = (h ^ c) * kBase;
  return mix64(h) & (counts_.size() - 1);
}

size_t CorpusCounts::bucket(char32_t a, char32_t b) const {
  return mix64((uint64_t{a} << 32) | b) & (counts_.size() - 1);
}

FuzzyMatcher::FuzzyMatcher(const DictMatcher& dict, int min_length, double max_ratio)
    : max_ratio_(max_ratio), filter_(kFilterWords, 0), dict_(&dict) {
  std::set<int32_t, std::greater<>> lengths;
  for (const auto& [s, entity] : dict.strings()) {
    const auto tokens = text::tokenize(s);
    for (const auto& t : tokens)
      if (!t.cjk && t.text.size() >= kMinLetters && min_length > 0) index_word(t.text);
    if (tokens.empty() || !all_cjk(tokens)) continue;
    const auto index = static_cast<int32_t>(strings_.size());
    strings_.push_back(chars_of(tokens));
    entity_.push_back(entity);
    const std::u32string& chars = strings_.back();
    const size_t n = chars.size();
    const PrefixHash h(chars);
    add_key(full_, key_of(h.of(0, n), n), index);
    target_.push_back(static_cast<int>(n) >= min_length);
    for (size_t k = 2; k < n; ++k) {  // proper prefixes and suffixes of two or more
      ++edges_[key_of(h.of(0, k), k) ^ kPrefixSalt];
      ++edges_[key_of(h.of(n - k, n), k) ^ kSuffixSalt];
    }
    if (!target_.back()) continue;
    for (size_t gap = 0; gap < n; ++gap)
      add_key(deletes_, key_of(h.without(0, n, gap), n - 1), index);
    for (int32_t length :
         {static_cast<int32_t>(n) + 1, static_cast<int32_t>(n), static_cast<int32_t>(n) - 1})
      if (length >= 2) lengths.insert(length);
  }
  const bool two_char_names = std::any_of(strings_.begin(), strings_.end(),
                                          [](const std::u32string& s) { return s.size() == 2; });
  if (!lengths.empty() && two_char_names) lengths.insert(2);  // their swaps (candidates())
  window_lengths_.assign(lengths.begin(), lengths.end());
}

void FuzzyMatcher::index_word(const std::u32string& word) {
  const auto index = static_cast<int32_t>(words_.size());
  if (!word_index_.emplace(word, index).second) return;
  words_.push_back(word);
  const size_t n = word.size();
  const PrefixHash h(word);
  add_key(word_keys_, key_of(h.of(0, n), n), index);
  for (size_t gap = 0; gap < n; ++gap)
    add_key(word_keys_, key_of(h.without(0, n, gap), n - 1), index);
}

void FuzzyMatcher::add_key(std::unordered_multimap<uint64_t, int32_t>& map, uint64_t key,
                           int32_t string) {
  for (auto [it, end] = map.equal_range(key); it != end; ++it)
    if (it->second == string) return;  // a deletion of a doubled character, already stored
  map.emplace(key, string);
  filter_[(key >> 6) & kFilterMask] |= uint64_t{1} << (key & 63);
}

bool FuzzyMatcher::exact(std::u32string_view window, uint64_t key) const {
  for (auto [it, end] = full_.equal_range(key); it != end; ++it)
    if (strings_[it->second] == window) return true;
  return false;
}

// keys[0]: the window's key; keys[1 + g]: its key without the character at g.
void FuzzyMatcher::candidates(std::u32string_view window, std::span<const uint64_t> keys,
                              std::vector<Candidate>& out) const {
  auto check = [&](const std::unordered_multimap<uint64_t, int32_t>& map, uint64_t key) {
    if (!may_hold(key)) return;
    for (auto [it, end] = map.equal_range(key); it != end; ++it) {
      if (!target_[it->second]) continue;
      const auto e = one_edit(window, strings_[it->second]);
      // A character added before or after a name leaves the name itself in the text: that is
      // the dictionary's match, not a misspelling (防耳机架 is 防水耳机架 less 水, not 耳机架).
      const bool at_edge = e && e->kind == EditKind::kInsert &&
                           (e->first == 0 || e->last == static_cast<int32_t>(window.size()));
      if (e && !at_edge) out.push_back({it->second, *e});
    }
  };
  check(deletes_, keys[0]);
  for (size_t g = 1; g < keys.size(); ++g) {
    check(full_, keys[g]);
    check(deletes_, keys[g]);
  }
  if (window.size() != 2) return;
  // A swap keeps every character, so two-character names take part in swaps (盘键 for 键盘)
  // whatever min_length says.
  const std::u32string swapped{window[1], window[0]};
  // PrefixHash(swapped).of(0, 2), without its buffers: this runs for every two-character window.
  const uint64_t key = key_of(unit(swapped[0]) * kBase + unit(swapped[1]), 2);
  if (!may_hold(key)) return;
  for (auto [it, end] = full_.equal_range(key); it != end; ++it)
    if (strings_[it->second] == swapped) out.push_back({it->second, {EditKind::kSwap, 0, 2}});
}

// The dictionary word one edit from `token`, if exactly one is, and the token is rare next to it.
int32_t FuzzyMatcher::correction(const std::u32string& token) const {
  const size_t n = token.size();
  if (n < kMinLetters || n >= kMaxLetters || dict_->known_token(token)) return -1;
  // The token's key and its deletion keys, from prefix hashes on the stack (most tokens miss the
  // filter on every key, so this is the whole cost of a correct word).
  std::array<uint64_t, kMaxLetters + 1> prefix{}, power{};
  power[0] = 1;
  for (size_t i = 0; i < n; ++i) {
    prefix[i + 1] = prefix[i] * kBase + unit(token[i]);
    power[i + 1] = power[i] * kBase;
  }
  auto of = [&](size_t a, size_t b) { return prefix[b] - prefix[a] * power[b - a]; };
  int32_t found = -1;
  bool ambiguous = false;
  auto consider = [&](uint64_t key) {
    if (!may_hold(key)) return;
    for (auto [it, end] = word_keys_.equal_range(key); it != end; ++it) {
      if (it->second == found || !one_edit(token, words_[it->second])) continue;
      ambiguous |= found >= 0;
      found = it->second;
    }
  };
  consider(key_of(of(0, n), n));
  for (size_t gap = 0; gap < n; ++gap)
    consider(key_of(of(0, gap) * power[n - gap - 1] + of(gap + 1, n), n - 1));
  if (found < 0 || ambiguous) return -1;
  if (!bigrams_) return found;
  const int64_t seen = bigrams_->word(token), canonical = bigrams_->word(words_[found]);
  const bool rare =
      canonical > 0 && static_cast<double>(seen) <= max_ratio_ * static_cast<double>(canonical);
  return rare ? found : -1;
}

// The dictionary's matches over the text with its misspelt words corrected, those that cover a
// corrected word and no taken token.
void FuzzyMatcher::match_words(std::span<const text::Token> tokens, std::vector<char>& taken,
                               std::vector<FuzzyMatch>& found) const {
  if (words_.empty()) return;
  std::vector<text::Token> fixed;
  std::vector<int32_t> corrected;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].cjk || taken[i]) continue;
    const int32_t w = correction(tokens[i].text);
    if (w < 0) continue;
    if (fixed.empty()) fixed.assign(tokens.begin(), tokens.end());
    fixed[i].text = words_[w];
    corrected.push_back(static_cast<int32_t>(i));
  }
  if (corrected.empty()) return;
  for (const TokenSpan& m : dict_->match(fixed)) {
    const auto at = std::find_if(corrected.begin(), corrected.end(),
                                 [&](int32_t i) { return m.first <= i && i < m.last; });
    const bool free =
        std::find(taken.begin() + m.first, taken.begin() + m.last, 1) == taken.begin() + m.last;
    if (at == corrected.end() || !free) continue;
    const auto e = one_edit(tokens[*at].text, words_[word_index_.at(fixed[*at].text)]);
    found.push_back({{m.first, m.last, m.entity}, {e->kind, *at, *at}});
    std::fill(taken.begin() + m.first, taken.begin() + m.last, 1);
  }
}

std::vector<FuzzyMatch> FuzzyMatcher::match(std::span<const text::Token> tokens) const {
  std::vector<FuzzyMatch> found;
  if (!active()) return found;
  std::vector<char> taken(tokens.size(), 0);  // inside a match
  const bool any_cjk =
      std::any_of(tokens.begin(), tokens.end(), [](const text::Token& t) { return t.cjk; });
  if (any_cjk && !window_lengths_.empty()) match_windows(tokens, taken, found);
  match_words(tokens, taken, found);
  std::sort(found.begin(), found.end(),
            [](const FuzzyMatch& a, const FuzzyMatch& b) { return a.span.first < b.span.first; });
  return found;
}

// The CJK windows of match(), longest first, then leftmost.
void FuzzyMatcher::match_windows(std::span<const text::Token> tokens, std::vector<char>& taken,
                                 std::vector<FuzzyMatch>& found) const {
  // cjk_run[i]: CJK tokens from i on (windows must lie inside a run).
  std::vector<int32_t> cjk_run(tokens.size() + 1, 0);
  std::u32string chars(tokens.size(), U' ');
  for (size_t i = tokens.size(); i-- > 0;) {
    cjk_run[i] = tokens[i].cjk ? cjk_run[i + 1] + 1 : 0;
    if (tokens[i].cjk) chars[i] = tokens[i].text[0];
  }
  const PrefixHash h(chars);
  std::vector<uint64_t> keys;
  std::vector<Candidate> hits;
  for (int32_t length : window_lengths_) {
    const auto len = static_cast<size_t>(length);
    for (size_t first = 0; first + len <= tokens.size(); ++first) {
      if (cjk_run[first] < length || std::find(taken.begin() + first, taken.begin() + first + len,
                                               1) != taken.begin() + first + len)
        continue;
      const std::u32string_view window = std::u32string_view(chars).substr(first, len);
      keys.assign(1, key_of(h.of(first, first + len), len));
      if (may_hold(keys[0]) && exact(window, keys[0])) {  // the dictionary's own
        std::fill(taken.begin() + first, taken.begin() + first + len, 1);
        continue;
      }
      for (size_t g = first; g < first + len; ++g)
        keys.push_back(key_of(h.without(first, first + len, g), len - 1));
      hits.clear();
      candidates(window, keys, hits);
      if (hits.empty()) continue;
      const bool one_entity = std::all_of(hits.begin(), hits.end(), [&](const Candidate& c) {
        return entity_[c.string] == entity_[hits[0].string];
      });
      if (!one_entity || !rare_variant(tokens, first, len, strings_[hits[0].string], hits[0].edit))
        continue;
      const auto at = static_cast<int32_t>(first);
      found.push_back({{at, at + length, entity_[hits[0].string]},
                       {hits[0].edit.kind, at + hits[0].edit.first, at + hits[0].edit.last}});
      std::fill(taken.begin() + first, taken.begin() + first + len, 1);
    }
  }
}

namespace {

// Adjacent pairs of `s`, sorted (a multiset).
std::vector<std::pair<char32_t, char32_t>> pairs_of(std::u32string_view s) {
  std::vector<std::pair<char32_t, char32_t>> out;
  for (size_t i = 1; i < s.size(); ++i) out.emplace_back(s[i - 1], s[i]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// The window's character pairs that the dictionary string lacks against the dictionary string's
// pairs that the window lacks, both with the text's neighbouring CJK character on either side (so
// an edit at the window's edge is judged by the pair it makes with the text). When the edit
// removes no pair (a doubled character), the reference is the string's rarest pair.
bool FuzzyMatcher::rare_variant(std::span<const text::Token> tokens, size_t first, size_t length,
                                const std::u32string& dict, const Edit& edit) const {
  if (!bigrams_) return true;
  const bool edge_drop = edit.kind == EditKind::kDrop &&
                         (edit.first == 0 || edit.first == static_cast<int32_t>(length));
  if (edge_drop && rare_edge_drop(dict, edit)) return true;
  // Otherwise an edge drop needs a window of 3+ characters that only one dictionary string starts
  // (or ends) with, and the pair test below: 儿童运动 is only 儿童运动鞋 less 鞋, unless the text
  // goes on with a character the name's does not (儿童运动服).
  if (edge_drop &&
      (length < 3 || !unique_edge(chars_of(tokens.subspan(first, length)), edit.first == 0)))
    return false;
  const std::u32string left = first > 0 && tokens[first - 1].cjk
                                  ? std::u32string(1, tokens[first - 1].text[0])
                                  : std::u32string();
  const std::u32string right = first + length < tokens.size() && tokens[first + length].cjk
                                   ? std::u32string(1, tokens[first + length].text[0])
                                   : std::u32string();
  const auto made = pairs_of(left + chars_of(tokens.subspan(first, length)) + right);
  const auto had = pairs_of(left + dict + right);
  std::vector<std::pair<char32_t, char32_t>> novel, lost;
  std::set_difference(made.begin(), made.end(), had.begin(), had.end(), std::back_inserter(novel));
  std::set_difference(had.begin(), had.end(), made.begin(), made.end(), std::back_inserter(lost));
  auto count = [&](const std::pair<char32_t, char32_t>& p) {
    return bigrams_->count(p.first, p.second);
  };
  int64_t seen = 0, canonical = 0;
  for (const auto& p : novel) seen += count(p);
  for (const auto& p : lost) canonical += count(p);
  if (lost.empty()) {  // a doubled character: against the name's own rarest pair
    const auto own = pairs_of(dict);
    canonical = own.empty() ? 0 : count(own[0]);
    for (const auto& p : own) canonical = std::min(canonical, count(p));
  }
  // A name never seen in the texts (or a one-character window without context): no evidence
  // either way, so no match.
  if (canonical == 0) return false;
  return static_cast<double>(seen) <= max_ratio_ * static_cast<double>(canonical);
}

// True when `part` begins (`suffix`: ends) exactly one CJK dictionary string other than itself.
bool FuzzyMatcher::unique_edge(std::u32string_view part, bool suffix) const {
  const PrefixHash h(part);
  const auto it =
      edges_.find(key_of(h.of(0, part.size()), part.size()) ^ (suffix ? kSuffixSalt : kPrefixSalt));
  return it != edges_.end() && it->second == 1;
}

// The dictionary string less its first or last character (edit in window positions): how often
// the character next to the gap meets another character there, against how often the dropped one.
bool FuzzyMatcher::rare_edge_drop(std::u32string_view dict, const Edit& edit) const {
  int64_t canonical = 0, other = 0;
  if (edit.first == 0) {
    canonical = bigrams_->count(dict[0], dict[1]);
    other = bigrams_->preceded(dict[1]) - canonical;
  } else {
    const size_t n = dict.size();
    canonical = bigrams_->count(dict[n - 2], dict[n - 1]);
    other = bigrams_->followed(dict[n - 2]) - canonical;
  }
  if (canonical == 0) return false;
  return static_cast<double>(std::max<int64_t>(other, 0)) <=
         max_ratio_ * static_cast<double>(canonical);
}

}  // namespace kerec::extract
