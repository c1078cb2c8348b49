// The extract stage's alias mining (extract/alias_mining.h): session votes for the items the
// dictionary cannot read, rules from their tagger mentions and from title phrases (phrase_rules.h),
// and the mined aliases.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extract_link.h"
#include "kerec/dist/comm.h"
#include "kerec/extract/alias_mining.h"
#include "kerec/extract/config.h"
#include "kerec/extract/extractor.h"
#include "kerec/extract/tables.h"

namespace kerec::pipeline {

struct MiningResult {
  std::vector<extract::AliasRule> rules;  // tagger rules [0, tagger_rules), then phrase rules
  size_t tagger_rules = 0;
  extract::MinedAliases mined;
  nlohmann::json report;
};

// Collective. `items` carry the mentions `extractor` (dictionary and tagger, no mined aliases) gave
// this rank's rows; `entities` is the dictionary's size.
MiningResult mine_aliases(dist::Comm& comm, const extract::TextRows& items,
                          const extract::Extractor& extractor, const extract::DictMatcher& matcher,
                          size_t entities, const extract::ExtractConfig& config,
                          const std::string& exposures_tsv, const io::BadRowPolicy& policy);

// Collective: drops the mined aliases that this rank's `bills` (and the other ranks') show as
// context (alias_mining.h drop_context_aliases); the report's `aliases` counts those kept and
// `aliases_bill_context_dropped` the others.
void drop_bill_context(dist::Comm& comm, const extract::TextRows& bills,
                       const extract::EntityDict& dict, const extract::ExtractConfig& config,
                       MiningResult& result);

// Collective: rank 0 writes mined_aliases.tsv (alias, entity_id, name, rule_kind, rule_from,
// rule_to, support, observations): the mined aliases sorted by alias, then the LLM's (rule_kind
// "llm", rule_from the question's mention, rule_to the entity's name, support the mention's
// occurrences, observations the questions that gave it).
void write_mined_aliases(dist::Comm& comm, const MiningResult& result,
                         const std::vector<LlmAlias>& llm, const extract::EntityDict& dict,
                         const std::filesystem::path& path);

}  // namespace kerec::pipeline
