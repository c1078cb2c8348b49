#include "kerec/extract/config.h"

#include "kerec/util/error.h"

namespace kerec::extract {

void ExtractConfig::bind(config::Binder& b) {
  b.key("dict_duplicate_id", dict_duplicate_id,
        "an entity_id on two lines of entities.tsv: fail naming the line, or keep the first row "
        "and count the others",
        config::Choices{"fail", "keep_first"});
  b.key("dict_empty_name", dict_empty_name,
        "a name that is empty after normalisation (only punctuation): fail naming the line, or "
        "drop and count the row",
        config::Choices{"fail", "skip"});
  b.key("dict_shared_alias", dict_shared_alias,
        "a name or alias (normalised) claimed by two entities: fail naming both lines, or keep it "
        "with the earlier entity",
        config::Choices{"fail", "keep_first"});
  b.key("tagger", tagger, "train and run the CRF tagger; false: dictionary matching only");
  b.key("train_sources", train_sources,
        "texts the tagger is trained on (distant labels from the dictionary)",
        config::Choices{"items", "bills"});
  b.key("train_sample_rate", train_sample_rate,
        "share of the dictionary-labelled texts used for training (chosen by a hash of the text, "
        "any rank count)",
        config::Range<double>{0.0, 1.0});
  b.key("mask_share", mask_share,
        "share of training texts whose dictionary flags are hidden and mention words masked, so "
        "the tagger "
        "learns to find misspelt and unknown mentions from context",
        config::Range<double>{0.0, 1.0});
  b.key("vocab_min_count", vocab_min_count,
        "tokens seen fewer times than this in the training texts are unknown (\"<unk>\") to the "
        "tagger",
        config::Range<int64_t>{1, 1000000});
  b.key("feature_bits", feature_bits, "CRF features are hashed into 2^feature_bits buckets",
        config::Range<int64_t>{10, 24});
  b.key("l2", l2, "L2 regularisation of the CRF weights", config::Range<double>{0.0, 1e6});
  b.key("max_iterations", max_iterations, "most L-BFGS iterations",
        config::Range<int64_t>{1, 10000});
  b.key("lbfgs_memory", lbfgs_memory, "L-BFGS correction pairs kept",
        config::Range<int64_t>{1, 100});
  b.key("tolerance", tolerance,
        "stop when an iteration improves the objective by less than this (relative)",
        config::Range<double>{0.0, 1.0});
  b.key("near_word_threshold", near_word_threshold,
        "n-gram similarity at which a Latin token counts as near a dictionary word (feature)",
        config::Range<double>{0.0, 1.0});
  b.key("link_threshold", link_threshold,
        "n-gram similarity at which a tagger mention is linked to the closest name or alias; "
        "below: unknown mention",
        config::Range<double>{0.0, 1.0});
  b.key("link_ngram_min", link_ngram_min, "shortest code-point n-gram of the link similarity",
        config::Range<int64_t>{1, 8});
  b.key("link_ngram_max", link_ngram_max, "longest code-point n-gram of the link similarity",
        config::Range<int64_t>{1, 8});
  b.key("fuzzy_min_chars", fuzzy_min_chars,
        "Chinese names and aliases of at least this many characters are also matched up to one "
        "edit: a character substituted (笔纪本支架), two adjacent ones swapped (葡萄杯酒), one "
        "dropped (瑜垫) or one inserted; Latin words of 4+ letters are corrected likewise "
        "(gamng -> gaming) before the dictionary reads the text; 0 turns both off, 1 is refused",
        config::Range<int64_t>{0, 64});
  b.key("fuzzy_max_ratio", fuzzy_max_ratio,
        "a one-character edit counts as a misspelling only when the character pairs it forms are "
        "at most this many times as frequent in the texts as the dictionary string's pairs it "
        "replaces (so a brand or colour next to a name is not taken for a misspelt modifier), and "
        "a Latin word is corrected only when it is at most this many times as frequent as the "
        "dictionary word",
        config::Range<double>{0.0, 1e9});
  b.key("mine_aliases", mine_aliases,
        "mine the aliases the dictionary lacks from the corpus: items get an entity from their "
        "search sessions in "
        "exposures.tsv, the tagger mentions of unread items and the phrases of all titles teach "
        "rules such as "
        "smartphone -> phone, and the rules' aliases are matched like dictionary strings "
        "(docs/artifacts.md, "
        "section Alias mining)");
  b.key("session_scenes", session_scenes,
        "exposure scenes whose sessions vote for an item's entity");
  b.key("session_gap_s", session_gap_s,
        "a user's exposures more than this many seconds apart are in different sessions",
        config::Range<int64_t>{1, 86400});
  b.key("vote_min", vote_min, "fewest session votes that decide an item's entity",
        config::Range<int64_t>{1, 1000000});
  b.key("vote_min_share", vote_min_share,
        "least share of an item's session votes the winning entity must have",
        config::Range<double>{0.0, 1.0});
  b.key("rule_min_support", rule_min_support,
        "fewest items that must show a rule (u stands for h) before it is used",
        config::Range<int64_t>{1, 1000000});
  b.key("rule_min_share", rule_min_share,
        "least share of the observations of u that the rule's h must have",
        config::Range<double>{0.0, 1.0});
  b.key("phrase_rules", phrase_rules,
        "with mine_aliases: also learn rules from title phrases, which every item votes on through "
        "its search "
        "sessions (\"phone cradle\" -> phone holder, even where the dictionary reads \"phone\" in "
        "it; "
        "docs/artifacts.md, section Alias mining)");
  b.key("phrase_max_tokens", phrase_max_tokens, "longest Latin title phrase considered, in tokens",
        config::Range<int64_t>{1, 8});
  b.key("phrase_max_cjk_chars", phrase_max_cjk_chars,
        "longest CJK title phrase considered, in characters (shortest: 2)",
        config::Range<int64_t>{2, 16});
  b.key("phrase_min_support", phrase_min_support,
        "fewest free votes a phrase needs for its entity: voted items where the phrase stands "
        "outside every "
        "dictionary mention and the entity is not read over it",
        config::Range<int64_t>{1, 1000000});
  b.key("phrase_min_share", phrase_min_share,
        "least share of free votes for the entity among the voted items containing the phrase "
        "where the entity "
        "is not read over it",
        config::Range<double>{0.0, 1.0});
  b.key("phrase_max_context_share", phrase_max_context_share,
        "most share of the items containing a phrase in which the dictionary reads its entity "
        "apart from the phrase "
        "(more: the phrase is context next to a name, such as a brand or a size)",
        config::Range<double>{0.0, 1.0});
  b.key("phrase_min_lift", phrase_min_lift,
        "least ratio of a phrase's votes to the votes its items' dictionary readings explain "
        "(t-shirt items mostly "
        "vote hoodie, because hoodie searches show t-shirts)",
        config::Range<double>{0.0, 1e6});
  b.key("alias_max_bill_context_share", alias_max_bill_context_share,
        "a mined alias found in at least rule_min_support bills is dropped when more than this "
        "share of them also name another entity by a dictionary string (the alias is context "
        "there, such as 便利 in a shop's name, not a product)",
        config::Range<double>{0.0, 1.0});
  b.key("phrase_dominance_share", phrase_dominance_share,
        "a phrase inside a longer accepted phrase of the same entity with at least this share of "
        "its votes is dropped",
        config::Range<double>{0.0, 1.0});
  b.key("llm_link", llm_link,
        "ask the LLM ([llm] endpoint) which entity the mentions the extractor could not link name, "
        "and use its answers as aliases (provenance llm in mined_aliases.tsv)");
  b.key("link_prompt_file", link_prompt_file,
        "the linking prompt template (relative: working directory, then beside the binary); its "
        "[user] section has {{count}} and {{mentions}}");
  b.key("link_candidates", link_candidates,
        "candidate entities per question, by the features their strings share with the mention",
        config::Range<int64_t>{1, 100});
  b.key("link_examples", link_examples, "example texts per question",
        config::Range<int64_t>{0, 10});
  b.key("link_questions_per_request", link_questions_per_request, "questions per LLM request",
        config::Range<int64_t>{1, 100});
  b.key(
      "link_max_questions", link_max_questions,
      "most questions per run, the most frequent mentions first (the rest are counted, not asked)",
      config::Range<int64_t>{0, 100000000});
  b.key("link_gap_max_chars", link_gap_max_chars,
        "a modifier of a longer entity this many characters or fewer before a mention makes a "
        "question (蓝莓 … 黄油: 蓝莓黄油 or 黄油?); 0: no such questions",
        config::Range<int64_t>{0, 64});
  b.key("link_texts", link_texts,
        "ask about whole texts in which nothing was found (the LLM names the words)");
  b.key("link_min_confidence", link_min_confidence,
        "least confidence of an answer that becomes an alias", config::Range<double>{0.0, 1.0});
  b.key("link_ask_below", link_ask_below,
        "a tagger span linked with an n-gram similarity below this (and at least "
        "link_threshold) is asked too, its linked entity among the candidates; at or below "
        "link_threshold: none",
        config::Range<double>{0.0, 1.0});
  b.key("link_batch_export", link_batch_export,
        "write the questions the journal does not answer to this OpenAI Batch API file instead "
        "of asking them (kerec extract --export-batch FILE sets it); after the batch, kerec "
        "extract --import-batch RESULTS and a run without this key use the answers");
  b.key("evaluate", evaluate,
        "evaluate against <input dir>/truth/mentions.tsv when that file exists");
}

TrainOptions ExtractConfig::train_options() const {
  if (link_ngram_min > link_ngram_max)
    throw ConfigError("key 'extract.link_ngram_min': larger than extract.link_ngram_max");
  if (fuzzy_min_chars == 1)  // one substituted character out of one is no evidence at all
    throw ConfigError("key 'extract.fuzzy_min_chars': 1 is not allowed; use 0 (off) or at least 2");
  if (mine_aliases && session_scenes.empty())
    throw ConfigError("key 'extract.session_scenes': empty while extract.mine_aliases = true");
  return {static_cast<uint32_t>(feature_bits), l2, static_cast<int>(max_iterations),
          static_cast<int>(lbfgs_memory), tolerance};
}

}  // namespace kerec::extract
