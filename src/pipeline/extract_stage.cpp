// Stage `extract`: the Entity Dict and the CRF tagger over every item title and bill text
// (docs/design.md §2.2 step 1). Rows are split across ranks by byte range; the tagger is trained
// data-parallel on distant labels (the dictionary's matches); outputs follow docs/artifacts.md.
#include "extract_stage.h"
#include "extract_link.h"
#include "extract_mining.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/config.h"
#include "kerec/extract/extractor_file.h"
#include "kerec/extract/gold.h"
#include "kerec/extract/tables.h"
#include "kerec/extract/training.h"
#include "kerec/llm/prompt.h"
#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Local: this rank's training texts from `rows` (those the dictionary labels, sampled). The sample
// is keyed by the text itself, not the row's id or line, so extraction depends only on content:
// renamed ids or reordered rows train the same tagger.
void add_training(const extract::TextRows& rows, bool bills,
                  const extract::FeatureExtractor& features, double sample_rate,
                  std::vector<extract::TrainingText>& out, int64_t (&labels)[4]) {
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string key = (bills ? "bills/text/" : "items/text/") + rows.texts[r];
    ++labels[static_cast<int>(
        extract::add_training_text(features, rows.texts[r], std::move(key), sample_rate, out))];
  }
}

// Local: mentions of every row, and the evaluation against gold when given.
void extract_rows(extract::TextRows& rows, const extract::Extractor& extractor,
                  extract::ExtractCounters& counters, extract::UnknownMentions& unknown,
                  extract::UnknownMentions* doubtful = nullptr) {
  for (size_t r = 0; r < rows.size(); ++r) {
    extractor.extract(rows.texts[r], rows.mentions, counters, unknown, doubtful);
    rows.mention_offsets.push_back(static_cast<int64_t>(rows.mentions.size()));
  }
}

void evaluate_rows(const extract::TextRows& rows, bool bills, const extract::GoldSpans& gold,
                   extract::Evaluator& ev) {
  static const std::vector<extract::GoldMention> kNone;
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::vector<extract::GoldMention>* g = &kNone;
    if (bills) {
      if (auto it = gold.bills.find(rows.line[r]); it != gold.bills.end()) g = &it->second;
    } else if (auto it = gold.items.find(rows.keys[r]); it != gold.items.end()) {
      g = &it->second;
    }
    const auto* m = rows.mentions.data();
    ev.add_row(*g, std::span(m + rows.mention_offsets[r], m + rows.mention_offsets[r + 1]));
  }
}

// unknown_mentions.tsv, sorted by count, then text.
void write_unknown_file(const extract::UnknownMentions& all, const extract::EntityDict& dict,
                        const std::filesystem::path& path) {
  std::vector<std::pair<std::string, extract::UnknownMention>> sorted(all.begin(), all.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.count != b.second.count ? a.second.count > b.second.count : a.first < b.first;
  });
  io::TsvWriter w(path.string(), {"mention", "count", "example", "closest_entity_id",
                                  "closest_name", "similarity"});
  for (const auto& [text, u] : sorted) {
    const bool has = u.best_entity >= 0;
    w.field(text)
        .field(u.count)
        .field(u.example)
        .field(has ? dict.entities()[u.best_entity].entity_id : "")
        .field(has ? dict.entities()[u.best_entity].name : "")
        .field(u.best_score)
        .end_row();
  }
  w.close();
}

// Collective: merges every rank's unknown mentions; rank 0 writes them sorted by count, then text.
int64_t write_unknown(dist::Comm& comm, const extract::UnknownMentions& local,
                      const extract::EntityDict& dict, const std::filesystem::path& path) {
  std::string mine;
  for (const auto& [text, u] : local)
    mine += text + '\t' + std::to_string(u.count) + '\t' + u.example + '\t' +
            std::to_string(u.best_score) + '\t' + std::to_string(u.best_entity) + '\n';
  const auto parts = dist::allgather_strings(comm, mine);
  extract::UnknownMentions all;
  for (const auto& part : parts) {
    std::istringstream in(part);
    std::string text, count, example, score, entity;
    while (std::getline(in, text, '\t') && std::getline(in, count, '\t') &&
           std::getline(in, example, '\t') && std::getline(in, score, '\t') &&
           std::getline(in, entity)) {
      auto& u = all[text];
      if (u.count == 0)
        u.example = example, u.best_score = std::stod(score), u.best_entity = std::stoi(entity);
      u.count += std::stoll(count);
    }
  }
  // Rank 0 writes; a failed write is agreed so every rank stops cleanly.
  dist::run_agreed(comm, [&] {
    if (comm.rank() == 0) write_unknown_file(all, dict, path);
  });
  return static_cast<int64_t>(all.size());
}

