#include "extract_mining.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <sstream>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/tsv.h"
#include "kerec/util/utf8.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;

struct ItemLayers {
  std::vector<std::vector<int32_t>> readable;  // distinct dictionary entities per row
  std::vector<uint8_t> unread;                 // 1: no dictionary mention
  std::vector<uint8_t> asks;                   // 1: its session vote is wanted
};

ItemLayers layers_of(const extract::TextRows& items, bool all_ask) {
  ItemLayers out;
  for (size_t r = 0; r < items.size(); ++r) {
    std::vector<int32_t> entities;
    for (int64_t m = items.mention_offsets[r]; m < items.mention_offsets[r + 1]; ++m) {
      const auto& mention = items.mentions[static_cast<size_t>(m)];
      if (mention.source == extract::kDict &&
          std::find(entities.begin(), entities.end(), mention.entity) == entities.end())
        entities.push_back(mention.entity);
    }
    out.unread.push_back(entities.empty());
    out.asks.push_back(all_ask || entities.empty());
    out.readable.push_back(std::move(entities));
  }
  return out;
}

// Local: the observations of this rank's voted items, serialised "from\tto\n" (UTF-8).
std::string observe(const extract::TextRows& items, const ItemLayers& layers,
                    const std::vector<int32_t>& voted, const extract::Extractor& extractor,
                    const extract::DictMatcher& matcher, int64_t (&aligned)[2]) {
  const auto dictionary = extract::dictionary_strings(matcher);
  auto strings_of = extract::strings_by_entity(matcher);
  std::string out;
  for (size_t r = 0; r < items.size(); ++r) {
    if (voted[r] < 0 || !layers.unread[r]) continue;
    const auto tokens = text::tokenize_utf8(items.texts[r]);
    std::optional<extract::RuleObservation> obs;
    for (const auto& span : extractor.tagger_spans(tokens))
      if ((obs = extract::align_mention(tokens, span, strings_of[voted[r]], dictionary))) break;
    ++aligned[obs ? 0 : 1];
    if (obs) out += utf8::encode(obs->from) + '\t' + utf8::encode(obs->to) + '\n';
  }
  return out;
}

std::vector<extract::RuleObservation> parse_observations(const std::vector<std::string>& parts) {
  std::vector<extract::RuleObservation> out;
  for (const auto& part : parts) {
    std::istringstream in(part);
    std::string from, to;
    while (std::getline(in, from, '\t') && std::getline(in, to))
      out.push_back({utf8::decode(from), utf8::decode(to)});
  }
  return out;
}

// Collective: unread items, and those of them and of the readable ones with a vote, on all ranks.
std::array<int64_t, 3> vote_counts(dist::Comm& comm, const ItemLayers& layers,
                                   const std::vector<int32_t>& voted) {
  std::array<int64_t, 3> n{};
  for (size_t r = 0; r < voted.size(); ++r) {
    n[0] += layers.unread[r];
    if (voted[r] >= 0) ++n[layers.unread[r] ? 1 : 2];
  }
  dist::allreduce(comm, std::span<int64_t>(n), dist::ReduceOp::kSum);
  return n;
}

}  // namespace

