#include "kerec/extract/evaluate.h"

#include <algorithm>
#include <vector>

#include "kerec/dist/collectives.h"

namespace kerec::extract {
namespace {

constexpr const char* kKindNames[kGoldKinds] = {"name", "alias", "misspelling", "unseen_alias"};

double ratio(int64_t a, int64_t b) {
  return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
}
double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

}  // namespace

int gold_kind_of(std::string_view kind) {
  for (int k = 0; k < kGoldKinds; ++k)
    if (kind == kKindNames[k]) return k;
  return -1;
}

const char* gold_kind_name(int kind) { return kKindNames[kind]; }

void Evaluator::add_row(std::span<const GoldMention> gold, std::span<const Mention> predicted) {
  if (gold.empty()) {
    unattributed_ += static_cast<int64_t>(predicted.size());
    return;
  }
  std::vector<std::pair<int32_t, int>> predicted_links;  // (entity, kind)
  for (const auto& p : predicted) {
    int kind = gold[0].kind;
    bool span_hit = false;
    for (const auto& g : gold) {
      if (g.begin < p.end && p.begin < g.end) {
        kind = g.kind;
        span_hit = g.begin == p.begin && g.end == p.end;
        break;
      }
    }
    ++counts_[kind][kSpanPred];
    if (span_hit) ++counts_[kind][kSpanHit];
    if (std::none_of(predicted_links.begin(), predicted_links.end(),
                     [&](auto& l) { return l.first == p.entity; }))
      predicted_links.emplace_back(p.entity, kind);
  }
  std::vector<int32_t> gold_entities;
  for (const auto& g : gold) {
    ++counts_[g.kind][kSpanGold];
    if (std::find(gold_entities.begin(), gold_entities.end(), g.entity) != gold_entities.end())
      continue;
    gold_entities.push_back(g.entity);
    ++counts_[g.kind][kLinkGold];
  }
  for (const auto& [entity, kind] : predicted_links) {
    const auto g = std::find_if(gold.begin(), gold.end(),
                                [&](const GoldMention& m) { return m.entity == entity; });
    if (g != gold.end()) {
      ++counts_[g->kind][kLinkPred];
      ++counts_[g->kind][kLinkHit];
    } else {
      ++counts_[kind][kLinkPred];
    }
  }
}

void Evaluator::combine(dist::Comm& comm) {
  std::vector<int64_t> flat;
  for (const auto& row : counts_) flat.insert(flat.end(), row.begin(), row.end());
  flat.push_back(unattributed_);
  dist::allreduce(comm, std::span<int64_t>(flat), dist::ReduceOp::kSum);
  size_t i = 0;
  for (auto& row : counts_)
    for (auto& v : row) v = flat[i++];
  unattributed_ = flat[i];
}

nlohmann::json Evaluator::describe(std::initializer_list<int> kinds) const {
  std::array<int64_t, kCounts> sum{};
  for (int k : kinds)
    for (int c = 0; c < kCounts; ++c) sum[c] += counts_[k][c];
  const double sp = ratio(sum[kSpanHit], sum[kSpanPred]), sr = ratio(sum[kSpanHit], sum[kSpanGold]);
  const double lp = ratio(sum[kLinkHit], sum[kLinkPred]), lr = ratio(sum[kLinkHit], sum[kLinkGold]);
  return {{"span",
           {{"precision", sp},
            {"recall", sr},
            {"f1", f1(sp, sr)},
            {"gold", sum[kSpanGold]},
            {"predicted", sum[kSpanPred]},
            {"correct", sum[kSpanHit]}}},
          {"link",
           {{"precision", lp},
            {"recall", lr},
            {"f1", f1(lp, lr)},
            {"gold", sum[kLinkGold]},
            {"predicted", sum[kLinkPred]},
            {"correct", sum[kLinkHit]}}}};
}

double Evaluator::link_f1(std::initializer_list<int> kinds) const {
  return describe(kinds)["link"]["f1"].get<double>();
}

nlohmann::json Evaluator::report() const {
  nlohmann::json j;
  for (int k = 0; k < kGoldKinds; ++k) j[kKindNames[k]] = describe({k});
  j["dict"] = describe({kName, kAlias});
  j["all"] = describe({kName, kAlias, kMisspelling, kUnseenAlias});
  j["predictions_in_rows_without_gold"] = unattributed_;
  return j;
}

}  // namespace kerec::extract
