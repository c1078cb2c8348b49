// Slices, the world's per-exposure truth and the oracle ceilings (train/evaluation.h).
#include "kerec/train/evaluation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/io/tsv.h"
#include "kerec/train/eei.h"
#include "kerec/train/metrics.h"
#include "kerec/train/ranker_data.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::train {
namespace {

using nlohmann::json;

// One truth row on the wire to its user's owner.
struct TruthRow {
  uint64_t key;
  float p_click, p_plain, signal;
  uint32_t complementary;
};

const io::TsvSchema& truth_schema() {
  static const io::TsvSchema schema{
      "exposure truth",
      {{"user_id"},
       {"ts", io::ColumnType::kTime},
       {"item_id"},
       {"scene"},
       {"p_click", io::ColumnType::kDouble, false, true},
       {"p_click_no_complement", io::ColumnType::kDouble, false, true},
       {"signal", io::ColumnType::kDouble, false, true},
       {"channel"}}};
  return schema;
}

// Probabilities in [0, 1] and a channel the world writes (docs/world.md); InputError naming the
// line.
void check_truth_row(const std::filesystem::path& tsv, const io::TsvRow& row) {
  static const std::vector<std::string_view> channels = {"search",  "substitute", "complementary",
                                                         "popular", "interest",   "fallback"};
  for (size_t c : {size_t{4}, size_t{5}})
    if (row.f64(c) > 1)
      throw InputError(tsv.string() + ":" + std::to_string(row.line()) + ": column '" +
                       truth_schema().columns[c].name + "': " + std::to_string(row.f64(c)) +
                       " is not a probability");
  if (std::find(channels.begin(), channels.end(), row.str(7)) == channels.end())
    throw InputError(tsv.string() + ":" + std::to_string(row.line()) +
                     ": column 'channel': unknown channel '" + std::string(row.str(7)) + "'");
}

// This rank's part of the file: test-period rows of known items, bucketed by the user's owner.
std::vector<std::vector<TruthRow>> read_truth_part(dist::Comm& comm, const TrainConfig& c,
                                                   const std::filesystem::path& tsv,
                                                   const ItemFeatures& items) {
  std::unordered_map<std::string_view, int32_t> index;
  for (size_t i = 0; i < items.ids.size(); ++i)
    index.emplace(items.ids[i], static_cast<int32_t>(i));
  const auto& schema = truth_schema();
  io::TsvReader reader(tsv.string(), schema, {}, comm.rank(), comm.size());
  std::vector<std::vector<TruthRow>> out(comm.size());
  io::TsvRow row;
  while (reader.next(row)) {
    if (row.i64(1) < c.test_start_ts) continue;
    const auto it = index.find(row.str(2));
    if (it == index.end()) continue;  // the item was skipped when the samples were loaded
    check_truth_row(tsv, row);
    RankerSamples one;
    one.user = {hash64(row.str(0))}, one.ts = {row.i64(1)}, one.item = {it->second};
    one.scene = {scene_bucket(row.str(3), c.scene_hash_buckets)};
    out[owner_of(one.user[0], comm.size())].push_back(
        {sample_key(one, 0), static_cast<float>(row.f64(4)), static_cast<float>(row.f64(5)),
         static_cast<float>(row.f64(6)), row.str(7) == "complementary" ? 1u : 0u});
  }
  return out;
}

double ratio_or_zero(double x, double y) { return y != 0 ? x / y : 0.0; }

std::vector<float> select(const std::vector<float>& v, const std::vector<uint32_t>& idx) {
  std::vector<float> out;
  out.reserve(idx.size());
  for (uint32_t i : idx) out.push_back(v[i]);
  return out;
}

}  // namespace

