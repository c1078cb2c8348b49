#include "kerec/pairs/config.h"

namespace kerec::pairs {

void PairsConfig::bind(config::Binder& b) {
  b.key("measure", measure,
        "popularity column that orders entities into segments and weights truth coverage",
        config::Choices{"bills", "exposures", "clicks", "conversions", "items"});
  b.key("segment_boundaries", segment_boundaries,
        "cumulative traffic shares where segments end, increasing; S-1 values give S segments",
        config::Range<double>{1e-9, 1.0 - 1e-9});
  b.key("segment_names", segment_names, "one name per segment (S names), used in the report");
  b.key(
      "strategy", strategy,
      "S×S cells, row-major (row = anchor segment, column = target segment): \"all\", \"none\" or "
      "\"sample:R\" (0 < R < 1, a hash of (a, b) and sample_seed decides)");
  b.key("sample_seed", sample_seed, "seed of the sampling hash",
        config::Range<int64_t>{0, INT64_MAX});
  b.key("cooccur_window_h", cooccur_window_h,
        "co-occurrence: b is paid within this many hours after a", config::Range<double>{0.0, 1e6});
  b.key("cooccur_min_count", cooccur_min_count,
        "co-occurrence: times (a, b) must occur over all users to become a pair; 0 turns it off",
        config::Range<int64_t>{0, INT64_MAX});
  b.key("exclude_categories", exclude_categories,
        "\"FROM>TO\" category pairs whose a→b pairs are dropped; \"*\" matches any category");
  b.key("previous", previous,
        "a previous pairs.h5 or judge/verdicts.h5: its pairs are dropped (incremental refresh); "
        "empty: none");
  b.key("max_pairs", max_pairs,
        "budget: at most this many pairs are kept for the judge, the highest-priority ones "
        "(co-occurrence evidence n²/w(b) first, then expected traffic w(a)·w(b), w = measure + 1; "
        "include/kerec/pairs/budget.h); 0: no limit",
        config::Range<int64_t>{0, INT64_MAX});
}

}  // namespace kerec::pairs
