#include "extract_link.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "judge_stage.h"
#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/alias_mining.h"
#include "kerec/extract/config.h"
#include "kerec/extract/link_candidates.h"
#include "kerec/llm/link.h"
#include "kerec/llm/sim_process.h"
#include "kerec/pipeline/link_batch.h"
#include "kerec/text/normalize.h"
#include "kerec/util/error.h"
#include "kerec/util/utf8.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

enum Kind : int { kUnknown = 0, kDoubtful = 1, kGap = 2, kText = 3, kKinds = 4 };
constexpr const char* kKindNames[kKinds] = {"unknown", "doubtful", "gap", "text"};

// One question before it is asked, merged over its occurrences on every rank.
struct Draft {
  int kind = kText;  // the first kind in Kind order that asked it
  int64_t count = 0;
  std::string mention;             // as written, in the smallest context
  std::set<std::string> contexts;  // the smallest texts it is in
  std::set<int32_t> must;          // entities that must be candidates
};
using Drafts = std::map<std::string, Draft>;  // by normalised mention

// Field separators of the gathered drafts and answers; texts never keep them.
constexpr char kField = '\x1f', kRecord = '\x1e', kList = '\x1d';

std::string clean(std::string s) {
  for (char& c : s)
    if (c == kField || c == kRecord || c == kList) c = ' ';
  return s;
}

void add_draft(Drafts& drafts, size_t max_contexts, int kind, const std::string& key, int64_t count,
               const std::string& mention, const std::string& context,
               std::initializer_list<int32_t> must = {}) {
  if (key.empty()) return;
  Draft& d = drafts[key];
  d.kind = d.count == 0 ? kind : std::min(d.kind, kind);
  if (d.count == 0 || (!d.contexts.empty() && context < *d.contexts.begin())) d.mention = mention;
  d.count += count;
  d.contexts.insert(context);
  while (d.contexts.size() > std::max<size_t>(1, max_contexts))
    d.contexts.erase(--d.contexts.end());
  d.must.insert(must.begin(), must.end());
}

std::string key_of(std::string_view text) { return utf8::encode(text::normalize(text)); }

// Entity E -> (P, E') for every entity E' named P + name(E), P not empty (normalised names).
using Extensions = std::unordered_map<int32_t, std::vector<std::pair<std::u32string, int32_t>>>;

Extensions extensions(const extract::EntityDict& dict) {
  std::unordered_map<std::u32string, int32_t> by_name;
  std::vector<std::u32string> names;
  for (const auto& e : dict.entities()) names.push_back(text::normalize(e.name));
  for (size_t e = 0; e < names.size(); ++e) by_name.emplace(names[e], static_cast<int32_t>(e));
  Extensions out;
  for (size_t e = 0; e < names.size(); ++e)
    for (size_t k = 1; k < names[e].size(); ++k) {
      auto it = by_name.find(names[e].substr(k));
      if (it != by_name.end()) out[it->second].emplace_back(names[e].substr(0, k), e);
    }
  return out;
}

// Gap questions of one row with mentions (see the header).
void gap_drafts(const std::string& text, std::span<const extract::Mention> mentions,
                const Extensions& ext, int64_t gap_max, size_t max_contexts, Drafts& out) {
  std::u32string cps, folded;  // decoded once, when a mention has extensions
  for (const auto& m : mentions) {
    auto it = ext.find(m.entity);
    if (it == ext.end()) continue;
    if (cps.empty()) {
      cps = utf8::decode(text);
      folded = cps;
      for (char32_t& c : folded) c = text::fold(c);
    }
    for (const auto& [prefix, longer] : it->second) {
      for (int64_t end = m.begin - 1; end >= std::max<int64_t>(0, m.begin - gap_max); --end) {
        const int64_t begin = end - static_cast<int64_t>(prefix.size());
        if (begin < 0 || folded.compare(static_cast<size_t>(begin), prefix.size(), prefix) != 0)
          continue;
        const bool covered = std::any_of(mentions.begin(), mentions.end(), [&](const auto& o) {
          return &o != &m && o.begin < m.begin && o.end > begin;
        });
        if (covered) break;
        const std::string mention = utf8::encode(
            std::u32string_view(cps).substr(static_cast<size_t>(begin), m.end - begin));
        add_draft(out, max_contexts, kGap, key_of(mention), 1, mention, text, {longer, m.entity});
        break;
      }
    }
  }
}

