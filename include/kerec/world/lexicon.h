// The world's vocabulary: categories, head concepts (product nouns with aliases), modifiers,
// attributes, merchants and brand syllables, in English and Chinese. Embedded in the binary.
//
// Raw tables (`*Lex`, string literals, '|'-separated lists) are parsed once per language into a
// `Lexicon`. Entities are composed from it: a head ("earbuds") alone or with one to three of its
// category's modifiers ("wireless earbuds").
#pragma once

#include <string>
#include <vector>

namespace kerec::world {

// One head concept. List fields are '|'-separated; `complements` is "head:strength;..." naming
// other heads by their English name (directed: after buying this, the user needs that).
struct HeadLex {
  const char* en;
  const char* zh;
  const char* aliases_en;  // dictionary synonyms and abbreviations
  const char* aliases_zh;
  const char* unseen_en;  // names that are never put in the Entity Dict
  const char* unseen_zh;
  double price;                // typical price, currency units
  const char* substitute_tag;  // heads of one category sharing a tag are alternatives
  const char* complements;
};

struct CategoryLex {
  const char* en;
  const char* zh;
  const char* modifiers_en;  // same count and order as modifiers_zh
  const char* modifiers_zh;
  const char* attribute_kinds;  // default AttributeLex::kind values of its heads
  std::vector<HeadLex> heads;
};

struct AttributeLex {
  const char* kind;
  const char* values_en;  // same count and order as values_zh
  const char* values_zh;
};

// Attribute kinds of one head, replacing its category's default `attribute_kinds`.
struct HeadAttributesLex {
  const char* head;   // English head name
  const char* kinds;  // '|'-separated AttributeLex::kind values, at least two
};

// Directed category affinity for complements: after buying in `from`, needs in `to`.
struct AffinityLex {
  const char* from;
  const char* to;
  double weight;
};

// The raw tables, split by theme over lexicon_*.cpp.
void append_tech_categories(std::vector<CategoryLex>& out);
void append_food_categories(std::vector<CategoryLex>& out);
void append_living_categories(std::vector<CategoryLex>& out);
void append_leisure_categories(std::vector<CategoryLex>& out);
const std::vector<AttributeLex>& attribute_table();
const std::vector<AffinityLex>& affinity_table();
const std::vector<HeadAttributesLex>& head_attribute_table();

enum class Language { kEn, kZh };
Language parse_language(const std::string& name);

// The parsed lexicon in one language. Indices are stable and identical for both languages.
struct Lexicon {
  struct Head {
    std::string name;
    std::vector<std::string> aliases, unseen;
    double price = 0;
    int category = 0;
    std::string substitute_tag;
    std::vector<std::pair<int, double>> complements;  // (head index, strength)
    std::vector<int> attribute_kinds;                 // indices into attributes, at least two
  };
  struct Category {
    std::string name;
    std::vector<std::string> modifiers;
    std::vector<int> heads;  // indices into heads
  };
  Language language = Language::kEn;
  std::vector<Category> categories;
  std::vector<Head> heads;
  std::vector<std::vector<std::string>> attributes;  // values per attribute kind
  std::vector<std::vector<double>> affinity;         // [from][to], off-diagonal weights
  std::vector<std::string> merchants, title_tags, brand_prefixes, brand_suffixes;
  // Text templates (see lexicon_words.cpp): item titles, in-app order bills, outside-purchase
  // bills.
  std::vector<std::string> title_templates, order_templates, pos_templates;

  bool cjk() const { return language == Language::kZh; }
  // Words joined the language's way: "wireless" + "earbuds" -> "wireless earbuds" / "无线耳机".
  std::string join(const std::string& a, const std::string& b) const;
};

// Parsed once, then shared. Throws kerec::Error if the tables are inconsistent (a bug).
const Lexicon& lexicon(Language language);

// Word lists of lexicon_words.cpp, per language.
struct WordLists {
  const char* merchants;
  const char* title_tags;
  const char* brand_prefixes;
  const char* brand_suffixes;
  const char* title_templates;
  const char* order_templates;
  const char* pos_templates;
};
const WordLists& word_lists(Language language);
// zh misspellings: pairs "ab|cd|..." where b is a look-alike or sound-alike of a.
const char* similar_char_pairs();
// Common characters used when a character has no entry in similar_char_pairs().
const char* common_chars();

}  // namespace kerec::world
