#include "kerec/pairs/strategy.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::pairs {
namespace {

ConfigError key_error(const std::string& key, const std::string& what) {
  return ConfigError("key 'pairs." + key + "': " + what);
}

// "all" → 1, "none" → 0, "sample:R" → R in (0, 1); ConfigError otherwise.
double parse_cell(const std::string& cell, size_t index) {
  if (cell == "all") return 1.0;
  if (cell == "none") return 0.0;
  const std::string prefix = "sample:";
  double rate = -1.0;
  if (cell.rfind(prefix, 0) == 0) {
    const char* begin = cell.data() + prefix.size();
    const char* end = cell.data() + cell.size();
    auto [ptr, ec] = std::from_chars(begin, end, rate);
    if (ec != std::errc() || ptr != end) rate = -1.0;
  }
  if (!(rate > 0.0 && rate < 1.0))
    throw key_error("strategy", "cell " + std::to_string(index) + " is '" + cell +
                                    "'; expected \"all\", \"none\" or \"sample:R\" with 0 < R < 1");
  return rate;
}

}  // namespace

int owner_of(uint64_t key, int ranks) {
  return static_cast<int>(mix64(key ^ 0x70a1c5d3e9b2f407ULL) % static_cast<uint64_t>(ranks));
}

bool sampled(uint64_t key, uint64_t seed, double rate) {
  const uint64_t h = mix64(key ^ mix64(seed + 0x5a3c9e17d2b4f681ULL));
  return static_cast<double>(h >> 11) * 0x1.0p-53 < rate;
}

Segmentation segment_by_traffic(std::span<const int64_t> traffic,
                                std::span<const double> boundaries) {
  std::vector<int32_t> order(traffic.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t x, int32_t y) { return traffic[x] > traffic[y]; });
  const int64_t total = std::accumulate(traffic.begin(), traffic.end(), int64_t{0});
  Segmentation s;
  s.segment_of.assign(traffic.size(), 0);
  s.sizes.assign(boundaries.size() + 1, 0);
  s.traffic.assign(boundaries.size() + 1, 0);
  int64_t before = 0;
  int segment = 0;
  for (int32_t e : order) {
    // share before e, compared exactly as before >= boundary * total in double
    while (total > 0 && segment < static_cast<int>(boundaries.size()) &&
           static_cast<double>(before) >= boundaries[segment] * static_cast<double>(total))
      ++segment;
    s.segment_of[e] = segment;
    ++s.sizes[segment];
    s.traffic[segment] += traffic[e];
    before += traffic[e];
  }
  return s;
}

void validate(const PairsConfig& c) {
  const size_t segments = c.segment_boundaries.size() + 1;
  for (size_t i = 1; i < c.segment_boundaries.size(); ++i)
    if (!(c.segment_boundaries[i] > c.segment_boundaries[i - 1]))
      throw key_error("segment_boundaries", "values must increase");
  if (c.segment_names.size() != segments)
    throw key_error("segment_names", "has " + std::to_string(c.segment_names.size()) +
                                         " names for " + std::to_string(segments) +
                                         " segments (segment_boundaries + 1)");
  if (c.strategy.size() != segments * segments)
    throw key_error("strategy", "has " + std::to_string(c.strategy.size()) + " cells; " +
                                    std::to_string(segments) + " segments need " +
                                    std::to_string(segments * segments));
  parse_strategy(c);
  if (c.cooccur_min_count > 0 && !(c.cooccur_window_h > 0.0))
    throw key_error("cooccur_window_h", "must be > 0 when cooccur_min_count > 0");
}

StrategyMatrix parse_strategy(const PairsConfig& c) {
  StrategyMatrix m;
  m.segments = static_cast<int>(c.segment_boundaries.size() + 1);
  for (size_t i = 0; i < c.strategy.size(); ++i) m.rate.push_back(parse_cell(c.strategy[i], i));
  if (m.rate.size() != static_cast<size_t>(m.segments * m.segments))
    throw key_error("strategy", "needs " + std::to_string(m.segments * m.segments) + " cells");
  return m;
}

CategoryExclusions parse_exclusions(const PairsConfig& c, const std::vector<std::string>& names) {
  CategoryExclusions x;
  x.categories = static_cast<int>(names.size());
  x.excluded.assign(names.size() * names.size(), 0);
  auto match = [&](const std::string& pattern, const std::string& rule) {
    std::vector<int> ids;
    for (size_t i = 0; i < names.size(); ++i)
      if (pattern == "*" || names[i] == pattern) ids.push_back(static_cast<int>(i));
    if (ids.empty())
      throw key_error("exclude_categories",
                      "rule '" + rule + "': no category '" + pattern + "' in the Entity Dict");
    return ids;
  };
  for (const auto& rule : c.exclude_categories) {
    const size_t gt = rule.find('>');
    if (gt == std::string::npos || gt == 0 || gt + 1 == rule.size() ||
        rule.find('>', gt + 1) != std::string::npos)
      throw key_error("exclude_categories", "rule '" + rule + "' is not of the form \"FROM>TO\"");
    for (int a : match(rule.substr(0, gt), rule))
      for (int b : match(rule.substr(gt + 1), rule)) x.excluded[a * x.categories + b] = 1;
  }
  return x;
}

}  // namespace kerec::pairs
