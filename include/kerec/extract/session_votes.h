// Session votes: an entity for items, from the search sessions of exposures.tsv. A user's exposures
// in the configured scenes, in time order, are cut into sessions where two consecutive exposures
// are more than `gap_s` apart; a search session shows items for one query, so the entities of the
// items the dictionary can read vote for the others in it, one vote per exposure. A target may be
// readable itself: its own exposures do not vote for it. A target gets the entity with the most
// votes when it has at least `min_votes` and at least `min_share` of its votes (a tie for the most
// decides nothing).
//
// Collective: every rank calls it with its own item rows, in the same order of calls. Item ids are
// hashed (hash64); the directory of readable items and targets is allgathered, exposures go to the
// rank owning their user (alltoallv), and votes to the rank owning their item. The result does not
// depend on the rank count. A bad exposures row fails on every rank under policy kFail; under kSkip
// more than max_skipped in total fail.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/io/tsv.h"

namespace kerec::extract {

struct SessionVoteOptions {
  std::vector<std::string> scenes = {"search"};
  int64_t gap_s = 60;
  int64_t min_votes = 2;
  double min_share = 0.5;
};

struct SessionVoteStats {
  int64_t exposure_rows = 0;
  int64_t exposures_used = 0;  // in a configured scene, of a readable item or a target
  int64_t skipped_rows = 0;
  int64_t sessions = 0;  // giving at least one vote to a target
  int64_t targets = 0;   // items asked about
  int64_t targets_with_votes = 0;
  int64_t decided = 0;
};

struct VoteItems {
  const std::vector<std::string>* ids = nullptr;  // this rank's item ids
  const std::vector<std::vector<int32_t>>* readable =
      nullptr;  // per item: the entities the dictionary read
  const std::vector<uint8_t>* target =
      nullptr;  // per item: 1 to ask for its entity (readable or not)
};

// Per local item: the voted entity, or -1 (not a target, or undecided).
std::vector<int32_t> vote_item_entities(dist::Comm& comm, const VoteItems& items,
                                        const std::string& exposures_tsv,
                                        const io::BadRowPolicy& policy,
                                        const SessionVoteOptions& options, SessionVoteStats& stats);

}  // namespace kerec::extract
