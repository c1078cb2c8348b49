// How texts mention entities: the surface form (name, dict alias, misspelling, unseen alias) and
// the templates of item titles and bill texts, with the gold span of the mention.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kerec/world/taxonomy.h"

namespace kerec::world {

enum class MentionKind : uint8_t { kName, kAlias, kMisspelling, kUnseenAlias };
// "name", "alias", "misspelling", "unseen_alias" (the `kind` column of truth/mentions.tsv).
const char* mention_kind_name(MentionKind kind);

struct MentionRates {
  double alias = 0, misspelling = 0, unseen = 0;  // the rest uses the name
  TypoMix typos;                                  // the kinds of misspelling
};

struct Mention {
  std::string text;
  MentionKind kind = MentionKind::kName;
};

// Draws the form in which `entity` is mentioned. Falls back to the name when the entity has no
// alias of the drawn kind or its name cannot be misspelt (e.g. "tv").
Mention draw_mention(const Taxonomy& t, const Entity& entity, const MentionRates& rates, Rng& rng);

// A text with the gold span of its one mention, in bytes and in code points ([start, end)).
struct SpanText {
  std::string text;
  size_t begin_byte = 0, end_byte = 0;
  int32_t start_cp = 0, end_cp = 0;
};

// The non-mention parts of a text; see the template placeholders in lexicon_words.cpp.
struct TextFields {
  std::string_view brand, merchant, attribute, attribute2, tag;
  int64_t quantity = 1;
  int64_t number = 0;  // order or store number
};

// Fills `templ` into `out` (cleared first) and records the span of {m}.
void expand_template(std::string_view templ, std::string_view mention, const TextFields& fields,
                     SpanText& out);

// Builds an item title for `mention`: random template, brand and attributes of the category,
// retried until no dictionary string appears outside the mention (then "{brand} {mention}",
// then the mention alone).
SpanText compose_title(const Taxonomy& t, const Entity& entity, std::string_view brand,
                       std::string_view mention, Rng& rng);

// Builds a bill text: an in-app order (`in_app`) or a purchase elsewhere (POS/card), with the
// same guarantee as compose_title.
SpanText compose_bill(const Taxonomy& t, const Entity& entity, std::string_view brand,
                      std::string_view mention, int64_t quantity, bool in_app, Rng& rng);

}  // namespace kerec::world
