// Parses the raw lexicon tables into a Lexicon per language and checks their consistency.
#include "kerec/world/lexicon.h"

#include <cstdlib>
#include <map>

#include "kerec/util/error.h"
#include "kerec/world/text.h"

namespace kerec::world {

Language parse_language(const std::string& name) {
  if (name == "en") return Language::kEn;
  if (name == "zh") return Language::kZh;
  throw ConfigError("key 'world.language': '" + name + "' is not one of en, zh");
}

std::string Lexicon::join(const std::string& a, const std::string& b) const {
  return cjk() ? a + b : a + " " + b;
}

static std::vector<CategoryLex> raw_categories() {
  std::vector<CategoryLex> out;
  append_tech_categories(out);
  append_food_categories(out);
  append_living_categories(out);
  append_leisure_categories(out);
  return out;
}

static void fail(const std::string& what) { throw Error("world lexicon: " + what); }

static std::vector<std::string> aligned(const char* en, const char* zh, bool want_zh,
                                        const std::string& what) {
  std::vector<std::string> e = split(en, '|'), z = split(zh, '|');
  if (e.size() != z.size()) fail(what + ": English and Chinese lists differ in length");
  return want_zh ? z : e;
}

// "head:0.5;other:0.3" -> (head index, strength) pairs.
static std::vector<std::pair<int, double>> parse_complements(
    const std::string& text, const std::map<std::string, int>& heads, const std::string& owner) {
  std::vector<std::pair<int, double>> out;
  for (const std::string& item : split(text, ';')) {
    const size_t colon = item.rfind(':');
    const auto it = heads.find(item.substr(0, colon));
    const double strength = colon == std::string::npos ? 0 : std::atof(item.c_str() + colon + 1);
    if (it == heads.end() || strength <= 0 || strength > 1)
      fail("head '" + owner + "': bad complement '" + item + "'");
    out.emplace_back(it->second, strength);
  }
  return out;
}

static void parse_heads(const std::vector<CategoryLex>& raw, Lexicon& lex) {
  const bool zh = lex.cjk();
  std::map<std::string, int> index;
  for (const CategoryLex& c : raw) {
    for (const HeadLex& h : c.heads) {
      if (!index.emplace(h.en, static_cast<int>(index.size())).second)
        fail(std::string("duplicate head '") + h.en + "'");
    }
  }
  for (size_t ci = 0; ci < raw.size(); ++ci) {
    for (const HeadLex& h : raw[ci].heads) {
      Lexicon::Head head;
      head.name = zh ? h.zh : h.en;
      head.aliases = split(zh ? h.aliases_zh : h.aliases_en, '|');
      head.unseen = split(zh ? h.unseen_zh : h.unseen_en, '|');
      head.price = h.price;
      head.category = static_cast<int>(ci);
      head.substitute_tag = h.substitute_tag;
      head.complements = parse_complements(h.complements, index, h.en);
      lex.categories[ci].heads.push_back(static_cast<int>(lex.heads.size()));
      lex.heads.push_back(std::move(head));
    }
  }
}

static void parse_categories(const std::vector<CategoryLex>& raw, Lexicon& lex) {
  const bool zh = lex.cjk();
  for (const AttributeLex& a : attribute_table()) {
    lex.attributes.push_back(
        aligned(a.values_en, a.values_zh, zh, std::string("attribute ") + a.kind));
  }
  for (const CategoryLex& c : raw) {
    Lexicon::Category cat;
    cat.name = zh ? c.zh : c.en;
    cat.modifiers = aligned(c.modifiers_en, c.modifiers_zh, zh, std::string("category ") + c.en);
    lex.categories.push_back(std::move(cat));
  }
}

// "colour|size" -> attribute indices; at least two distinct kinds.
static std::vector<int> parse_kinds(const std::string& text, const std::string& owner) {
  std::vector<int> out;
  const auto& table = attribute_table();
  for (const std::string& kind : split(text, '|')) {
    size_t i = 0;
    while (i < table.size() && kind != table[i].kind) ++i;
    if (i == table.size()) fail(owner + ": unknown attribute " + kind);
    out.push_back(static_cast<int>(i));
  }
  if (out.size() < 2) fail(owner + ": needs two attributes");
  return out;
}

// Category defaults, then the per-head overrides.
static void parse_head_attributes(const std::vector<CategoryLex>& raw, Lexicon& lex) {
  std::map<std::string, int> index;
  int h = 0;
  for (const CategoryLex& c : raw) {
    const std::vector<int> kinds = parse_kinds(c.attribute_kinds, std::string("category ") + c.en);
    for (const HeadLex& head : c.heads) {
      index.emplace(head.en, h);
      lex.heads[h++].attribute_kinds = kinds;
    }
  }
  for (const HeadAttributesLex& o : head_attribute_table()) {
    const auto it = index.find(o.head);
    if (it == index.end()) fail(std::string("attributes of unknown head ") + o.head);
    lex.heads[it->second].attribute_kinds = parse_kinds(o.kinds, std::string("head ") + o.head);
  }
}

static void parse_affinity(const std::vector<CategoryLex>& raw, Lexicon& lex) {
  std::map<std::string, int> index;
  for (size_t i = 0; i < raw.size(); ++i) index.emplace(raw[i].en, static_cast<int>(i));
  lex.affinity.assign(raw.size(), std::vector<double>(raw.size(), 0.0));
  for (const AffinityLex& a : affinity_table()) {
    const auto from = index.find(a.from), to = index.find(a.to);
    if (from == index.end() || to == index.end() || from == to)
      fail(std::string("bad affinity ") + a.from + " -> " + a.to);
    lex.affinity[from->second][to->second] = a.weight;
  }
}

static void parse_words(Lexicon& lex) {
  const WordLists& w = word_lists(lex.language);
  lex.merchants = split(w.merchants, '|');
  lex.title_tags = split(w.title_tags, '|');
  lex.brand_prefixes = split(w.brand_prefixes, '|');
  lex.brand_suffixes = split(w.brand_suffixes, '|');
  lex.title_templates = split(w.title_templates, '|');
  lex.order_templates = split(w.order_templates, '|');
  lex.pos_templates = split(w.pos_templates, '|');
  for (const auto* list : {&lex.title_templates, &lex.order_templates, &lex.pos_templates}) {
    for (const std::string& t : *list) {
      if (t.find("{m}") == std::string::npos || t.find("{m}") != t.rfind("{m}"))
        fail("template '" + t + "' must contain {m} once");
    }
  }
}

static Lexicon build(Language language) {
  const std::vector<CategoryLex> raw = raw_categories();
  Lexicon lex;
  lex.language = language;
  parse_categories(raw, lex);
  parse_heads(raw, lex);
  parse_head_attributes(raw, lex);
  parse_affinity(raw, lex);
  parse_words(lex);
  return lex;
}

const Lexicon& lexicon(Language language) {
  if (language == Language::kZh) {
    static const Lexicon zh = build(Language::kZh);
    return zh;
  }
  static const Lexicon en = build(Language::kEn);
  return en;
}

}  // namespace kerec::world
