#include "kerec/world/mention.h"

#include <charconv>

namespace kerec::world {

const char* mention_kind_name(MentionKind kind) {
  switch (kind) {
    case MentionKind::kName:
      return "name";
    case MentionKind::kAlias:
      return "alias";
    case MentionKind::kMisspelling:
      return "misspelling";
    case MentionKind::kUnseenAlias:
      return "unseen_alias";
  }
  return "name";
}

template <class T>
static const T& pick(const std::vector<T>& v, Rng& rng) {
  return v[rng.uniform_int(v.size())];
}

Mention draw_mention(const Taxonomy& t, const Entity& e, const MentionRates& rates, Rng& rng) {
  const double u = rng.uniform();
  if (u < rates.alias) {
    if (!e.aliases.empty()) return {pick(e.aliases, rng), MentionKind::kAlias};
  } else if (u < rates.alias + rates.misspelling) {
    std::string typo = misspell(e.name, t.lex->cjk(), t.dict, rng, rates.typos);
    if (typo.empty() && !e.aliases.empty())
      typo = misspell(pick(e.aliases, rng), t.lex->cjk(), t.dict, rng, rates.typos);
    if (!typo.empty()) return {std::move(typo), MentionKind::kMisspelling};
  } else if (u < rates.alias + rates.misspelling + rates.unseen) {
    if (!e.unseen.empty()) return {pick(e.unseen, rng), MentionKind::kUnseenAlias};
  }
  return {e.name, MentionKind::kName};
}

static std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

static void append_int(std::string& out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

void expand_template(std::string_view templ, std::string_view mention, const TextFields& f,
                     SpanText& out) {
  out.text.clear();
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '{' || i + 2 >= templ.size() || templ[i + 2] != '}') {
      out.text += templ[i];
      continue;
    }
    switch (templ[i + 1]) {
      case 'm':
        out.begin_byte = out.text.size();
        out.text += mention;
        out.end_byte = out.text.size();
        break;
      case 'b':
        out.text += f.brand;
        break;
      case 'B':
        out.text += upper(f.brand);
        break;
      case 'M':
        out.text += f.merchant;
        break;
      case 'a':
        out.text += f.attribute;
        break;
      case 'A':
        out.text += f.attribute2;
        break;
      case 't':
        out.text += f.tag;
        break;
      case 'q':
        append_int(out.text, f.quantity);
        break;
      case 'o':
        append_int(out.text, f.number);
        break;
      default:
        out.text.append(templ.substr(i, 3));
    }
    i += 2;
  }
  out.start_cp =
      static_cast<int32_t>(utf8_length(std::string_view(out.text).substr(0, out.begin_byte)));
  out.end_cp = out.start_cp + static_cast<int32_t>(utf8_length(mention));
}

// Two values of two different attribute kinds of the entity's head.
static void draw_attributes(const Taxonomy& t, const Entity& e, TextFields& f, Rng& rng) {
  const auto& kinds = t.lex->heads[e.head].attribute_kinds;
  const size_t k1 = rng.uniform_int(kinds.size());
  const size_t k2 = (k1 + 1 + rng.uniform_int(kinds.size() - 1)) % kinds.size();
  f.attribute = pick(t.lex->attributes[kinds[k1]], rng);
  f.attribute2 = pick(t.lex->attributes[kinds[k2]], rng);
}

// Expands templates drawn by `draw` until the text is clean; then the fallbacks.
template <class Draw>
static SpanText compose_clean(const Taxonomy& t, std::string_view brand, std::string_view mention,
                              Draw draw) {
  SpanText out;
  TextFields f;
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string_view templ = draw(f);
    expand_template(templ, mention, f, out);
    if (!t.dict.has_match_outside(out.text, out.begin_byte, out.end_byte)) return out;
  }
  f.brand = brand;
  expand_template(t.lex->cjk() ? "{b}{m}" : "{b} {m}", mention, f, out);
  if (!t.dict.has_match_outside(out.text, out.begin_byte, out.end_byte)) return out;
  expand_template("{m}", mention, f, out);
  return out;
}

SpanText compose_title(const Taxonomy& t, const Entity& e, std::string_view brand,
                       std::string_view mention, Rng& rng) {
  return compose_clean(t, brand, mention, [&](TextFields& f) -> std::string_view {
    f.brand = brand;
    draw_attributes(t, e, f, rng);
    f.tag = pick(t.lex->title_tags, rng);
    return pick(t.lex->title_templates, rng);
  });
}

SpanText compose_bill(const Taxonomy& t, const Entity& e, std::string_view brand,
                      std::string_view mention, int64_t quantity, bool in_app, Rng& rng) {
  return compose_clean(t, brand, mention, [&](TextFields& f) -> std::string_view {
    f.brand = brand;
    f.merchant = pick(t.lex->merchants, rng);
    draw_attributes(t, e, f, rng);
    f.quantity = quantity;
    f.number = rng.uniform_range(100000, 99999999);
    return pick(in_app ? t.lex->order_templates : t.lex->pos_templates, rng);
  });
}

}  // namespace kerec::world