// Local: this rank's questions.
Drafts local_drafts(const extract::ExtractConfig& cfg, const extract::EntityDict& dict,
                    const std::vector<const extract::TextRows*>& rows,
                    const extract::UnknownMentions& unknown,
                    const extract::UnknownMentions& doubtful) {
  Drafts drafts;
  const auto max_contexts = static_cast<size_t>(cfg.link_examples);
  for (const auto& [key, u] : unknown)
    add_draft(drafts, max_contexts, kUnknown, key, u.count, u.example, u.context);
  for (const auto& [key, u] : doubtful)
    add_draft(drafts, max_contexts, kDoubtful, key, u.count, u.example, u.context, {u.best_entity});
  const Extensions ext = cfg.link_gap_max_chars > 0 ? extensions(dict) : Extensions{};
  for (const auto* table : rows)
    for (size_t r = 0; r < table->size(); ++r) {
      const auto* m = table->mentions.data();
      const std::span<const extract::Mention> mine(m + table->mention_offsets[r],
                                                   m + table->mention_offsets[r + 1]);
      const std::string& text = table->texts[r];
      if (mine.empty() && cfg.link_texts)
        add_draft(drafts, max_contexts, kText, key_of(text), 1, text, text);
      else if (!mine.empty() && !ext.empty())
        gap_drafts(text, mine, ext, cfg.link_gap_max_chars, max_contexts, drafts);
    }
  return drafts;
}

std::string serialize(const Drafts& drafts) {
  std::string out;
  for (const auto& [key, d] : drafts) {
    out += clean(key) + kField + std::to_string(d.kind) + kField + std::to_string(d.count) +
           kField + clean(d.mention) + kField;
    for (const auto& c : d.contexts) out += clean(c) + kList;
    out += kField;
    for (int32_t e : d.must) out += std::to_string(e) + ',';
    out += kRecord;
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1)
    out.push_back(s.substr(start, at - start));
  if (start < s.size()) out.push_back(s.substr(start));
  return out;
}

// Collective: every rank's drafts, merged (the same on every rank).
Drafts merge_drafts(dist::Comm& comm, const Drafts& local, size_t max_contexts) {
  Drafts all;
  for (const auto& part : dist::allgather_strings(comm, serialize(local)))
    for (const auto& record : split(part, kRecord)) {
      const auto f = split(record, kField);
      if (f.size() < 4) continue;
      const auto contexts = f.size() > 4 ? split(f[4], kList) : std::vector<std::string>{};
      for (size_t c = 0; c < std::max<size_t>(1, contexts.size()); ++c)
        add_draft(all, max_contexts, std::stoi(f[1]), f[0], c == 0 ? std::stoll(f[2]) : 0, f[3],
                  contexts.empty() ? f[3] : contexts[c]);
      if (f.size() > 5)
        for (const auto& e : split(f[5], ',')) all[f[0]].must.insert(std::stoi(e));
    }
  return all;
}

struct Selected {
  std::vector<const std::pair<const std::string, Draft>*> asked;  // most frequent first
  int64_t by_kind[kKinds] = {};
  int64_t not_asked = 0;
};

Selected select_questions(const Drafts& drafts, int64_t max_questions) {
  Selected s;
  for (const auto& entry : drafts) {
    ++s.by_kind[entry.second.kind];
    s.asked.push_back(&entry);
  }
  std::stable_sort(s.asked.begin(), s.asked.end(),
                   [](const auto* a, const auto* b) { return a->second.count > b->second.count; });
  if (static_cast<int64_t>(s.asked.size()) > max_questions) {
    s.not_asked = static_cast<int64_t>(s.asked.size()) - max_questions;
    s.asked.resize(static_cast<size_t>(max_questions));
  }
  return s;
}

// Local: the questions this rank asks (index i % ranks == rank), with their candidates.
std::vector<llm::LinkQuestion> my_questions(const Selected& s, const extract::EntityDict& dict,
                                            const extract::ExtractConfig& cfg, int rank, int ranks,
                                            std::vector<size_t>& index) {
  const extract::CandidateIndex candidates(dict);
  const auto n = static_cast<size_t>(cfg.link_candidates);
  std::vector<llm::LinkQuestion> out;
  for (size_t i = static_cast<size_t>(rank); i < s.asked.size(); i += static_cast<size_t>(ranks)) {
    const auto& [key, d] = *s.asked[i];
    llm::LinkQuestion q{{}, d.mention, {}, {d.must.begin(), d.must.end()}};
    for (int32_t e : candidates.top(d.mention, n + q.candidates.size()))
      if (q.candidates.size() < std::max(n, d.must.size()) &&
          std::find(q.candidates.begin(), q.candidates.end(), e) == q.candidates.end())
        q.candidates.push_back(e);
    for (const auto& c : d.contexts)
      if (c != d.mention) q.examples.push_back(c);
    q.key = key + kField;
    for (int32_t e : q.candidates) q.key += dict.entities()[static_cast<size_t>(e)].entity_id + ',';
    out.push_back(std::move(q));
    index.push_back(i);
  }
  return out;
}

