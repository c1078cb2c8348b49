// Phrase rules: alias rules from title phrases and session votes, with no tagger span needed.
//
// One item's session vote is weak evidence, but every title that contains the phrase "phone
// cradle" votes, and together they say "phone holder" even where the dictionary reads "phone" in
// it. For every phrase u of the item titles (1 to `max_tokens` Latin tokens, or, once it holds a
// CJK code point, 2 to `max_cjk_chars` tokens) and every entity H, the collective counts, over the
// items containing u:
//   votes(u, H)    voted items whose entity generalises to H (see generalizations);
//   direct(u, H)   voted items whose entity is H;
//   free(u, H)     voted items generalising to H where u is loose (somewhere not inside a
//                  dictionary mention: inside one, the longer match wins and an alias changes
//                  nothing) and no mention over u reads an entity generalising to H ("pullover
//                  hoodie", 连帽衫 around 帽衫 are read already);
//   covered(u, H)  voted items where a mention over u reads an entity generalising to H;
//   context(u, H)  items where a mention apart from u reads such an entity;
//   crossing(u)    items where a mention starts inside u and ends after it ("yukily makeup" before
//                  "makeup remover": as an alias, u would start first and take the name's place);
//   expected(u, H) how many votes the items' readings explain: per entity D read in them (H not
//                  among D's generalisations), their number times the share of H among the votes
//                  of the items read as D that lack u, or of all items read as D when every one
//                  has u (t-shirt items mostly vote hoodie, since hoodie searches show t-shirts).
// u → H is a rule for the H with the most free votes (then votes, direct, the smaller index) when
//   u is no dictionary string, free ≥ min_support, free ≥ min_share · (voted − covered),
//   context and crossing ≤ max_context_share · items (u is context next to a name: a brand,
//   a size), and free ≥ min_lift · expected.
// A rule whose phrase lies inside a longer rule's phrase for the same H, with at least
// `dominance_share` of its free votes, is dropped ("egg" inside "makeup egg"). Each rule becomes
// AliasRules u → h for every dictionary string h of H, which expand_rules turns into aliases.
//
// Collective: every rank calls it with its own items, in the same order of calls. The baselines
// (voted items per reading D and target H) are allgathered; then every phrase key (a hash) is
// counted on its owner rank, which tells each rank which of its keys reach min_support voted items
// where the phrase is loose (most phrases, brand and colour combinations, do not); only those
// phrases' full tallies go to their owner rank (alltoallv), which decides; the accepted rules are
// allgathered. All counts are integers, so the rules do not depend on the rank count.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/dist/counters.h"
#include "kerec/extract/alias_mining.h"
#include "kerec/extract/matcher.h"
#include "kerec/extract/tables.h"

namespace kerec::extract {

struct PhraseRuleOptions {
  int32_t max_tokens = 3;     // longest Latin phrase, in tokens
  int32_t max_cjk_chars = 6;  // longest CJK phrase, in code points (shortest: 2)
  int64_t min_support = 3;
  double min_share = 0.6;
  double max_context_share = 0.1;
  double min_lift = 2.0;
  double dominance_share = 0.8;
};

struct PhraseItems {
  const TextRows* rows = nullptr;              // this rank's items with their dictionary mentions
  const std::vector<int32_t>* vote = nullptr;  // per item: the voted entity or -1
};

// Summed over ranks, except `dominated` and `rules`: those are decided after the candidates are
// gathered, the same on every rank.
struct PhraseRuleStats {
  int64_t phrases = 0;           // distinct phrases loose in a voted item (by key)
  int64_t rejected_support = 0;  // fewer free votes than min_support (most are pruned early)
  int64_t rejected_share = 0;
  int64_t rejected_dictionary = 0;  // a dictionary string
  int64_t rejected_context = 0;
  int64_t rejected_lift = 0;
  int64_t dominated = 0;
  int64_t rules = 0;  // phrase → entity rules kept

  static constexpr auto counters() {
    using C = dist::Counter<PhraseRuleStats>;
    return std::array{C{"phrases_voted", &PhraseRuleStats::phrases},
                      C{"rejected_support", &PhraseRuleStats::rejected_support},
                      C{"rejected_share", &PhraseRuleStats::rejected_share},
                      C{"rejected_dictionary", &PhraseRuleStats::rejected_dictionary},
                      C{"rejected_context", &PhraseRuleStats::rejected_context},
                      C{"rejected_lift", &PhraseRuleStats::rejected_lift},
                      C{"dominated", &PhraseRuleStats::dominated, dist::ReduceOp::kMax},
                      C{"rules", &PhraseRuleStats::rules, dist::ReduceOp::kMax}};
  }
};

// Per entity: the entities it generalises to, itself first, then those with a dictionary string
// that is a token suffix of one of its strings ("kids phone holder" → phone holder).
std::vector<std::vector<int32_t>> generalizations(const DictMatcher& matcher, size_t entities);

// Rules sorted by `from`, then `to`; equal on every rank.
std::vector<AliasRule> mine_phrase_rules(dist::Comm& comm, const PhraseItems& items,
                                         const DictMatcher& matcher, size_t entities,
                                         const PhraseRuleOptions& options, PhraseRuleStats& stats);

}  // namespace kerec::extract