ExposureTruth load_exposure_truth(dist::Comm& comm, const TrainConfig& c,
                                  const std::filesystem::path& tsv, const ItemFeatures& items,
                                  const RankerSamples& test) {
  std::vector<std::vector<TruthRow>> outgoing;
  dist::run_agreed(comm, [&] { outgoing = read_truth_part(comm, c, tsv, items); });
  std::unordered_map<uint64_t, TruthRow> by_key;
  for (const auto& part : dist::alltoallv<TruthRow>(comm, outgoing))
    for (const TruthRow& r : part) by_key.emplace(r.key, r);
  ExposureTruth t;
  const size_t n = test.size();
  t.p_click.assign(n, 0), t.p_click_no_complement.assign(n, 0), t.signal.assign(n, 0);
  t.complementary_channel.assign(n, 0), t.present.assign(n, 0);
  int64_t unmatched = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto it = by_key.find(sample_key(test, i));
    if (it == by_key.end()) {
      ++unmatched;
      continue;
    }
    const TruthRow& r = it->second;
    t.p_click[i] = r.p_click, t.p_click_no_complement[i] = r.p_plain, t.signal[i] = r.signal;
    t.complementary_channel[i] = static_cast<uint8_t>(r.complementary), t.present[i] = 1;
  }
  t.unmatched = dist::allreduce_value<int64_t>(comm, unmatched, dist::ReduceOp::kSum);
  return t;
}

std::vector<Slice> standard_slices(const RankerSamples& test, const ItemFeatures& items,
                                   const EntityGraph& graph, double window_h,
                                   const ExposureTruth* truth) {
  const size_t n = test.size();
  std::vector<Slice> s = {{"all", std::vector<uint8_t>(n, 1)},
                          {"graph_complementary", std::vector<uint8_t>(n, 0)},
                          {"cold_start", std::vector<uint8_t>(n, 0)}};
  for (size_t i = 0; i < n; ++i) {
    s[1].member[i] = find_trigger(test, i, items, graph, window_h).a >= 0;
    s[2].member[i] = items.cold_start[test.item[i]];
  }
  if (!truth) return s;
  s.push_back({"complementary", std::vector<uint8_t>(n, 0)});
  s.push_back({"complementary_channel", std::vector<uint8_t>(n, 0)});
  s.push_back({"cold_start_with_signal", std::vector<uint8_t>(n, 0)});
  for (size_t i = 0; i < n; ++i) {
    s[3].member[i] = truth->signal[i] > 0;
    s[4].member[i] = truth->complementary_channel[i];
    s[5].member[i] = s[2].member[i] && truth->signal[i] > 0;
  }
  return s;
}

json evaluate_slices(dist::Comm& comm, const std::vector<Slice>& slices, const ModelScores& models,
                     const std::string& baseline, const RankerSamples& test,
                     const ExposureTruth* truth) {
  json out = json::object();
  for (const Slice& slice : slices) {
    std::vector<uint32_t> idx;
    for (uint32_t i = 0; i < test.size(); ++i)
      if (slice.member[i] && (!truth || truth->present[i])) idx.push_back(i);
    const auto labels = select(test.label, idx);
    std::vector<uint64_t> users;
    for (uint32_t i : idx) users.push_back(test.user[i]);
    json j = {{"models", json::object()}};
    for (const auto& [name, scores] : models)
      j["models"][name] = evaluate(comm, select(*scores, idx), labels, users).to_json();
    const auto& any = j["models"].begin().value();
    j["samples"] = any["samples"], j["clicks"] = any["positives"];
    if (truth) {
      const double oracle = evaluate(comm, select(truth->p_click, idx), labels, users).auc;
      const double plain =
          evaluate(comm, select(truth->p_click_no_complement, idx), labels, users).auc;
      j["oracle_auc"] = oracle, j["no_complement_oracle_auc"] = plain,
      j["headroom"] = oracle - plain;
      const double base = j["models"][baseline]["auc"].get<double>();
      for (const auto& [name, scores] : models)
        j["gain_share"][name] =
            ratio_or_zero(j["models"][name]["auc"].get<double>() - base, oracle - plain);
    }
    out[slice.name] = std::move(j);
  }
  return out;
}

double spearman(std::span<const double> x, std::span<const double> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return 0.0;
  auto ranks = [n](std::span<const double> v) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(n);
    for (size_t i = 0; i < n;) {
      size_t j = i;
      while (j + 1 < n && v[order[j + 1]] == v[order[i]]) ++j;
      for (size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + j);
      i = j + 1;
    }
    return r;
  };
  const auto rx = ranks(x), ry = ranks(y);
  const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n,
               my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my), sxx += (rx[i] - mx) * (rx[i] - mx),
        syy += (ry[i] - my) * (ry[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

}  // namespace kerec::train