// What serving needs to extract new text as this stage did (extract/extractor_file.h).
extract::ExtractorData extractor_data(const extract::EntityDict& dict,
                                      const std::vector<extract::MinedAlias>& mined,
                                      const extract::CrfModel* tagger,
                                      const extract::CorpusCounts* bigrams,
                                      const extract::ExtractConfig& cfg) {
  extract::ExtractorData d;
  d.entities = dict.entities();
  d.mined = mined;
  d.has_tagger = tagger != nullptr;
  if (tagger) d.tagger = *tagger;
  if (bigrams) d.bigram_counts.assign(bigrams->counts().begin(), bigrams->counts().end());
  d.feature_bits = cfg.feature_bits, d.near_word_threshold = cfg.near_word_threshold;
  d.link_threshold = cfg.link_threshold, d.link_orders = cfg.link_orders();
  d.fuzzy_min_chars = cfg.fuzzy_min_chars, d.fuzzy_max_ratio = cfg.fuzzy_max_ratio;
  return d;
}

}  // namespace

std::string ExtractStage::config_fingerprint(const JobConfig& config) const {
  std::string text = config.to_toml({"input", "extract", "world"});
  if (!config.extract.llm_link) return text;
  // One "key = value" line per key in to_toml's output.
  static const char* const kAnswerKeys[] = {
      "base_url",   "model",       "simulator_args",  "name_max_chars",
      "max_tokens", "temperature", "response_format", "response_format_fallback"};
  std::istringstream llm(config.to_toml({"llm"}));
  for (std::string line; std::getline(llm, line);)
    for (const char* key : kAnswerKeys)
      if (line.rfind(std::string(key) + " = ", 0) == 0) text += line + '\n';
  return text;
}

std::vector<std::string> ExtractStage::input_files(const JobConfig& config) const {
  std::vector<std::string> files{config.input_path("entities.tsv"), config.input_path("items.tsv"),
                                 config.input_path("bills.tsv")};
  if (config.extract.mine_aliases) files.push_back(config.input_path("exposures.tsv"));
  if (config.extract.llm_link)
    files.push_back(
        llm::locate_prompt_file(config.extract.link_prompt_file, "extract.link_prompt_file")
            .string());
  // The evaluation's gold mentions (a synthetic world's), when there are any: the report's F1.
  const auto gold = config.input_path("truth/mentions.tsv");
  if (config.extract.evaluate && std::filesystem::exists(gold)) files.push_back(gold);
  return files;
}

namespace {

// What the stage reads: the Entity Dict (every rank) and this rank's items and bills.
struct Inputs {
  extract::EntityDict dict;
  extract::TextRows items, bills;
  double read_s = 0;
};

Inputs read_inputs(StageContext& ctx) {
  const auto start = Clock::now();
  const auto& cfg = ctx.config.extract();
  const auto policy = ctx.config.input().bad_row_policy();
  const int rank = ctx.comm.rank(), ranks = ctx.comm.size();
  Inputs in;
  dist::run_agreed(ctx.comm, [&] {
    cfg.train_options();  // validates cross-key rules
    in.dict =
        extract::EntityDict::load(ctx.config.input_path("entities.tsv"), cfg.dict_policy(), policy);
    in.items = extract::read_items(ctx.config.input_path("items.tsv"), policy, rank, ranks);
    in.bills = extract::read_bills(ctx.config.input_path("bills.tsv"), policy, rank, ranks);
  });
  in.read_s = seconds_since(start);
  return in;
}

// The extractor's parts. Members refer to earlier members, so it is built in place, once.
struct Parts {
  Parts(const extract::EntityDict& dict, const extract::ExtractConfig& cfg)
      : matcher(dict),
        features(matcher, static_cast<uint32_t>(cfg.feature_bits), cfg.near_word_threshold),
        linker(matcher, cfg.link_orders()),
        use_fuzzy(cfg.fuzzy_min_chars > 0),
        fuzzy(matcher, use_fuzzy ? static_cast<int>(cfg.fuzzy_min_chars) : INT32_MAX,
              cfg.fuzzy_max_ratio),
        bigrams(use_fuzzy && fuzzy.active() ? 20 : 0) {}

