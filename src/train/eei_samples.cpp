// Triggers and the complementary exposure-click samples (train/eei.h).
#include <algorithm>
#include <cmath>
#include <tuple>

#include "kerec/train/eei.h"
#include "kerec/util/rng.h"

namespace kerec::train {

Trigger find_trigger(const RankerSamples& s, size_t i, const ItemFeatures& items,
                     const EntityGraph& comp, double window_h) {
  Trigger best;
  for_each_trigger(
      s, i, items, comp, window_h, [&](int32_t a, int32_t b, float age, float w, int64_t edge) {
        // Most recent first, then the stronger edge, then the smaller ids (a total order).
        if (best.a < 0 || std::make_tuple(age, -w, a, b) <
                              std::make_tuple(best.age_h, -best.confidence, best.a, best.b))
          best = {a, b, age, w, edge};
      });
  return best;
}

EeiSamples eei_samples(const RankerSamples& s, const ItemFeatures& items, const EntityGraph& comp,
                       double window_h, double control_share, uint64_t seed) {
  EeiSamples out;
  for (size_t i = 0; i < s.size(); ++i) {
    Trigger t = find_trigger(s, i, items, comp, window_h);
    const uint64_t key = sample_key(s, i);
    if (t.a < 0) {
      const int32_t item = s.item[i];
      const double u =
          static_cast<double>(mix64(key ^ mix64(seed)) >> 11) * 0x1.0p-53;  // uniform in [0, 1)
      if (u >= control_share) continue;
      if (items.entities.offsets[item] == items.entities.offsets[item + 1])
        continue;  // no entity b
      t.b = static_cast<int32_t>(items.entities.ids[items.entities.offsets[item]]);
    }
    out.a.push_back(t.a), out.b.push_back(t.b), out.item.push_back(s.item[i]),
        out.scene.push_back(s.scene[i]);
    out.edge.push_back(t.edge);
    out.age_h.push_back(t.age_h), out.confidence.push_back(t.confidence),
        out.label.push_back(s.label[i]);
    out.key.push_back(key), out.user.push_back(s.user[i]);
  }
  return out;
}

int32_t recency_bucket(double age_h, int64_t buckets) {
  const double b = std::floor(std::log2(1.0 + std::max(age_h, 0.0)));
  return static_cast<int32_t>(std::min<double>(static_cast<double>(buckets - 1), b));
}

}  // namespace kerec::train