// Local: asks the questions (starting a simulator when llm.base_url = "simulator").
// With extract.link_batch_export, fills `batch` instead of asking (llm/link.h).
std::vector<llm::LinkAnswer> ask(StageContext& ctx, const std::vector<llm::LinkQuestion>& qs,
                                 const extract::EntityDict& dict, llm::LinkStats& stats,
                                 llm::LinkBatch& batch) {
  const llm::LlmConfig& cfg = ctx.config.llm();
  const auto& xcfg = ctx.config.extract();
  const auto prompt = llm::PromptTemplate::load(
      llm::locate_prompt_file(xcfg.link_prompt_file, "extract.link_prompt_file"), "{{mentions}}");
  std::vector<std::string> names, ids;
  for (const auto& e : dict.entities()) names.push_back(e.name), ids.push_back(e.entity_id);
  std::unique_ptr<llm::SimulatorProcess> sim;
  llm::LlmConfig effective = cfg;
  const bool exporting = !xcfg.link_batch_export.empty();
  if (cfg.base_url == "simulator" && !qs.empty() && !exporting) {
    sim = std::make_unique<llm::SimulatorProcess>(llm::find_simulator(), ctx.config.world().dir,
                                                  cfg.simulator_args);
    effective.base_url = sim->base_url();
  }
  llm::LinkInput in{&qs,
                    &names,
                    &ids,
                    &effective,
                    &prompt,
                    xcfg.link_questions_per_request,
                    judge_api_key(cfg),
                    ctx.run.root() / "journal" / "link",
                    ctx.comm.rank(),
                    ctx.comm.size(),
                    exporting ? &batch : nullptr};
  return llm::link_mentions(in, stats);
}

// Collective: every rank's answers, by the index of the question in Selected::asked.
std::vector<llm::LinkAnswer> gather_answers(dist::Comm& comm, size_t questions,
                                            const std::vector<size_t>& index,
                                            const std::vector<llm::LinkAnswer>& mine) {
  std::string local;
  for (size_t k = 0; k < mine.size(); ++k) {
    const auto& a = mine[k];
    local += std::to_string(index[k]) + kField + (a.answered ? "1" : "0") + kField +
             std::to_string(a.entity) + kField + std::to_string(a.confidence) + kField +
             clean(a.words) + kRecord;
  }
  std::vector<llm::LinkAnswer> all(questions);
  for (const auto& part : dist::allgather_strings(comm, local))
    for (const auto& record : split(part, kRecord)) {
      const auto f = split(record, kField);
      if (f.size() < 4) continue;
      auto& a = all[std::stoul(f[0])];
      a.answered = f[1] == "1", a.entity = std::stoi(f[2]), a.confidence = std::stof(f[3]);
      a.words = f.size() > 4 ? f[4] : std::string();
    }
  return all;
}

struct AliasVote {
  int64_t weight = 0, questions = 0;
  std::string mention;
};