  extract::Extractor extractor(const extract::DictMatcher& with, const extract::ExtractConfig& cfg,
                               const extract::FeatureExtractor& f) const {
    extract::Extractor e(with, f, cfg.tagger ? &model : nullptr, linker, cfg.link_threshold,
                         use_fuzzy ? &fuzzy : nullptr);
    if (cfg.llm_link) e.set_doubtful_below(cfg.link_ask_below);
    return e;
  }

  const extract::DictMatcher matcher;
  const extract::FeatureExtractor features;
  const extract::Linker linker;
  const bool use_fuzzy;
  extract::FuzzyMatcher fuzzy;
  extract::CorpusCounts bigrams;
  extract::CrfModel model;
};

// Collective: trains the CRF tagger on the dictionary's own matches; returns the training report.
json train_tagger(dist::Comm& comm, const Inputs& in, const extract::ExtractConfig& cfg,
                  Parts& parts) {
  const auto start = Clock::now();
  std::vector<extract::TrainingText> train;
  int64_t labels[4] = {0, 0, 0, 0};  // by extract::Label
  const auto& src = cfg.train_sources;
  if (std::count(src.begin(), src.end(), "items"))
    add_training(in.items, false, parts.features, cfg.train_sample_rate, train, labels);
  if (std::count(src.begin(), src.end(), "bills"))
    add_training(in.bills, true, parts.features, cfg.train_sample_rate, train, labels);
  extract::TrainStats ts;
  parts.model = extract::train_tagger(comm, train, parts.features, cfg, &ts);
  dist::allreduce(comm, std::span<int64_t>(labels), dist::ReduceOp::kSum);
  return {{"sequences", ts.sequences},
          {"positions", ts.positions},
          {"iterations", ts.iterations},
          {"evaluations", ts.evaluations},
          {"initial_objective", ts.initial_objective},
          {"final_objective", ts.final_objective},
          {"texts_sampled_out", labels[1]},
          {"unlabelled_texts_not_used", labels[2]},
          {"unreliable_labels_not_used", labels[3]},
          {"seconds", seconds_since(start)}};
}

// Collective when fuzzy matching is on: the corpus bigram counts that tell a misspelling from a
// real word. The merge is decided by the config alone; active() (the same dictionary on every
// rank) only skips the counting.
void count_bigrams(dist::Comm& comm, const Inputs& in, Parts& parts) {
  if (!parts.use_fuzzy) return;
  if (parts.fuzzy.active())
    for (const auto* rows : {&in.items, &in.bills})
      for (const auto& text : rows->texts) parts.bigrams.add_text(text::tokenize_utf8(text));
  parts.bigrams.merge(comm);
  parts.fuzzy.set_bigrams(&parts.bigrams);
}

// The mentions of every row, summed counters, and what alias mining found.
struct Extraction {
  extract::ExtractCounters counters;
  extract::UnknownMentions unknown;
  extract::UnknownMentions doubtful;  // tagger links LLM linking asks about (extractor.h)
  MiningResult mining;
  LinkResult link;       // with extract.llm_link
  double extract_s = 0;  // the slowest rank's
  // The aliases the final extraction used: mined, then the LLM's.
  std::vector<extract::MinedAlias> aliases() const {
    auto all = mining.mined.aliases;
    for (const auto& a : link.aliases) all.push_back(a.alias);
    return all;
  }
};

// Collective: LLM linking of what the extraction could not link; when it makes aliases, every row
// is extracted again with them (the time is the linking's, in its report).
void link_and_extract_again(StageContext& ctx, Inputs& in, const Parts& parts,
                            const extract::DictMatcher& matcher, Extraction& ex) {
  const auto& cfg = ctx.config.extract();
  ex.link = link_with_llm(ctx, in.dict, matcher, ex.mining.mined.aliases, {&in.items, &in.bills},
                          ex.unknown, ex.doubtful);
  if (ex.link.aliases.empty()) return;
  const auto start = Clock::now();
  const auto all = ex.aliases();
  const extract::DictMatcher with_llm(in.dict, all);
  const auto extractor = parts.extractor(with_llm, cfg, parts.features);
  ex.counters = {}, ex.unknown.clear();
  for (auto* rows : {&in.items, &in.bills}) {
    rows->mentions.clear(), rows->mention_offsets.assign(1, 0);
    extract_rows(*rows, extractor, ex.counters, ex.unknown);
  }
  const double again_s =
      dist::allreduce_value(ctx.comm, seconds_since(start), dist::ReduceOp::kMax);
  ex.link.report["extract_again_seconds"] = again_s;
  ex.link.report["seconds"] = ex.link.report["seconds"].get<double>() + again_s;
}

// Collective. Alias mining needs the items' first mentions; the items are then extracted again
// with the mined aliases, and their first counts and unknown mentions are forgotten (the first
// pass's time is kept: it is part of the work).
Extraction extract_all(StageContext& ctx, Inputs& in, const Parts& parts) {
  const auto& cfg = ctx.config.extract();
  auto start = Clock::now();
  Extraction ex;
  const auto plain = parts.extractor(parts.matcher, cfg, parts.features);
  extract_rows(in.items, plain, ex.counters, ex.unknown,
               cfg.mine_aliases ? nullptr : &ex.doubtful);  // else: the pass with mined aliases
  double first_pass_s = 0.0;
  std::unique_ptr<extract::DictMatcher> mined_matcher;
  if (cfg.mine_aliases) {
    first_pass_s = seconds_since(start);
    ex.mining =
        mine_aliases(ctx.comm, in.items, plain, parts.matcher, in.dict.entities().size(), cfg,
                     ctx.config.input_path("exposures.tsv"), ctx.config.input().bad_row_policy());
    drop_bill_context(ctx.comm, in.bills, in.dict, cfg, ex.mining);
    mined_matcher = std::make_unique<extract::DictMatcher>(in.dict, ex.mining.mined.aliases);
    ex.counters = {}, ex.unknown.clear();
    in.items.mentions.clear(), in.items.mention_offsets.assign(1, 0);
    start = Clock::now();
  }
  // The mined extractor keeps the plain one's features: they are the tagger's, learnt before
  // mining.
  const auto extractor =
      mined_matcher ? parts.extractor(*mined_matcher, cfg, parts.features) : plain;
  if (mined_matcher) extract_rows(in.items, extractor, ex.counters, ex.unknown, &ex.doubtful);
  extract_rows(in.bills, extractor, ex.counters, ex.unknown, &ex.doubtful);
  ex.extract_s =
      dist::allreduce_value(ctx.comm, first_pass_s + seconds_since(start), dist::ReduceOp::kMax);
  if (cfg.llm_link)  // not in extract_s: the throughput is the extraction's alone
    link_and_extract_again(ctx, in, parts, mined_matcher ? *mined_matcher : parts.matcher, ex);
  dist::reduce_counters(ctx.comm, ex.counters);
  return ex;
}

// Collective: the tables (every rank its rows), rank 0's tagger and serving extractor, the merged
// unknown mentions and mined aliases. Returns the number of distinct unknown mentions.
int64_t write_outputs(StageContext& ctx, const Inputs& in, const Parts& parts,
                      const Extraction& ex) {
  auto& comm = ctx.comm;
  const auto& cfg = ctx.config.extract();
  const io::h5::RootAttrs attrs{.config_sha256 = ctx.config.config_sha256()};
  extract::write_entities(ctx.out_dir / artifacts::kEntities.file, in.dict, comm, attrs);
  extract::write_items(ctx.out_dir / artifacts::kItems.file, in.items, comm, attrs);
  extract::write_bills(ctx.out_dir / artifacts::kBills.file, in.bills, comm, attrs);
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    if (cfg.tagger) parts.model.save(ctx.out_dir / "tagger.bin");
    const auto data = extractor_data(in.dict, ex.aliases(), cfg.tagger ? &parts.model : nullptr,
                                     parts.use_fuzzy ? &parts.bigrams : nullptr, cfg);
    extract::write_extractor_file(ctx.out_dir / artifacts::kExtractor.file, data, attrs);
  });
  const int64_t distinct =
      write_unknown(comm, ex.unknown, in.dict, ctx.out_dir / "unknown_mentions.tsv");
  if (cfg.mine_aliases || cfg.llm_link)
    write_mined_aliases(comm, ex.mining, ex.link.aliases, in.dict,
                        ctx.out_dir / "mined_aliases.tsv");
  return distinct;
}

