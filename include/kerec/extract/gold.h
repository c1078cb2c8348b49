// Gold mention spans of the synthetic world (truth/mentions.tsv: source key start end entity_id
// kind), for evaluation only; the extraction itself never reads them.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "kerec/extract/entity_dict.h"
#include "kerec/extract/evaluate.h"

namespace kerec::extract {

struct GoldSpans {
  std::unordered_map<std::string, std::vector<GoldMention>> items;  // by item_id
  std::unordered_map<int64_t, std::vector<GoldMention>> bills;      // by line in bills.tsv
  int64_t unknown_entities =
      0;  // gold rows naming an entity_id the dictionary does not have (skipped)
};

// Reads the whole file. InputError naming the line for a malformed row or an unknown kind.
GoldSpans read_gold(const std::string& path, const EntityDict& dict);

}  // namespace kerec::extract
