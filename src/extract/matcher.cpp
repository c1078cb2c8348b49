#include "kerec/extract/matcher.h"

namespace kerec::extract {
namespace {

uint64_t edge_key(int32_t node, int32_t token) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(node)) << 32) | static_cast<uint32_t>(token);
}

}  // namespace

DictMatcher::DictMatcher(const EntityDict& dict) : DictMatcher(dict, {}) {}

DictMatcher::DictMatcher(const EntityDict& dict, std::span<const MinedAlias> mined) {
  node_entity_.push_back(-1);  // the root
  node_mined_.push_back(0);
  auto add = [&](const std::string& s, int32_t entity) {
    const auto tokens = text::tokenize_utf8(s);
    if (tokens.empty()) return;
    insert(tokens, entity, false);  // the dict already resolved conflicts: the first string wins
    strings_.emplace_back(text::join(tokens), entity);
  };
  const auto& entities = dict.entities();
  for (size_t e = 0; e < entities.size(); ++e) {
    add(entities[e].name, static_cast<int32_t>(e));
    for (const auto& a : entities[e].aliases) add(a, static_cast<int32_t>(e));
  }
  for (const auto& m : mined) insert(text::tokenize(m.text), m.entity, true);
}

void DictMatcher::insert(std::span<const text::Token> tokens, int32_t entity, bool mined) {
  if (tokens.empty()) return;
  int32_t node = 0;
  for (const auto& t : tokens) {
    const auto id = vocab_.emplace(t.text, static_cast<int32_t>(vocab_.size())).first->second;
    const auto [it, added] =
        edges_.emplace(edge_key(node, id), static_cast<int32_t>(node_entity_.size()));
    if (added) node_entity_.push_back(-1), node_mined_.push_back(0);
    node = it->second;
  }
  if (node_entity_[node] >= 0) return;
  node_entity_[node] = entity;
  node_mined_[node] = mined;
}

int32_t DictMatcher::child(int32_t node, int32_t token) const {
  const auto it = edges_.find(edge_key(node, token));
  return it == edges_.end() ? -1 : it->second;
}

std::vector<TokenSpan> DictMatcher::match(std::span<const text::Token> tokens) const {
  std::vector<int32_t> ids(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto it = vocab_.find(tokens[i].text);
    ids[i] = it == vocab_.end() ? -1 : it->second;
  }
  std::vector<TokenSpan> spans;
  const auto n = static_cast<int32_t>(tokens.size());
  for (int32_t i = 0; i < n;) {
    TokenSpan best{i, i, -1};
    for (int32_t j = i, node = 0; j < n && ids[j] >= 0; ++j) {
      node = child(node, ids[j]);
      if (node < 0) break;
      if (node_entity_[node] >= 0)
        best = TokenSpan{i, j + 1, node_entity_[node], node_mined_[node] != 0};
    }
    if (best.entity >= 0) {
      spans.push_back(best);
      i = best.last;
    } else {
      ++i;
    }
  }
  return spans;
}

}  // namespace kerec::extract
