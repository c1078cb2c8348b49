#include "kerec/text/similarity.h"

#include <algorithm>

namespace kerec::text {
namespace {

constexpr char32_t kBoundary = 0x2;  // padding mark; never part of a normalised string

uint64_t gram_hash(const char32_t* p, int n) {
  uint64_t h = 0xcbf29ce484222325ULL ^ static_cast<uint64_t>(n);
  for (int i = 0; i < n; ++i) {
    h ^= static_cast<uint64_t>(p[i]);
    h *= 0x100000001b3ULL;
    h ^= h >> 29;
  }
  return h;
}

}  // namespace

std::vector<uint64_t> ngram_profile(std::u32string_view s, NgramOrders orders) {
  std::u32string padded;
  padded.reserve(s.size() + 2);
  padded.push_back(kBoundary);
  padded.append(s);
  padded.push_back(kBoundary);
  std::vector<uint64_t> grams;
  for (int n = orders.n_min; n <= orders.n_max; ++n)
    for (size_t i = 0; i + n <= padded.size(); ++i)
      grams.push_back(gram_hash(padded.data() + i, n));
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

double dice(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j])
      ++common, ++i, ++j;
    else if (a[i] < b[j])
      ++i;
    else
      ++j;
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

double similarity(std::u32string_view a, std::u32string_view b, NgramOrders orders) {
  return dice(ngram_profile(a, orders), ngram_profile(b, orders));
}

int32_t NgramIndex::add(std::u32string_view s, int32_t id) {
  const auto number = static_cast<int32_t>(ids_.size());
  const auto grams = ngram_profile(s, orders_);
  for (uint64_t g : grams) postings_[g].push_back(number);
  ids_.push_back(id);
  profile_sizes_.push_back(static_cast<uint32_t>(grams.size()));
  return number;
}

NgramIndex::Hit NgramIndex::best(std::u32string_view query) const {
  const auto grams = ngram_profile(query, orders_);
  // Dense counts, one slot per string, zero between calls: only the touched slots are reset, so a
  // query costs what its n-grams' postings hold, not the index size (a fresh vector per query
  // made linking slow down as the dictionary grew). Per thread: best() may run on several.
  thread_local std::vector<uint32_t> shared;
  thread_local std::vector<int32_t> touched;
  if (shared.size() < ids_.size()) shared.resize(ids_.size(), 0);
  touched.clear();
  for (uint64_t g : grams) {
    const auto it = postings_.find(g);
    if (it == postings_.end()) continue;
    for (int32_t s : it->second)
      if (shared[s]++ == 0) touched.push_back(s);
  }
  Hit hit;
  for (int32_t s : touched) {
    const double score = 2.0 * shared[s] / static_cast<double>(grams.size() + profile_sizes_[s]);
    if (score > hit.score || (score == hit.score && s < hit.string)) hit = Hit{s, ids_[s], score};
    shared[s] = 0;
  }
  return hit;
}

}  // namespace kerec::text
