// The dictionary layer: every normalised name and alias of the Entity Dict in a trie over tokens
// (text/normalize.h), matched longest first. Because tokens are whole Latin words or single CJK
// code points, Latin strings match only on word boundaries ("phone" does not match inside
// "smartphone") and CJK strings match anywhere (手机壳 inside 防摔手机壳套装).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/extract/entity_dict.h"
#include "kerec/text/normalize.h"

namespace kerec::extract {

// A mention over tokens: tokens [first, last) of a text, linked to `entity` (-1: not linked).
struct TokenSpan {
  int32_t first = 0;
  int32_t last = 0;
  int32_t entity = -1;
  bool mined = false;  // matched a mined alias (alias_mining.h), not a dictionary string
};

// An alias the corpus taught (alias_mining.h): a normalised string and its entity.
struct MinedAlias {
  std::u32string text;
  int32_t entity = -1;
};

class DictMatcher {
 public:
  explicit DictMatcher(const EntityDict& dict);
  // The dictionary plus mined aliases; a mined alias equal to a dictionary string is ignored.
  DictMatcher(const EntityDict& dict, std::span<const MinedAlias> mined);

  // Scanning left to right, at each token the longest dictionary string that starts there is taken
  // and the scan continues after it; where none starts, the scan moves one token on. The result is
  // sorted and non-overlapping.
  std::vector<TokenSpan> match(std::span<const text::Token> tokens) const;

  // Every normalised dictionary string (names and aliases) with its entity, in dictionary order
  // (mined aliases are not among them).
  const std::vector<std::pair<std::u32string, int32_t>>& strings() const { return strings_; }

  // True when `token` occurs in some dictionary string.
  bool known_token(const std::u32string& token) const { return vocab_.count(token) != 0; }

 private:
  int32_t child(int32_t node, int32_t token) const;
  // Adds `tokens` for `entity` unless a string already ends at that node (the first one wins).
  void insert(std::span<const text::Token> tokens, int32_t entity, bool mined);
  std::unordered_map<std::u32string, int32_t> vocab_;  // token text -> token id
  std::unordered_map<uint64_t, int32_t> edges_;        // (node << 32 | token id) -> child node
  std::vector<int32_t> node_entity_;                   // entity ending at a node, or -1
  std::vector<uint8_t> node_mined_;                    // 1: the string ending there is mined
  std::vector<std::pair<std::u32string, int32_t>> strings_;
};

}  // namespace kerec::extract