MiningResult mine_aliases(dist::Comm& comm, const extract::TextRows& items,
                          const extract::Extractor& extractor, const extract::DictMatcher& matcher,
                          size_t entities, const extract::ExtractConfig& config,
                          const std::string& exposures_tsv, const io::BadRowPolicy& policy) {
  const auto start = std::chrono::steady_clock::now();
  const ItemLayers layers = layers_of(items, config.phrase_rules);
  extract::SessionVoteStats vs;
  const auto voted =
      extract::vote_item_entities(comm, {&items.keys, &layers.readable, &layers.asks},
                                  exposures_tsv, policy, config.vote_options(), vs);
  const auto counts = vote_counts(comm, layers, voted);
  int64_t aligned[2] = {0, 0};  // voted unread items whose tagger mention aligned, did not
  std::string local;
  dist::run_agreed(comm,
                   [&] { local = observe(items, layers, voted, extractor, matcher, aligned); });
  dist::allreduce(comm, std::span<int64_t>(aligned), dist::ReduceOp::kSum);
  MiningResult result;
  extract::MiningStats ms;
  result.rules = extract::accept_rules(parse_observations(dist::allgather_strings(comm, local)),
                                       config.rule_min_support, config.rule_min_share, ms);
  result.tagger_rules = result.rules.size();
  extract::PhraseRuleStats ps;
  if (config.phrase_rules) {
    const auto phrase = extract::mine_phrase_rules(comm, {&items, &voted}, matcher, entities,
                                                   config.phrase_options(), ps);
    result.rules.insert(result.rules.end(), phrase.begin(), phrase.end());
  }
  result.mined = extract::expand_rules(matcher, result.rules, ms);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.report = {{"exposure_rows", vs.exposure_rows},
                   {"exposures_used", vs.exposures_used},
                   {"exposure_rows_skipped", vs.skipped_rows},
                   {"sessions_voting", vs.sessions},
                   {"items_asked", counts[0]},
                   {"items_voted", counts[1]},
                   {"readable_items_voted", counts[2]},
                   {"items_aligned", aligned[0]},
                   {"items_not_aligned", aligned[1]},
                   {"observations", ms.observations},
                   {"distinct_mentions", ms.distinct_from},
                   {"rules", ms.rules},
                   {"rules_rejected", ms.rules_rejected},
                   {"phrase_rules", dist::counters_json(ps)},
                   {"aliases", ms.aliases},
                   {"aliases_already_in_dictionary", ms.aliases_in_dictionary},
                   {"aliases_conflicting_dropped", ms.aliases_conflicting},
                   {"seconds", dist::allreduce_value(comm, seconds, dist::ReduceOp::kMax)}};
  return result;
}

void drop_bill_context(dist::Comm& comm, const extract::TextRows& bills,
                       const extract::EntityDict& dict, const extract::ExtractConfig& config,
                       MiningResult& result) {
  extract::MinedAliases& mined = result.mined;
  extract::AliasUse use;
  dist::run_agreed(comm, [&] {
    const extract::DictMatcher with_mined(dict, mined.aliases);
    extract::count_alias_use(bills.texts, with_mined, mined, use);
  });
  use.matches.resize(mined.aliases.size(), 0), use.beside_other.resize(mined.aliases.size(), 0);
  dist::allreduce(comm, std::span<int64_t>(use.matches), dist::ReduceOp::kSum);
  dist::allreduce(comm, std::span<int64_t>(use.beside_other), dist::ReduceOp::kSum);
  const int64_t dropped = extract::drop_context_aliases(mined, use, config.rule_min_support,
                                                        config.alias_max_bill_context_share);
  result.report["aliases"] = result.report["aliases"].get<int64_t>() - dropped;
  result.report["aliases_bill_context_dropped"] = dropped;
}

void write_mined_aliases(dist::Comm& comm, const MiningResult& result,
                         const std::vector<LlmAlias>& llm, const extract::EntityDict& dict,
                         const std::filesystem::path& path) {
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    io::TsvWriter w(path.string(), {"alias", "entity_id", "name", "rule_kind", "rule_from",
                                    "rule_to", "support", "observations"});
    for (size_t i = 0; i < result.mined.aliases.size(); ++i) {
      const auto& a = result.mined.aliases[i];
      const auto& rule = result.rules[result.mined.rule[i]];
      const auto& e = dict.entities()[static_cast<size_t>(a.entity)];
      // expand_rules credits an alias that several rules make to the first in dictionary-string
      // order, so its kind is that rule's, not a preference.
      const char* kind = result.mined.rule[i] < result.tagger_rules ? "tagger" : "phrase";
      w.field(utf8::encode(a.text))
          .field(e.entity_id)
          .field(e.name)
          .field(kind)
          .field(utf8::encode(rule.from))
          .field(utf8::encode(rule.to))
          .field(rule.support)
          .field(rule.observations)
          .end_row();
    }
    for (const auto& a : llm) {
      const auto& e = dict.entities()[static_cast<size_t>(a.alias.entity)];
      w.field(utf8::encode(a.alias.text))
          .field(e.entity_id)
          .field(e.name)
          .field("llm")
          .field(a.mention)
          .field(e.name)
          .field(a.occurrences)
          .field(a.questions)
          .end_row();
    }
    w.close();
  });
}

}  // namespace kerec::pipeline
