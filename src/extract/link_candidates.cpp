#include "kerec/extract/link_candidates.h"

#include <algorithm>
#include <cmath>

#include "kerec/text/normalize.h"
#include "kerec/util/rng.h"

namespace kerec::extract {
namespace {

uint64_t feature_hash(std::u32string_view s) {
  return hash64(
      std::string_view(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(char32_t)));
}

}  // namespace

std::vector<uint64_t> CandidateIndex::features(std::u32string_view s) {
  std::vector<uint64_t> out;
  size_t i = 0;
  while (i < s.size()) {
    const auto cls = text::classify(s[i]);
    if (cls == text::CharClass::kCjk) {
      out.push_back(feature_hash(s.substr(i, 1)));
      ++i;
      continue;
    }
    if (cls != text::CharClass::kWord) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && text::classify(s[end]) == text::CharClass::kWord) ++end;
    const std::u32string word = U"^" + std::u32string(s.substr(i, end - i)) + U"$";
    for (size_t k = 0; k + 3 <= word.size(); ++k)
      out.push_back(feature_hash(std::u32string_view(word).substr(k, 3)));
    i = end;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double CandidateIndex::idf(size_t df) const {
  return std::log((entities_ + 1.0) / (static_cast<double>(df) + 0.5));
}

CandidateIndex::CandidateIndex(const EntityDict& dict) {
  const auto& entities = dict.entities();
  entities_ = static_cast<double>(entities.size());
  std::vector<std::vector<uint64_t>> own(entities.size());
  for (size_t e = 0; e < entities.size(); ++e) {
    auto& f = own[e];
    f = features(text::normalize(entities[e].name));
    for (const auto& alias : entities[e].aliases) {
      const auto more = features(text::normalize(alias));
      f.insert(f.end(), more.begin(), more.end());
    }
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    for (uint64_t h : f) postings_[h].push_back(static_cast<int32_t>(e));
  }
  norm_.assign(entities.size(), 1.0);
  for (size_t e = 0; e < entities.size(); ++e) {
    double sum = 0;
    for (uint64_t h : own[e]) sum += idf(postings_[h].size());
    norm_[e] = std::sqrt(std::max(sum, 1e-9));
  }
}

std::vector<int32_t> CandidateIndex::top(std::string_view mention, size_t n) const {
  std::unordered_map<int32_t, double> score;
  for (uint64_t h : features(text::normalize(mention))) {
    auto it = postings_.find(h);
    if (it == postings_.end()) continue;
    const double w = idf(it->second.size());
    for (int32_t e : it->second) score[e] += w;
  }
  std::vector<std::pair<double, int32_t>> ranked;
  ranked.reserve(score.size());
  for (const auto& [e, s] : score) ranked.emplace_back(-s / norm_[static_cast<size_t>(e)], e);
  const size_t k = std::min(n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<ptrdiff_t>(k), ranked.end());
  std::vector<int32_t> out;
  for (size_t i = 0; i < k; ++i) out.push_back(ranked[i].second);
  return out;
}

}  // namespace kerec::extract
