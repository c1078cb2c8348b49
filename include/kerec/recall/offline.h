// Offline recall metrics (docs/serving.md "Offline recall"): Recall@K, NDCG@K and Hit@K of the
// recommender's channels and of its merge with and without U2E2I, on the test period's clicks and
// conversions.
//
// One request per click in the test period, at the moment of the clicked exposure: the user's bills
// as the ranker sees them then, the entities of the user's training clicks as history, the
// exposure's scene; the truth is the clicked item (a next-click protocol: did the recommender, in
// that context, put the item the user clicked among its top K?). Requests whose user had a bill
// within the trigger window form the `with_recent_bill` group. Users are split over the ranks as
// the samples are; sums are allreduced, so the figures do not depend on the rank count. The same
// requests restricted to the clicks that converted give the conversion figures (`conversions`).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/recall/recommender.h"
#include "kerec/train/ranker_data.h"

namespace kerec::recall {

// Collective. `base` gives per_channel and items_per_entity; k is taken from `ks`.
nlohmann::json offline_recall(dist::Comm& comm, const ServingModel& model,
                              const train::RankerData& data, const std::vector<int64_t>& ks,
                              const Request& base);

}  // namespace kerec::recall
