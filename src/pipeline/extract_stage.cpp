// Stage `extract`: the Entity Dict and the CRF tagger over every item title and bill text
// (docs/design.md §2.2 step 1). Rows are split across ranks by byte range; the tagger is trained
// data-parallel on distant labels (the dictionary's matches); outputs follow docs/artifacts.md.
#include "extract_stage.h"
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
#include "kerec/util/error.h"
#include "kerec/util/sha256.h"

namespace kerec::pipeline {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Local: this rank's training texts from `rows` (those the dictionary labels, sampled).
void add_training(const extract::TextRows& rows, bool bills,
                  const extract::FeatureExtractor& features, double sample_rate,
                  std::vector<extract::TrainingText>& out, int64_t (&labels)[4]) {
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string key =
        bills ? "bills/line/" + std::to_string(rows.line[r]) : "items/" + rows.keys[r];
    ++labels[static_cast<int>(
        extract::add_training_text(features, rows.texts[r], std::move(key), sample_rate, out))];
  }
}

// Local: mentions of every row, and the evaluation against gold when given.
void extract_rows(extract::TextRows& rows, const extract::Extractor& extractor,
                  extract::ExtractCounters& counters, extract::UnknownMentions& unknown) {
  for (size_t r = 0; r < rows.size(); ++r) {
    extractor.extract(rows.texts[r], rows.mentions, counters, unknown);
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

json counters_json(const extract::ExtractCounters& c) {
  return {{"texts", c.texts},
          {"dict_mentions", c.dict_mentions},
          {"tagger_spans", c.tagger_spans},
          {"tagger_inside_dict", c.tagger_in_dict},
          {"tagger_overlap_dropped", c.tagger_overlap_dropped},
          {"dict_replaced_by_tagger", c.dict_replaced},
          {"tagger_mentions", c.tagger_linked},
          {"unknown_mentions", c.unknown},
          {"mined_alias_mentions", c.mined_mentions},
          {"fuzzy_matches", c.fuzzy_matches},
          {"fuzzy_mentions", c.fuzzy_mentions},
          {"fuzzy_replaced", c.fuzzy_replaced},
          {"fuzzy_dropped", c.fuzzy_dropped}};
}

// Collective: sums the counters of every rank.
void combine(dist::Comm& comm, extract::ExtractCounters& c) {
  int64_t v[13] = {c.texts,          c.dict_mentions,          c.mined_mentions, c.tagger_spans,
                   c.tagger_in_dict, c.tagger_overlap_dropped, c.dict_replaced,  c.tagger_linked,
                   c.unknown,        c.fuzzy_matches,          c.fuzzy_mentions, c.fuzzy_replaced,
                   c.fuzzy_dropped};
  dist::allreduce(comm, std::span<int64_t>(v), dist::ReduceOp::kSum);
  c = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
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
                                      const extract::BigramCounts* bigrams,
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

std::vector<std::string> ExtractStage::input_files(const JobConfig& config) const {
  std::vector<std::string> files{config.input_path("entities.tsv"), config.input_path("items.tsv"),
                                 config.input_path("bills.tsv")};
  if (config.extract.mine_aliases) files.push_back(config.input_path("exposures.tsv"));
  // The evaluation's gold mentions (a synthetic world's), when there are any: the report's F1.
  const auto gold = config.input_path("truth/mentions.tsv");
  if (config.extract.evaluate && std::filesystem::exists(gold)) files.push_back(gold);
  return files;
}

json ExtractStage::run(StageContext& ctx) {
  auto& comm = ctx.comm;
  const auto& cfg = ctx.config.extract();
  const auto policy = ctx.config.input().bad_row_policy();
  const auto start = Clock::now();
  extract::EntityDict dict;
  extract::TextRows items, bills;
  dist::run_agreed(comm, [&] {
    cfg.train_options();  // validates cross-key rules
    dict =
        extract::EntityDict::load(ctx.config.input_path("entities.tsv"), cfg.dict_policy(), policy);
    items =
        extract::read_items(ctx.config.input_path("items.tsv"), policy, comm.rank(), comm.size());
    bills =
        extract::read_bills(ctx.config.input_path("bills.tsv"), policy, comm.rank(), comm.size());
  });
  const double read_s = seconds_since(start);
  const extract::DictMatcher matcher(dict);
  const extract::FeatureExtractor features(matcher, static_cast<uint32_t>(cfg.feature_bits),
                                           cfg.near_word_threshold);
  json report;
  extract::CrfModel model;
  auto t = Clock::now();
  if (cfg.tagger) {
    std::vector<extract::TrainingText> train;
    int64_t labels[4] = {0, 0, 0, 0};  // by extract::Label
    const auto& src = cfg.train_sources;
    const double rate = cfg.train_sample_rate;
    if (std::count(src.begin(), src.end(), "items"))
      add_training(items, false, features, rate, train, labels);
    if (std::count(src.begin(), src.end(), "bills"))
      add_training(bills, true, features, rate, train, labels);
    extract::TrainStats ts;
    model = extract::train_tagger(comm, train, features, cfg, &ts);
    dist::allreduce(comm, std::span<int64_t>(labels), dist::ReduceOp::kSum);
    report["training"] = {{"sequences", ts.sequences},
                          {"positions", ts.positions},
                          {"iterations", ts.iterations},
                          {"evaluations", ts.evaluations},
                          {"initial_objective", ts.initial_objective},
                          {"final_objective", ts.final_objective},
                          {"texts_sampled_out", labels[1]},
                          {"unlabelled_texts_not_used", labels[2]},
                          {"unreliable_labels_not_used", labels[3]},
                          {"seconds", seconds_since(t)}};
  }
  t = Clock::now();
  const extract::Linker linker(matcher, cfg.link_orders());
  // The collective merge() is decided by the config alone; active() (same dictionary on every rank)
  // only skips the counting work.
  const bool use_fuzzy = cfg.fuzzy_min_chars > 0;
  extract::FuzzyMatcher fuzzy(
      matcher, use_fuzzy ? static_cast<int>(cfg.fuzzy_min_chars) : INT32_MAX, cfg.fuzzy_max_ratio);
  extract::BigramCounts bigrams(use_fuzzy && fuzzy.active() ? 20 : 0);
  if (use_fuzzy) {
    if (fuzzy.active())
      for (const auto* rows : {&items, &bills})
        for (const auto& text : rows->texts) bigrams.add_text(text::tokenize_utf8(text));
    bigrams.merge(comm);
    fuzzy.set_bigrams(&bigrams);
  }
  const extract::Extractor extractor(matcher, features, cfg.tagger ? &model : nullptr, linker,
                                     cfg.link_threshold, use_fuzzy ? &fuzzy : nullptr);
  extract::ExtractCounters counters;
  extract::UnknownMentions unknown;
  extract_rows(items, extractor, counters, unknown);
  double first_pass_s = 0.0;  // with mining: the items' first pass, which the final pass repeats
  // Alias mining needs the items' first mentions; the items are then extracted again, with the
  // mined aliases, and their first counts and unknown mentions are forgotten.
  MiningResult mining;
  std::unique_ptr<extract::DictMatcher> mined_matcher;
  std::unique_ptr<extract::Extractor> mined_extractor;
  if (cfg.mine_aliases) {
    first_pass_s = seconds_since(t);
    mining = mine_aliases(comm, items, extractor, matcher, dict.entities().size(), cfg,
                          ctx.config.input_path("exposures.tsv"), policy);
    mined_matcher = std::make_unique<extract::DictMatcher>(dict, mining.mined.aliases);
    mined_extractor = std::make_unique<extract::Extractor>(
        *mined_matcher, features, cfg.tagger ? &model : nullptr, linker, cfg.link_threshold,
        use_fuzzy ? &fuzzy : nullptr);
    counters = {}, unknown.clear();
    items.mentions.clear(), items.mention_offsets.assign(1, 0);
    t = Clock::now();
    extract_rows(items, *mined_extractor, counters, unknown);
  }
  extract_rows(bills, mined_extractor ? *mined_extractor : extractor, counters, unknown);
  const double extract_s =
      dist::allreduce_value(comm, first_pass_s + seconds_since(t), dist::ReduceOp::kMax);
  combine(comm, counters);
  // Outputs.
  const io::h5::RootAttrs attrs{
      .schema = "extract", .schema_version = 1, .config_sha256 = ctx.config.config_sha256()};
  auto with_schema = [&](const char* s) {
    auto a = attrs;
    a.schema = s;
    return a;
  };
  extract::write_entities(ctx.out_dir / "entities.h5", dict, comm, with_schema("entities"));
  extract::write_items(ctx.out_dir / "items.h5", items, comm, with_schema("extract_items"));
  extract::write_bills(ctx.out_dir / "bills.h5", bills, comm, with_schema("extract_bills"));
  int64_t unknown_distinct = 0;
  dist::run_agreed(comm, [&] {
    if (comm.rank() != 0) return;
    if (cfg.tagger) model.save(ctx.out_dir / "tagger.bin");
    const auto data = extractor_data(dict, mining.mined.aliases, cfg.tagger ? &model : nullptr,
                                     use_fuzzy ? &bigrams : nullptr, cfg);
    extract::write_extractor_file(ctx.out_dir / "extractor.h5", data, with_schema("extractor"));
  });
  unknown_distinct = write_unknown(comm, unknown, dict, ctx.out_dir / "unknown_mentions.tsv");
  if (cfg.mine_aliases) {
    write_mined_aliases(comm, mining, dict, ctx.out_dir / "mined_aliases.tsv");
    report["mining"] = mining.report;
  }
  // Evaluation.
  const std::string gold_path = ctx.config.input_path("truth/mentions.tsv");
  int32_t have_gold =
      0;  // rank 0 decides: ranks must agree on whether to run the evaluation's collectives
  dist::run_agreed(comm, [&] {
    have_gold = comm.rank() == 0 && cfg.evaluate && std::filesystem::exists(gold_path);
  });
  have_gold = dist::broadcast_value(comm, have_gold, 0);
  if (have_gold) {
    extract::Evaluator ev;
    int64_t unknown_gold = 0;
    dist::run_agreed(comm, [&] {
      const auto gold = extract::read_gold(gold_path, dict);
      evaluate_rows(items, false, gold, ev);
      evaluate_rows(bills, true, gold, ev);
      unknown_gold = gold.unknown_entities;
    });
    ev.combine(comm);
    report["evaluation"] = ev.report();
    report["evaluation"]["gold_rows_with_unknown_entity"] = unknown_gold;
    report["f1_dict"] = ev.link_f1({extract::kName, extract::kAlias});
    report["f1_misspelling"] = ev.link_f1({extract::kMisspelling});
    report["f1_unseen_alias"] = ev.link_f1({extract::kUnseenAlias});
  }
  const auto& ds = dict.stats();
  int64_t skipped[2] = {items.skipped_rows, bills.skipped_rows};
  dist::allreduce(comm, std::span<int64_t>(skipped), dist::ReduceOp::kSum);
  report["dictionary"] = {{"entities", dict.size()},
                          {"rows", ds.rows},
                          {"strings", matcher.strings().size()},
                          {"bad_rows_skipped", ds.bad_rows},
                          {"duplicate_ids_dropped", ds.duplicate_ids},
                          {"empty_names_dropped", ds.empty_names},
                          {"shared_strings_dropped", ds.shared_strings},
                          {"empty_aliases_dropped", ds.empty_aliases},
                          {"self_duplicates", ds.self_duplicates},
                          {"messages", ds.messages}};
  int64_t rows[2] = {static_cast<int64_t>(items.size()), static_cast<int64_t>(bills.size())};
  dist::allreduce(comm, std::span<int64_t>(rows), dist::ReduceOp::kSum);
  report["rows"] = {{"items", rows[0]},
                    {"bills", rows[1]},
                    {"items_skipped", skipped[0]},
                    {"bills_skipped", skipped[1]}};
  report["mentions"] = counters_json(counters);
  report["unknown_mentions_distinct"] = unknown_distinct;
  report["ranks"] = comm.size();
  report["read_seconds"] = read_s;
  report["extract_seconds"] = extract_s;
  report["texts_per_s"] = extract_s > 0 ? counters.texts / extract_s : 0.0;
  report["titles_per_s"] =
      extract_s > 0 ? counters.texts / extract_s / comm.size() : 0.0;  // per rank
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