// The aliases the answers make (the same on every rank), and why others were not made.
LinkResult make_aliases(const Selected& s, const std::vector<llm::LinkAnswer>& answers,
                        const extract::DictMatcher& matcher,
                        const std::vector<extract::MinedAlias>& mined,
                        const extract::ExtractConfig& cfg, json& report) {
  std::map<std::u32string, std::map<int32_t, AliasVote>> votes;
  int64_t low_confidence = 0, words_not_in_text = 0, too_short = 0;
  for (size_t i = 0; i < answers.size(); ++i) {
    const auto& a = answers[i];
    if (!a.answered || a.entity < 0) continue;
    if (a.confidence < cfg.link_min_confidence) {
      ++low_confidence;
      continue;
    }
    const auto& [key, d] = *s.asked[i];
    const std::u32string mention = utf8::decode(key);
    std::u32string words = utf8::is_valid(a.words) ? text::normalize(a.words) : std::u32string();
    if (words.empty() || mention.find(words) == std::u32string::npos) {
      if (d.kind == kText) {
        ++words_not_in_text;
        continue;
      }
      words = mention;
    }
    if (words.size() < 2) {
      ++too_short;
      continue;
    }
    auto& v = votes[words][a.entity];
    v.weight += d.count, ++v.questions;
    if (v.mention.empty()) v.mention = d.mention;
  }
  std::unordered_map<std::u32string, int32_t> known;
  for (const auto& [text, e] : matcher.strings()) known.emplace(text, e);
  std::unordered_set<std::u32string> mined_texts;
  for (const auto& m : mined) mined_texts.insert(m.text);
  LinkResult out;
  int64_t already_known = 0, dictionary_conflict = 0, already_mined = 0, conflicts = 0;
  for (const auto& [text, by_entity] : votes) {
    auto best = by_entity.begin();
    for (auto it = by_entity.begin(); it != by_entity.end(); ++it)
      if (it->second.weight > best->second.weight) best = it;
    conflicts += by_entity.size() > 1;
    if (auto k = known.find(text); k != known.end()) {
      ++(k->second == best->first ? already_known : dictionary_conflict);
      continue;
    }
    if (mined_texts.count(text)) {
      ++already_mined;
      continue;
    }
    out.aliases.push_back(
        {{text, best->first}, best->second.mention, best->second.weight, best->second.questions});
  }
  report["aliases"] = out.aliases.size();
  report["answers_below_min_confidence"] = low_confidence;
  report["text_answers_without_words"] = words_not_in_text;
  report["aliases_too_short"] = too_short;
  report["aliases_already_known"] = already_known;
  report["aliases_naming_another_dictionary_entity"] = dictionary_conflict;
  report["aliases_already_mined"] = already_mined;
  report["aliases_with_conflicting_answers"] = conflicts;
  return out;
}

// Writes the parts one after another, truncating the file or appending to it.
void write_text_file(const std::filesystem::path& path, const std::vector<std::string>& parts,
                     bool append) {
  std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path());
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  for (const auto& part : parts) out << part;
  out.close();
  if (!out) throw IoError(errno_message("cannot write '" + path.string() + "'", errno));
}

// Collective: every rank's batch lines written by rank 0, the requests to the export file and the
// manifest appended to the run's (import reads it).
json write_batch(StageContext& ctx, const std::string& file, const llm::LinkBatch& batch) {
  const auto requests = dist::allgather_strings(ctx.comm, batch.requests);
  const auto manifest = dist::allgather_strings(ctx.comm, batch.manifest);
  int64_t n[] = {batch.request_count, batch.question_count};
  dist::allreduce(ctx.comm, std::span<int64_t>(n), dist::ReduceOp::kSum);
  dist::run_agreed(ctx.comm, [&] {
    if (ctx.comm.rank() != 0) return;
    write_text_file(file, requests, false);
    write_text_file(link_batch_manifest(ctx.run.root()), manifest, true);
  });
  return {{"file", file}, {"requests", n[0]}, {"questions", n[1]}};
}

// Collective: the asking counters summed over ranks, and the cost at the configured prices.
json stats_report(dist::Comm& comm, const llm::LinkStats& st, const llm::LlmConfig& cfg) {
  int64_t c[] = {st.from_journal, st.asked,     st.linked,     st.none,
                 st.unanswered,   st.requests,  st.http_calls, st.retries,
                 st.failed_calls, st.tokens_in, st.tokens_out, st.format_fallbacks,
                 st.exported};
  dist::allreduce(comm, std::span<int64_t>(c), dist::ReduceOp::kSum);
  const double cost = static_cast<double>(c[9]) * cfg.price_in_per_mtok / 1e6 +
                      static_cast<double>(c[10]) * cfg.price_out_per_mtok / 1e6;
  std::string causes;
  for (const auto& [cause, n] : st.unanswered_by_cause)
    causes += cause + '\t' + std::to_string(n) + '\n';
  json by_cause = json::object();
  for (const auto& part : dist::allgather_strings(comm, causes))
    for (const auto& line : split(part, '\n')) {
      const auto tab = line.rfind('\t');
      if (tab == std::string::npos) continue;
      const std::string cause = line.substr(0, tab);
      by_cause[cause] = by_cause.value(cause, int64_t{0}) + std::stoll(line.substr(tab + 1));
    }
  return {{"from_journal", c[0]},
          {"asked", c[1]},
          {"linked", c[2]},
          {"none", c[3]},
          {"unanswered", c[4]},
          {"unanswered_by_cause", by_cause},
          {"requests", c[5]},
          {"http_calls", c[6]},
          {"retries", c[7]},
          {"failed_calls", c[8]},
          {"tokens_in", c[9]},
          {"tokens_out", c[10]},
          {"format_fallbacks", c[11]},
          {"exported", c[12]},
          {"cost", cost},
          {"wall_seconds", dist::allreduce_value(comm, st.wall_s, dist::ReduceOp::kMax)}};
}