// Collective: entity-link scores against the world's gold mentions, when there are any (rank 0
// decides, so that every rank runs the evaluation's collectives or none does).
void evaluate(StageContext& ctx, const Inputs& in, json& report) {
  auto& comm = ctx.comm;
  const std::string gold_path = ctx.config.input_path("truth/mentions.tsv");
  int32_t have_gold = 0;
  dist::run_agreed(comm, [&] {
    have_gold =
        comm.rank() == 0 && ctx.config.extract().evaluate && std::filesystem::exists(gold_path);
  });
  if (!dist::broadcast_value(comm, have_gold, 0)) return;
  extract::Evaluator ev;
  int64_t unknown_gold = 0;
  dist::run_agreed(comm, [&] {
    const auto gold = extract::read_gold(gold_path, in.dict);
    evaluate_rows(in.items, false, gold, ev);
    evaluate_rows(in.bills, true, gold, ev);
    unknown_gold = gold.unknown_entities;
  });
  ev.combine(comm);
  report["evaluation"] = ev.report();
  report["evaluation"]["gold_rows_with_unknown_entity"] = unknown_gold;
  report["f1_dict"] = ev.link_f1({extract::kName, extract::kAlias});
  report["f1_misspelling"] = ev.link_f1({extract::kMisspelling});
  report["f1_unseen_alias"] = ev.link_f1({extract::kUnseenAlias});
}

