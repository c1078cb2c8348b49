// The extract stage's LLM linking (llm/link.h; docs/artifacts.md "LLM linking"): what the
// extraction could not link becomes questions, the LLM's answers become aliases of provenance
// "llm".
//
// Questions, by the normalised mention (merged over ranks, so they do not depend on the rank
// count):
//   unknown  a tagger span that linked to no entity (extractor.h);
//   doubtful a tagger span linked with a similarity below extract.link_ask_below, its entity
//            among the candidates;
//   gap      a mention of E with, at most link_gap_max_chars before it, the modifier P of an entity
//            named P + name(E): the words from P to the mention's end (蓝莓动物黄油: 蓝莓黄油 or
//            黄油?), with both entities among the candidates;
//   text     a whole text in which nothing was found (the answer names the words).
// The most frequent link_max_questions are asked, spread over the ranks; candidates are the
// CandidateIndex's top link_candidates.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kerec/extract/entity_dict.h"
#include "kerec/extract/extractor.h"
#include "kerec/extract/matcher.h"
#include "kerec/extract/tables.h"
#include "kerec/pipeline/stage.h"

namespace kerec::pipeline {

struct LlmAlias {
  extract::MinedAlias alias;
  std::string mention;      // the question's mention, as written
  int64_t occurrences = 0;  // of the questions' mentions that gave this alias
  int64_t questions = 0;
};

struct LinkResult {
  std::vector<LlmAlias> aliases;  // sorted by text
  nlohmann::json report;
};

// Collective. `rows` are this rank's items and bills with the mentions of `matcher` (the dictionary
// and the mined aliases `mined`); `unknown` this rank's unknown mentions, `doubtful` its doubtful
// tagger links.
LinkResult link_with_llm(StageContext& ctx, const extract::EntityDict& dict,
                         const extract::DictMatcher& matcher,
                         const std::vector<extract::MinedAlias>& mined,
                         const std::vector<const extract::TextRows*>& rows,
                         const extract::UnknownMentions& unknown,
                         const extract::UnknownMentions& doubtful);

}  // namespace kerec::pipeline
