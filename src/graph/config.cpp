#include "kerec/graph/config.h"

namespace kerec::graph {

void GraphConfig::bind(config::Binder& b) {
  b.key("min_confidence", min_confidence,
        "a \"yes\" verdict becomes a complementary edge at this confidence or above",
        config::Range<double>{0.0, 1.0});
  b.key("shards", shards,
        "shards of graph.h5 (source ranges balanced by edge count); 0 = the number of ranks",
        config::Range<int64_t>{0, 1 << 20});
  b.key("session_gap_min", session_gap_min,
        "substitutable graph: clicks of one user more than this many minutes apart are in "
        "different sessions",
        config::Range<double>{0.0, 1e7});
  b.key("substitute_min_support", substitute_min_support,
        "substitutable graph: sessions with clicks on items of both entities needed for an edge",
        config::Range<int64_t>{1, INT64_MAX});
  b.key("previous", previous,
        "a previous graph.h5 to refresh (edges keep their version, new verdicts are merged, "
        "version + 1); empty: none");
  b.key("deflate_level", deflate_level,
        "zlib level of graph.h5's integer arrays (shuffle+deflate), 1 fastest ... 9 smallest; 0 "
        "stores them "
        "uncompressed (about twice the write speed, a third larger file: bench/README.md)",
        config::Range<int64_t>{0, 9});
}

}  // namespace kerec::graph
