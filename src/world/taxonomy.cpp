// Entity names, aliases, popularity, prices, substitute groups and brands.
#include "kerec/world/taxonomy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>

#include "kerec/util/error.h"
#include "kerec/world/sampling.h"

namespace kerec::world {

// A head with 0-3 modifiers (indices into its category's modifiers, ascending; -1 unused).
struct NameCandidate {
  int32_t head;
  std::array<int16_t, 3> mods;
  int level() const { return (mods[0] >= 0) + (mods[1] >= 0) + (mods[2] >= 0); }
};

static int64_t choose(int64_t n, int k) {
  int64_t r = 1;
  for (int i = 0; i < k; ++i) r = r * (n - i) / (i + 1);
  return r;
}

int64_t entity_capacity(const Lexicon& lex) {
  int64_t total = 0;
  for (const Lexicon::Head& h : lex.heads) {
    const int64_t m = static_cast<int64_t>(lex.categories[h.category].modifiers.size());
    total += 1 + m + choose(m, 2) + choose(m, 3);
  }
  return total;
}

// All candidates with exactly `level` modifiers, in a seeded random order.
static std::vector<NameCandidate> candidates(const Lexicon& lex, int level, Rng& rng) {
  std::vector<NameCandidate> out;
  for (size_t h = 0; h < lex.heads.size(); ++h) {
    const int m = static_cast<int>(lex.categories[lex.heads[h].category].modifiers.size());
    const int16_t none = -1;
    if (level == 0) out.push_back({int32_t(h), {none, none, none}});
    for (int16_t a = 0; level >= 1 && a < m; ++a) {
      if (level == 1) out.push_back({int32_t(h), {a, none, none}});
      for (int16_t b = a + 1; level >= 2 && b < m; ++b) {
        if (level == 2) out.push_back({int32_t(h), {a, b, none}});
        for (int16_t c = b + 1; level == 3 && c < m; ++c) out.push_back({int32_t(h), {a, b, c}});
      }
    }
  }
  shuffle_in_place(out, rng);
  return out;
}

// The modifiers of `c` joined, or "" at level 0; then `base` appended the language's way.
static std::string compose(const Lexicon& lex, const NameCandidate& c, const std::string& base) {
  const auto& mods = lex.categories[lex.heads[c.head].category].modifiers;
  std::string out;
  for (int16_t m : c.mods) {
    if (m >= 0) out = out.empty() ? mods[m] : lex.join(out, mods[m]);
  }
  return out.empty() ? base : lex.join(out, base);
}

static void add_entity(Taxonomy& t, const NameCandidate& c, std::string name,
                       const WorldConfig& config, Rng& rng) {
  const Lexicon& lex = *t.lex;
  const Lexicon::Head& head = lex.heads[c.head];
  Entity e;
  e.id = static_cast<int32_t>(t.entities.size());
  e.category = head.category;
  e.head = c.head;
  e.level = c.level();
  e.name = std::move(name);
  t.dict.add(e.name);
  std::vector<std::string> aliases = head.aliases;
  shuffle_in_place(aliases, rng);
  const int64_t most = std::min<int64_t>(config.dict_aliases_max, aliases.size());
  const int64_t least = e.level == 0 ? std::min<int64_t>(1, most) : 0;
  const int64_t count = rng.uniform_range(least, most);
  for (int64_t i = 0; i < count; ++i) {
    std::string alias = compose(lex, c, aliases[i]);
    if (t.dict.add(alias)) e.aliases.push_back(std::move(alias));
  }
  e.price_median = std::max(
      0.5, std::round(head.price * rng.lognormal(0.0, 0.25) * (1.0 + 0.1 * e.level) * 100) / 100);
  t.entities.push_back(std::move(e));
}

static void name_entities(Taxonomy& t, const WorldConfig& config, int64_t count) {
  Rng rng(config.seed, "entity_names");
  for (int level = 0; level <= 3 && static_cast<int64_t>(t.entities.size()) < count; ++level) {
    for (const NameCandidate& c : candidates(*t.lex, level, rng)) {
      if (static_cast<int64_t>(t.entities.size()) == count) break;
      std::string name = compose(*t.lex, c, t.lex->heads[c.head].name);
      if (!t.dict.contains(name)) add_entity(t, c, std::move(name), config, rng);
    }
  }
  if (static_cast<int64_t>(t.entities.size()) < count)
    throw ConfigError("key 'world.entities': " + std::to_string(count) +
                      " entities (after scale) exceed the " + std::to_string(t.entities.size()) +
                      " the lexicon can name");
}

// 1-2 aliases per entity that are neither dictionary strings nor another entity's unseen alias.
static void add_unseen_aliases(Taxonomy& t, const WorldConfig& config) {
  DictIndex used(t.lex->cjk());
  for (Entity& e : t.entities) {
    Rng rng(config.seed, "unseen_aliases", e.id);
    const std::string prefix =
        e.level == 0 ? "" : e.name.substr(0, e.name.size() - t.lex->heads[e.head].name.size());
    std::vector<std::string> options = t.lex->heads[e.head].unseen;
    shuffle_in_place(options, rng);
    const size_t want = 1 + rng.bernoulli(0.5);
    for (const std::string& o : options) {
      std::string alias = prefix + o;
      if (e.unseen.size() < want && !t.dict.contains(alias) && used.add(alias))
        e.unseen.push_back(alias);
    }
  }
}

// Zipf over a seeded order that favours short (level 0) names: key = level + 2 * uniform.
static void assign_popularity(Taxonomy& t, const WorldConfig& config) {
  Rng rng(config.seed, "popularity");
  std::vector<std::pair<double, int32_t>> order;
  for (const Entity& e : t.entities) order.emplace_back(e.level + 2.0 * rng.uniform(), e.id);
  std::sort(order.begin(), order.end());
  double total = 0;
  for (size_t r = 0; r < order.size(); ++r) {
    double& p = t.entities[order[r].second].popularity;
    p = std::pow(static_cast<double>(r + 1), -config.zipf_exponent);
    total += p;
  }
  for (Entity& e : t.entities) e.popularity /= total;
}

// Entities of one category whose heads share a substitute tag (or the same head) are alternatives.
static void group_substitutes(Taxonomy& t) {
  std::map<std::pair<int, std::string>, std::vector<int32_t>> groups;
  for (const Entity& e : t.entities) {
    const std::string& tag = t.lex->heads[e.head].substitute_tag;
    groups[{e.category, tag.empty() ? "#" + std::to_string(e.head) : tag}].push_back(e.id);
  }
  for (auto& [key, members] : groups) {
    if (members.size() >= 2) t.substitute_groups.push_back(std::move(members));
  }
  std::sort(t.substitute_groups.begin(), t.substitute_groups.end());
  for (size_t g = 0; g < t.substitute_groups.size(); ++g) {
    for (int32_t id : t.substitute_groups[g])
      t.entities[id].substitute_group = static_cast<int32_t>(g);
  }
}

// Brand names from syllables: unique, and never containing a dictionary string.
static void make_brands(Taxonomy& t, const WorldConfig& config) {
  const Lexicon& lex = *t.lex;
  Rng rng(config.seed, "brands");
  DictIndex used(lex.cjk());
  t.brands.resize(lex.categories.size());
  for (auto& list : t.brands) {
    for (int tries = 0;
         tries < 2000 && static_cast<int64_t>(list.size()) < config.brands_per_category; ++tries) {
      std::string brand = lex.brand_prefixes[rng.uniform_int(lex.brand_prefixes.size())] +
                          lex.brand_suffixes[rng.uniform_int(lex.brand_suffixes.size())];
      if (!t.dict.has_match_outside(brand, 0, 0) && used.add(brand))
        list.push_back(std::move(brand));
    }
    if (list.empty()) throw Error("world: could not name any brand");
  }
}

Taxonomy build_taxonomy(const WorldConfig& config, const WorldSizes& sizes) {
  Taxonomy t;
  t.lex = &lexicon(parse_language(config.language));
  t.dict = DictIndex(t.lex->cjk());
  name_entities(t, config, sizes.entities);
  add_unseen_aliases(t, config);
  assign_popularity(t, config);
  group_substitutes(t);
  make_brands(t, config);
  t.head_entities.resize(t.lex->heads.size());
  t.category_entities.resize(t.lex->categories.size());
  for (const Entity& e : t.entities) {
    t.head_entities[e.head].push_back(e.id);
    t.category_entities[e.category].push_back(e.id);
  }
  return t;
}

}  // namespace kerec::world