// Collective: the dictionary's and the inputs' counts, and the extraction's counters and speed.
void add_counts(dist::Comm& comm, const Inputs& in, const Parts& parts, const Extraction& ex,
                json& report) {
  const auto& ds = in.dict.stats();
  int64_t skipped[2] = {in.items.skipped_rows, in.bills.skipped_rows};
  dist::allreduce(comm, std::span<int64_t>(skipped), dist::ReduceOp::kSum);
  report["dictionary"] = {{"entities", in.dict.size()},
                          {"rows", ds.rows},
                          {"strings", parts.matcher.strings().size()},
                          {"bad_rows_skipped", ds.bad_rows},
                          {"duplicate_ids_dropped", ds.duplicate_ids},
                          {"empty_names_dropped", ds.empty_names},
                          {"shared_strings_dropped", ds.shared_strings},
                          {"empty_aliases_dropped", ds.empty_aliases},
                          {"self_duplicates", ds.self_duplicates},
                          {"messages", ds.messages}};
  int64_t rows[2] = {static_cast<int64_t>(in.items.size()), static_cast<int64_t>(in.bills.size())};
  dist::allreduce(comm, std::span<int64_t>(rows), dist::ReduceOp::kSum);
  report["rows"] = {{"items", rows[0]},
                    {"bills", rows[1]},
                    {"items_skipped", skipped[0]},
                    {"bills_skipped", skipped[1]}};
  report["mentions"] = dist::counters_json(ex.counters);
  report["ranks"] = comm.size();
  report["read_seconds"] = in.read_s;
  report["extract_seconds"] = ex.extract_s;
  const double texts_per_s = ex.extract_s > 0 ? ex.counters.texts / ex.extract_s : 0.0;
  report["texts_per_s"] = texts_per_s;
  report["titles_per_s"] = texts_per_s / comm.size();  // per rank
}

}  // namespace