// Collective: drops the aliases that the texts show as context, as alias mining does
// (alias_mining.h drop_context_aliases): a word such as 便利, a misspelling of 便利贴 in one bill,
// is a shop's name in thousands.
void drop_context(dist::Comm& comm, const extract::EntityDict& dict,
                  const std::vector<const extract::TextRows*>& rows,
                  const extract::ExtractConfig& cfg, LinkResult& result) {
  extract::MinedAliases as_mined;
  for (const auto& a : result.aliases)
    as_mined.aliases.push_back(a.alias), as_mined.rule.push_back(0);
  extract::AliasUse use;
  dist::run_agreed(comm, [&] {
    const extract::DictMatcher with(dict, as_mined.aliases);
    for (const auto* table : rows) extract::count_alias_use(table->texts, with, as_mined, use);
  });
  use.matches.resize(as_mined.aliases.size(), 0),
      use.beside_other.resize(as_mined.aliases.size(), 0);
  dist::allreduce(comm, std::span<int64_t>(use.matches), dist::ReduceOp::kSum);
  dist::allreduce(comm, std::span<int64_t>(use.beside_other), dist::ReduceOp::kSum);
  std::vector<LlmAlias> kept;
  for (size_t a = 0; a < result.aliases.size(); ++a)
    if (!(use.matches[a] >= cfg.rule_min_support &&
          static_cast<double>(use.beside_other[a]) >
              cfg.alias_max_bill_context_share * static_cast<double>(use.matches[a])))
      kept.push_back(std::move(result.aliases[a]));
  result.report["aliases_context_dropped"] = result.aliases.size() - kept.size();
  result.report["aliases"] = kept.size();
  result.aliases = std::move(kept);
}

}  // namespace

LinkResult link_with_llm(StageContext& ctx, const extract::EntityDict& dict,
                         const extract::DictMatcher& matcher,
                         const std::vector<extract::MinedAlias>& mined,
                         const std::vector<const extract::TextRows*>& rows,
                         const extract::UnknownMentions& unknown,
                         const extract::UnknownMentions& doubtful) {
  const auto start = Clock::now();
  const auto& cfg = ctx.config.extract();
  Drafts local;
  dist::run_agreed(ctx.comm, [&] { local = local_drafts(cfg, dict, rows, unknown, doubtful); });
  const Drafts drafts = merge_drafts(ctx.comm, local, static_cast<size_t>(cfg.link_examples));
  const Selected selected = select_questions(drafts, cfg.link_max_questions);
  std::vector<size_t> index;
  std::vector<llm::LinkAnswer> mine;
  llm::LinkStats stats;
  llm::LinkBatch batch;
  dist::run_agreed(ctx.comm, [&] {
    const auto qs = my_questions(selected, dict, cfg, ctx.comm.rank(), ctx.comm.size(), index);
    mine = ask(ctx, qs, dict, stats, batch);
  });
  const auto answers = gather_answers(ctx.comm, selected.asked.size(), index, mine);
  json report = stats_report(ctx.comm, stats, ctx.config.llm());
  if (!cfg.link_batch_export.empty())
    report["batch_export"] = write_batch(ctx, cfg.link_batch_export, batch);
  report["questions"] = {{"unknown", selected.by_kind[kUnknown]},
                         {"doubtful", selected.by_kind[kDoubtful]},
                         {"gap", selected.by_kind[kGap]},
                         {"text", selected.by_kind[kText]},
                         {"not_asked", selected.not_asked}};
  LinkResult result = make_aliases(selected, answers, matcher, mined, cfg, report);
  result.report = std::move(report);
  drop_context(ctx.comm, dict, rows, cfg, result);
  report = std::move(result.report);
  report["seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
  result.report = std::move(report);
  return result;
}

}  // namespace kerec::pipeline
