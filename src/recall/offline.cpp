// Offline recall metrics (recall/offline.h).
#include "kerec/recall/offline.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"

namespace kerec::recall {
namespace {

using nlohmann::json;

// The lists a request is scored on: each channel alone, and the merge with and without U2E2I.
const std::vector<std::string>& list_names() {
  static const std::vector<std::string> names = {
      "merged", "merged_without_u2e2i", "u2e2i", "popular", "interest", "substitute"};
  return names;
}

// [truth kind][request group][list][k][metric]: recall, ndcg, hit; flattened for one allreduce.
// Kinds: 0 the clicked item, 1 the converted item (a subset of the clicks); groups: 0 all
// requests, 1 those with a recent bill.
struct Sums {
  size_t lists, ks;
  std::vector<double> v;  // 4 (kind, group) x lists x ks x 3, then 4 request counts
  Sums(size_t l, size_t k) : lists(l), ks(k), v(4 * l * k * 3 + 4, 0.0) {}
  double& at(int cell, size_t list, size_t k, int metric) {
    return v[((cell * lists + list) * ks + k) * 3 + metric];
  }
  double& users(int cell) { return v[v.size() - 4 + cell]; }
};

void score(Sums& sums, int group, size_t list, const std::vector<int64_t>& ks,
           const std::vector<Candidate>& ranked, const std::unordered_set<int32_t>& truth) {
  for (size_t k = 0; k < ks.size(); ++k) {
    double hits = 0, dcg = 0, ideal = 0;
    for (size_t r = 0; r < ranked.size() && static_cast<int64_t>(r) < ks[k]; ++r)
      if (truth.count(ranked[r].item)) ++hits, dcg += 1.0 / std::log2(static_cast<double>(r) + 2);
    for (size_t r = 0; r < truth.size() && static_cast<int64_t>(r) < ks[k]; ++r)
      ideal += 1.0 / std::log2(static_cast<double>(r) + 2);
    sums.at(group, list, k, 0) += hits / static_cast<double>(truth.size());
    sums.at(group, list, k, 1) += dcg / ideal;
    sums.at(group, list, k, 2) += hits > 0;
  }
}

// The entities of the user's clicks in `s` rows [begin, end), most recent first, distinct.
std::vector<int32_t> clicked_entities(const train::RankerSamples& s,
                                      const train::ItemFeatures& items, size_t begin, size_t end) {
  std::vector<int32_t> out;
  std::unordered_set<int32_t> seen;
  for (size_t i = end; i-- > begin;) {
    if (s.label[i] <= 0) continue;
    const int32_t item = s.item[i];
    for (int64_t k = items.entities.offsets[item]; k < items.entities.offsets[item + 1]; ++k)
      if (seen.insert(static_cast<int32_t>(items.entities.ids[k])).second)
        out.push_back(static_cast<int32_t>(items.entities.ids[k]));
  }
  return out;
}

// Row ranges [begin, end) of each user in samples sorted by user.
std::unordered_map<uint64_t, std::pair<size_t, size_t>> user_ranges(const train::RankerSamples& s) {
  std::unordered_map<uint64_t, std::pair<size_t, size_t>> r;
  for (size_t i = 0; i < s.size(); ++i) {
    auto [it, fresh] = r.try_emplace(s.user[i], i, i + 1);
    if (!fresh) it->second.second = i + 1;
  }
  return r;
}

// Local: scores one request per test click of this rank's users into `sums`.
void score_clicks(Recommender& rec, const ServingModel& model, const train::RankerData& data,
                  const std::vector<int64_t>& ks, const Request& base, Sums& sums) {
  const auto& test = data.test;
  const auto history = user_ranges(data.train);
  uint64_t user = 0;
  std::vector<int32_t> clicked;
  for (size_t i = 0; i < test.size(); ++i) {
    if (i == 0 || test.user[i] != user) {  // a new user: the entities of the training clicks
      user = test.user[i];
      const auto h = history.find(user);
      clicked = h == history.end()
                    ? std::vector<int32_t>{}
                    : clicked_entities(data.train, data.items, h->second.first, h->second.second);
    }
    if (test.label[i] <= 0) continue;
    UserState state{user, {}, clicked};
    for (int64_t k = test.bills.offsets[i]; k < test.bills.offsets[i + 1]; ++k)
      state.bills.push_back({static_cast<int32_t>(test.bills.ids[k]), test.bill_age_h[k]});
    Request req = base;
    req.ts = test.ts[i], req.scene_bucket = test.scene[i],
    req.k = *std::max_element(ks.begin(), ks.end());
    const bool has_bill =
        std::any_of(state.bills.begin(), state.bills.end(),
                    [&](const RecentBill& b) { return b.age_h <= model.complements.window_h; });
    std::vector<std::vector<Candidate>> lists = {rec.recommend(state, req)};
    req.u2e2i = false;
    lists.push_back(rec.recommend(state, req));
    for (int c = 0; c < kChannels; ++c)
      lists.push_back(rec.channel(static_cast<Channel>(c), state, req));
    const std::unordered_set<int32_t> truth = {test.item[i]};
    const bool converted = test.converted.size() == test.size() && test.converted[i];
    for (int kind = 0; kind < (converted ? 2 : 1); ++kind)
      for (int group = 0; group < (has_bill ? 2 : 1); ++group) {
        const int cell = kind * 2 + group;
        sums.users(cell) += 1;
        for (size_t l = 0; l < lists.size(); ++l) score(sums, cell, l, ks, lists[l], truth);
      }
  }
}

}  // namespace

json offline_recall(dist::Comm& comm, const ServingModel& model, const train::RankerData& data,
                    const std::vector<int64_t>& ks, const Request& base) {
  if (ks.empty())
    throw std::invalid_argument("offline recall: no K given (export.recall_k is empty)");
  Recommender rec(model);
  Sums sums(list_names().size(), ks.size());
  dist::run_agreed(comm, [&] { score_clicks(rec, model, data, ks, base, sums); });
  dist::allreduce(comm, std::span<double>(sums.v), dist::ReduceOp::kSum);
  const auto& names = list_names();
  const char* metrics[] = {"recall", "ndcg", "hit"};
  json kinds[2];
  for (int kind = 0; kind < 2; ++kind) {
    kinds[kind] = {{"requests", sums.users(kind * 2)},
                   {"requests_with_recent_bill", sums.users(kind * 2 + 1)}};
    for (int group = 0; group < 2; ++group) {
      const int cell = kind * 2 + group;
      json& g = kinds[kind][group == 0 ? "all" : "with_recent_bill"];
      for (size_t l = 0; l < names.size(); ++l)
        for (size_t k = 0; k < ks.size(); ++k)
          for (int m = 0; m < 3; ++m)
            g[names[l]][std::string(metrics[m]) + "@" + std::to_string(ks[k])] =
                sums.users(cell) > 0 ? sums.at(cell, l, k, m) / sums.users(cell) : 0.0;
    }
  }
  json out = std::move(kinds[0]);  // clicks at the top level; conversions below
  out["k"] = ks;
  out["conversions"] = std::move(kinds[1]);
  return out;
}

}  // namespace kerec::recall
