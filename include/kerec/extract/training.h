// Training the tagger on distant labels: the dictionary matcher's spans over the texts a rank
// holds.
//
// Only texts with at least one dictionary match are used: a text without one is unlabelled (its
// mention may be a misspelling or an unknown alias), not a negative example. A text whose match is
// next to a word that is near a dictionary word without being one ("organc wallet": the dictionary
// sees "wallet") is left out too: its distant label would call the misspelt word "outside". The
// known-token vocabulary is counted over all ranks' training texts (hash buckets, summed by
// allreduce); a share of the texts is masked (features.h). Which texts are sampled and masked is
// decided by a hash of each text's key (the text itself in the extract stage), so the training set
// is the same for any rank count and any ids.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/config.h"
#include "kerec/extract/crf_train.h"
#include "kerec/extract/features.h"

namespace kerec::extract {

struct TrainingText {
  std::vector<text::Token> tokens;
  std::vector<TokenSpan> dict;  // non-empty
  std::string key;              // what the draws hash, e.g. "items/text/<title>"
};

// A number in [0, 1) fixed by (purpose, key).
double draw(std::string_view purpose, std::string_view key);

enum class Label { kUsed, kSampledOut, kUnlabelled, kUnreliable };

// Local: appends `text` as a training text if the dictionary labels it reliably and the sample
// keeps it; says which.
Label add_training_text(const FeatureExtractor& features, const std::string& utf8, std::string key,
                        double sample_rate, std::vector<TrainingText>& out);

// Collective: the vocabulary, the masked sequences and the L-BFGS training.
CrfModel train_tagger(dist::Comm& comm, std::span<const TrainingText> local,
                      const FeatureExtractor& features, const ExtractConfig& config,
                      TrainStats* stats = nullptr);

}  // namespace kerec::extract