json ExtractStage::run(StageContext& ctx) {
  const auto start = Clock::now();
  const auto& cfg = ctx.config.extract();
  Inputs in = read_inputs(ctx);
  Parts parts(in.dict, cfg);
  json report;
  if (cfg.tagger) report["training"] = train_tagger(ctx.comm, in, cfg, parts);
  count_bigrams(ctx.comm, in, parts);
  const Extraction ex = extract_all(ctx, in, parts);
  report["unknown_mentions_distinct"] = write_outputs(ctx, in, parts, ex);
  if (cfg.mine_aliases) report["mining"] = ex.mining.report;
  if (cfg.llm_link) report["link"] = ex.link.report;
  evaluate(ctx, in, report);
  add_counts(ctx.comm, in, parts, ex, report);
  report["seconds"] = seconds_since(start);
  return report;
}

std::string ExtractStage::summary(const json& r) const {
  const auto& m = r["mentions"];
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "extract: %lld texts, %lld dictionary mentions, %lld tagger mentions, %lld unknown "
                "(%lld distinct)\n"
                "  %.0f texts/s per rank (tagger included), %.1f s in all",
                static_cast<long long>(m["texts"].get<int64_t>()),
                static_cast<long long>(m["dict_mentions"].get<int64_t>()),
                static_cast<long long>(m["tagger_mentions"].get<int64_t>()),
                static_cast<long long>(m["unknown_mentions"].get<int64_t>()),
                static_cast<long long>(r["unknown_mentions_distinct"].get<int64_t>()),
                r["titles_per_s"].get<double>(), r["seconds"].get<double>());
  std::string s = buf;
  if (r.contains("mining")) {
    const auto& g = r["mining"];
    const int64_t phrase_rules = g["phrase_rules"]["rules"].get<int64_t>();
    std::snprintf(buf, sizeof buf,
                  "\n  alias mining: %lld of %lld unread items voted, %lld tagger rules, %lld "
                  "phrase rules, %lld aliases, "
                  "%lld mentions",
                  static_cast<long long>(g["items_voted"].get<int64_t>()),
                  static_cast<long long>(g["items_asked"].get<int64_t>()),
                  static_cast<long long>(g["rules"].get<int64_t>()),
                  static_cast<long long>(phrase_rules),
                  static_cast<long long>(g["aliases"].get<int64_t>()),
                  static_cast<long long>(m["mined_alias_mentions"].get<int64_t>()));
    s += buf;
  }
  if (r.contains("link")) {
    const auto& l = r["link"];
    std::snprintf(
        buf, sizeof buf,
        "\n  LLM linking: %lld questions asked (%lld from the journal), %lld linked, %lld "
        "aliases; %lld requests, %lld tokens, cost %.4f",
        static_cast<long long>(l["asked"].get<int64_t>()),
        static_cast<long long>(l["from_journal"].get<int64_t>()),
        static_cast<long long>(l["linked"].get<int64_t>()),
        static_cast<long long>(l["aliases"].get<int64_t>()),
        static_cast<long long>(l["requests"].get<int64_t>()),
        static_cast<long long>(l["tokens_in"].get<int64_t>() + l["tokens_out"].get<int64_t>()),
        l["cost"].get<double>());
    s += buf;
    if (l.contains("batch_export")) {
      const auto& b = l["batch_export"];
      std::snprintf(buf, sizeof buf,
                    "\n  %lld questions in %lld requests exported to %s: after the batch, kerec "
                    "extract --import-batch RESULTS, then run without extract.link_batch_export",
                    static_cast<long long>(b["questions"].get<int64_t>()),
                    static_cast<long long>(b["requests"].get<int64_t>()),
                    b["file"].get<std::string>().c_str());
      s += buf;
    }
  }
  if (r.contains("f1_dict")) {
    std::snprintf(buf, sizeof buf,
                  "\n  entity-link F1: dictionary %.3f, misspellings %.3f, unseen aliases %.3f",
                  r["f1_dict"].get<double>(), r["f1_misspelling"].get<double>(),
                  r["f1_unseen_alias"].get<double>());
    s += buf;
  }
  return s;
}

}  // namespace kerec::pipeline
