// The [extract] table of the job: dictionary policies, tagger training and linking.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kerec/config/binder.h"
#include "kerec/extract/crf_train.h"
#include "kerec/extract/entity_dict.h"
#include "kerec/extract/phrase_rules.h"
#include "kerec/extract/session_votes.h"
#include "kerec/text/similarity.h"

namespace kerec::extract {

struct ExtractConfig {
  std::string dict_duplicate_id = "fail";  // "fail" | "keep_first"
  std::string dict_empty_name = "fail";    // "fail" | "skip"
  std::string dict_shared_alias = "fail";  // "fail" | "keep_first"
  bool tagger = true;                      // false: dictionary only
  std::vector<std::string> train_sources = {"items", "bills"};
  double train_sample_rate = 0.3;  // share of the dictionary-labelled texts trained on
  double mask_share = 0.5;         // share of training texts masked (features.h)
  int64_t vocab_min_count = 2;     // a token seen fewer times in training is "<unk>"
  int64_t feature_bits = 18;
  double l2 = 1.0;
  int64_t max_iterations = 40;
  int64_t lbfgs_memory = 8;
  double tolerance = 1e-4;
  double near_word_threshold = 0.5;  // n-gram similarity for the "near a dictionary word" flag
  double link_threshold = 0.5;       // n-gram similarity to link a tagger mention
  int64_t link_ngram_min = 2;
  int64_t link_ngram_max = 3;
  int64_t fuzzy_min_chars = 3;  // one-substitution matching of CJK strings this long; 0 off
  double fuzzy_max_ratio =
      0.25;                  // a substitution's character pairs at most this common vs the name's
  bool mine_aliases = true;  // alias mining (alias_mining.h); needs exposures.tsv
  std::vector<std::string> session_scenes = {"search"};
  int64_t session_gap_s = 60;
  int64_t vote_min = 2;  // session votes (session_votes.h)
  double vote_min_share = 0.5;
  int64_t rule_min_support = 2;  // alias rules (alias_mining.h)
  double rule_min_share = 0.6;
  bool phrase_rules = true;  // phrase rules (phrase_rules.h), with mine_aliases
  int64_t phrase_max_tokens = 3;
  int64_t phrase_max_cjk_chars = 6;
  int64_t phrase_min_support = 3;
  double phrase_min_share = 0.6;
  double phrase_max_context_share = 0.1;
  double phrase_min_lift = 2.0;
  double phrase_dominance_share = 0.8;
  // A mined alias matched in at least rule_min_support bills, more than this share of them beside
  // another entity's name, is dropped (alias_mining.h drop_context_aliases).
  double alias_max_bill_context_share = 0.5;
  // LLM linking (llm/link.h, docs/artifacts.md "LLM linking"): unknown mentions, a modifier of a
  // longer entity a few characters before a mention, and texts where nothing was found become
  // questions with candidate entities; the answers become aliases of provenance "llm".
  bool llm_link = true;
  std::string link_prompt_file = "data/prompts/link_v1.txt";
  int64_t link_candidates = 12;
  int64_t link_examples = 2;
  int64_t link_questions_per_request = 8;
  int64_t link_max_questions = 20000;
  int64_t link_gap_max_chars = 6;
  bool link_texts = true;
  double link_min_confidence = 0.5;
  double link_ask_below = 0.6;  // tagger links less similar than this are asked too ("doubtful")
  // Set: the questions the journal does not answer go to this OpenAI Batch API file instead of the
  // LLM (llm/link.h; `kerec extract --export-batch FILE` sets it); empty: asked live.
  std::string link_batch_export;
  bool evaluate = true;  // compare with <input dir>/truth/mentions.tsv if present

  void bind(config::Binder& b);
  DictPolicy dict_policy() const { return {dict_duplicate_id, dict_empty_name, dict_shared_alias}; }
  TrainOptions train_options() const;
  SessionVoteOptions vote_options() const {
    return {session_scenes, session_gap_s, vote_min, vote_min_share};
  }
  PhraseRuleOptions phrase_options() const {
    return {static_cast<int32_t>(phrase_max_tokens),
            static_cast<int32_t>(phrase_max_cjk_chars),
            phrase_min_support,
            phrase_min_share,
            phrase_max_context_share,
            phrase_min_lift,
            phrase_dominance_share};
  }
  text::NgramOrders link_orders() const {
    return {static_cast<int>(link_ngram_min), static_cast<int>(link_ngram_max)};
  }
};

}  // namespace kerec::extract
