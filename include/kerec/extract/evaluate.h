// Evaluation of extracted mentions against gold spans (the synthetic world's truth/mentions.tsv),
// separately by the kind of the gold mention: dictionary name, dictionary alias, misspelling, and
// alias missing from the dictionary.
//
// Per row (an item or a bill): each predicted mention is attributed to the kind of the gold mention
// it overlaps, else to the kind of the row's first gold mention (rows without gold count their
// predictions under `unattributed`).
//   spans: a predicted span is correct when (begin, end) equals a gold span of that kind;
//   links: the row's distinct predicted entities against its distinct gold entities; a link is
//          correct when the entity is a gold entity of the row.
// precision = correct / predicted, recall = correct / gold, F1 their harmonic mean (0 when
// undefined).
#pragma once
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "kerec/dist/comm.h"
#include "kerec/extract/extractor.h"

namespace kerec::extract {

enum GoldKind : uint8_t { kName = 0, kAlias, kMisspelling, kUnseenAlias };
inline constexpr int kGoldKinds = 4;

// "name", "alias", "misspelling", "unseen_alias" -> kind; -1 for anything else.
int gold_kind_of(std::string_view kind);
const char* gold_kind_name(int kind);

struct GoldMention {
  int32_t begin = 0;
  int32_t end = 0;
  int32_t entity = -1;
  uint8_t kind = kName;
};

class Evaluator {
 public:
  void add_row(std::span<const GoldMention> gold, std::span<const Mention> predicted);

  // Collective: sums the counts of every rank.
  void combine(dist::Comm& comm);

  // {"name": {...}, "alias": ..., "dict": ..., "misspelling": ..., "unseen_alias": ..., "all":
  // ...}, each with span and link precision/recall/F1 and the counts.
  nlohmann::json report() const;
  // Entity-link F1 over the given kinds together.
  double link_f1(std::initializer_list<int> kinds) const;

 private:
  enum Count { kSpanGold, kSpanPred, kSpanHit, kLinkGold, kLinkPred, kLinkHit, kCounts };
  std::array<std::array<int64_t, kCounts>, kGoldKinds> counts_{};
  int64_t unattributed_ = 0;
  nlohmann::json describe(std::initializer_list<int> kinds) const;
};

}  // namespace kerec::extract
