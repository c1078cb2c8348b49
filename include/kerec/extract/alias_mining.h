// Alias mining: the corpus teaches the dictionary aliases it lacks ("girdle" for belt, "rugged
// smartphone" for rugged phone), which no string similarity can link.
//
//   1. An item whose title has no dictionary mention gets an entity from its search sessions
//      (session_votes.h): the items shown with it for the same query mostly share its entity.
//      (Phrase rules, phrase_rules.h, learn rules u → h from all items' votes without a tagger
//      span; their rules go through step 4 like these.)
//   2. align_mention: a tagger span of such a title against the voted entity's names. The entity's
//      string is split as p ⊕ h, longest p first, where h is itself a dictionary string and the
//      modifiers p stand in the title at the start of the span or just before it; the span minus p
//      is u, and "u stands for h" is one observation ("rugged smartphone" against "rugged phone":
//      smartphone → phone).
//   3. accept_rules: u → h is a rule when at least `min_support` items observed it and it is at
//      least `min_share` of the observations of u.
//   4. expand_rules: for every dictionary string p ⊕ h and rule u → h, p ⊕ u becomes a mined alias
//      of the string's entity, unless it is a dictionary string already; a mined string two
//      entities would claim is dropped. The matcher then finds the new aliases like any other
//      (DictMatcher(dict, mined), mentions of source kMined).
//   5. count_alias_use, drop_context_aliases: an alias that, in the bills, mostly stands beside
//      another entity's name is context there (a shop's name), not a product, and is dropped.
// All strings are normalised (text::join of tokens). Everything here is local and deterministic:
// given the same observations in any order, every rank gets the same rules and aliases.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kerec/extract/matcher.h"

namespace kerec::extract {

// Every normalised dictionary string of `matcher` (names and aliases, not mined aliases).
std::unordered_set<std::u32string> dictionary_strings(const DictMatcher& matcher);

// Per entity, its normalised dictionary strings in matcher order (name first).
std::unordered_map<int32_t, std::vector<std::u32string>> strings_by_entity(
    const DictMatcher& matcher);

struct RuleObservation {
  std::u32string from;  // u: the mention without its modifiers
  std::u32string to;    // h: the dictionary string it stands for
};

// The observation of `span` (tokens [first, last) of `title`) against `entity_strings` (the voted
// entity's normalised names and aliases, name first), or none when no split aligns.
// `dictionary` holds every normalised dictionary string.
std::optional<RuleObservation> align_mention(std::span<const text::Token> title,
                                             const TokenSpan& span,
                                             std::span<const std::u32string> entity_strings,
                                             const std::unordered_set<std::u32string>& dictionary);

struct AliasRule {
  std::u32string from, to;
  int64_t support = 0;       // observations of from → to
  int64_t observations = 0;  // all observations of `from`
};

struct MiningStats {
  int64_t observations = 0;
  int64_t distinct_from = 0;          // distinct u observed
  int64_t rules = 0;                  // accepted
  int64_t rules_rejected = 0;         // u whose best target lacked support or share
  int64_t aliases = 0;                // mined aliases kept
  int64_t aliases_in_dictionary = 0;  // p ⊕ u that was a dictionary string already (not added)
  int64_t aliases_conflicting = 0;    // strings two entities would claim (dropped)
};

// Rules sorted by `from`; ties of support within one `from` go to the smaller `to`.
std::vector<AliasRule> accept_rules(std::vector<RuleObservation> observations, int64_t min_support,
                                    double min_share, MiningStats& stats);

struct MinedAliases {
  std::vector<MinedAlias> aliases;  // sorted by text
  std::vector<size_t> rule;         // per alias: the index in the rules that made it
};

MinedAliases expand_rules(const DictMatcher& matcher, std::span<const AliasRule> rules,
                          MiningStats& stats);

// How mined aliases are used in texts that did not teach them (bills): per alias of `mined`, the
// texts it matches in (`matches`) and those of them where a dictionary string names another
// entity elsewhere in the text (`beside_other`). An alias learnt from titles can be a word of its
// own in other texts: 便利, from misspelt 便利贴 titles, is in every bill from 天天便利, next to
// the product the bill names. `with_mined` is DictMatcher(dict, mined.aliases). Local; adds to
// `use`, whose vectors have one slot per alias.
struct AliasUse {
  std::vector<int64_t> matches, beside_other;
};
void count_alias_use(std::span<const std::string> texts, const DictMatcher& with_mined,
                     const MinedAliases& mined, AliasUse& use);

// Removes the aliases matched in at least `min_matches` texts, more than `max_share` of them
// beside another entity's name; returns how many.
int64_t drop_context_aliases(MinedAliases& mined, const AliasUse& use, int64_t min_matches,
                             double max_share);

}  // namespace kerec::extract
