// In-process recommend() latency over serving.h5 (bench/README.md, section "Recall"): the load time
// and resident memory of the artifact, then p50/p99/max latency of Recommender::recommend at K over
// many users, each with recent bills and a click history drawn from the model's entities, one
// thread.
//
//   recall_bench SERVING_H5 [--requests N] [--k K]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kerec/recall/recommender.h"
#include "kerec/util/rng.h"

namespace {

using namespace kerec;
using Clock = std::chrono::steady_clock;

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: recall_bench SERVING_H5 [--requests N] [--k K]\n");
    return 2;
  }
  int64_t requests = 5000, k = 50;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--requests")
      requests = std::atoll(argv[i + 1]);
    else if (a == "--k")
      k = std::atoll(argv[i + 1]);
  }
  const auto t0 = Clock::now();
  const auto model = recall::read_serving_file(argv[1]);
  const double load_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double rss_mib = peak_rss_mib();
  recall::Recommender rec(model);
  Rng rng(5, "recall_bench");
  std::vector<double> ms;
  int64_t returned = 0, complementary = 0;
  for (int64_t r = 0; r < requests; ++r) {
    recall::UserState user{rng.next_u64(), {}, {}};
    for (uint64_t b = rng.uniform_int(4); b > 0; --b)  // 0-3 recent bills, up to a week old
      user.bills.push_back(
          {static_cast<int32_t>(rng.uniform_int(model.entities())), rng.uniform() * 168});
    std::sort(user.bills.begin(), user.bills.end(),
              [](const auto& x, const auto& y) { return x.age_h < y.age_h; });
    for (uint64_t c = 1 + rng.uniform_int(5); c > 0; --c)
      user.clicked_entities.push_back(static_cast<int32_t>(rng.uniform_int(model.entities())));
    recall::Request req;
    req.k = k;
    const auto start = Clock::now();
    const auto top = rec.recommend(user, req);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    returned += static_cast<int64_t>(top.size());
    for (const auto& c : top) complementary += c.channel == recall::Channel::kU2E2I;
  }
  std::printf(
      "{\"bench\":\"recall\",\"requests\":%lld,\"k\":%lld,\"load_s\":%.3f,\"peak_rss_mib\":%.1f,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_returned\":%.1f,\"u2e2i_share\":%.3f}"
      "\n",
      static_cast<long long>(requests), static_cast<long long>(k), load_s, rss_mib,
      quantile(ms, 0.5), quantile(ms, 0.99), quantile(ms, 1.0),
      static_cast<double>(returned) / static_cast<double>(requests),
      returned ? static_cast<double>(complementary) / static_cast<double>(returned) : 0.0);
  return 0;
}
