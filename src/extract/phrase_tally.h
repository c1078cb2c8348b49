// Per-phrase tallies of phrase_rules.cpp and their binary wire format (internal).
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace kerec::extract::phrase_tally {

// Per phrase and candidate entity H.
struct Cell {
  int64_t votes = 0, direct = 0;  // voted items
  int64_t free_votes = 0;  // ... of them where the phrase is loose and no mention over it reads H
  int64_t covered = 0;     // voted items where a mention over the phrase reads H
  int64_t context = 0;     // items where a mention apart from the phrase reads H
};

// Per phrase and entity D the dictionary reads in its items: the baseline's share of the phrase.
struct Reader {
  int64_t voted = 0;                             // voted items containing the phrase read as D
  std::unordered_map<int32_t, int64_t> targets;  // ... of them whose vote generalises to H
};

struct Tally {
  int64_t items = 0, voted = 0;
  int64_t crossing = 0;  // items where a dictionary mention crosses the phrase's end (crosses() in
                         // phrase_rules.cpp)
  // Hash maps: a frequent phrase (a colour, a size) has hundreds of entities. Nothing depends on
  // their order (decide orders entities fully, expected sums readers sorted).
  std::unordered_map<int32_t, Cell> cells;      // by H
  std::unordered_map<int32_t, Reader> readers;  // by D
};

// Appends `phrase` and `t` to `out` (the alltoallv payload to the phrase's owner rank).
void encode(const std::u32string& phrase, const Tally& t, std::vector<char>& out);

// Adds every phrase tally in `bytes` (encode's output, concatenated) into `out`.
void decode_into(std::span<const char> bytes, std::map<std::u32string, Tally>& out);

}  // namespace kerec::extract::phrase_tally
