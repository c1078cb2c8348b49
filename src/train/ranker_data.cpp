#include "kerec/train/ranker_data.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "kerec/dist/agree.h"
#include "kerec/dist/collectives.h"
#include "kerec/extract/output_files.h"
#include "kerec/io/hdf5.h"
#include "kerec/util/error.h"
#include "kerec/util/rng.h"

namespace kerec::train {
namespace {

namespace h5 = io::h5;

// An exposure on the wire between ranks.
struct Exposure {
  uint64_t user;
  int64_t ts;
  int32_t item, scene;
  float label;
  uint32_t converted = 0;  // 0/1 (the offline recall of conversions; not a ranker feature)
};

// A bill of one of this rank's users: its time and its entities' range in `entities`.
struct UserBills {
  std::vector<int64_t> ts;
  std::vector<int64_t> begin, end;  // into BillTable::entities
};
struct BillTable {
  std::unordered_map<uint64_t, UserBills> by_user;
  std::vector<int64_t> entities;
  int64_t bills = 0, max_entity = -1;
};

// Reads the CSR mentions of an extract file (extract/output_files.h), rows by `offsets_dataset`.
void read_mentions(const h5::File& f, const char* offsets_dataset, std::vector<int64_t>& offsets,
                   std::vector<int32_t>& entity) {
  offsets = h5::read<int64_t>(f, offsets_dataset);
  entity = h5::read<int32_t>(f, extract::kMentionEntityDataset);
  if (offsets.empty() || offsets.back() != static_cast<int64_t>(entity.size()))
    throw InputError(f.file().path + ": /" + offsets_dataset + " does not end at the length of /" +
                     extract::kMentionEntityDataset);
}

ItemFeatures load_items(const TrainConfig& c, const RankerDataPaths& p,
                        const io::BadRowPolicy& policy) {
  ItemFeatures items;
  std::vector<int64_t> offsets;
  std::vector<int32_t> entity;
  {
    auto f = h5::File::open_read(p.items_h5);
    items.ids = h5::read_strings(f, extract::kItemIdDataset);
    read_mentions(f, extract::kItemMentionOffsetsDataset, offsets, entity);
  }
  if (offsets.size() != items.ids.size() + 1)
    throw InputError(p.items_h5.string() + ": /items/mention_offsets has " +
                     std::to_string(offsets.size()) + " entries for " +
                     std::to_string(items.ids.size()) + " items");
  std::unordered_map<std::string, int32_t> index;
  for (size_t i = 0; i < items.ids.size(); ++i)
    index.emplace(items.ids[i], static_cast<int32_t>(i));
  for (size_t i = 0; i < items.ids.size(); ++i) {
    items.entities.push(entity.begin() + offsets[i], entity.begin() + offsets[i + 1]);
    for (int64_t k = offsets[i]; k < offsets[i + 1]; ++k) {
      if (entity[k] < 0)
        throw InputError(p.items_h5.string() + ": negative entity index in /mentions/entity");
      items.num_entities = std::max<int64_t>(items.num_entities, entity[k] + 1);
    }
  }
  items.price_bucket.assign(items.ids.size(), -1);
  items.cold_start.assign(items.ids.size(), 0);
  const auto& schema = io::items_schema();
  io::TsvReader reader(p.items_tsv.string(), schema, policy);
  io::TsvRow row;
  while (reader.next(row)) {
    auto it = index.find(std::string(row.str(schema.index("item_id"))));
    if (it == index.end())
      throw InputError(p.items_tsv.string() + ":" + std::to_string(row.line()) + ": item not in " +
                       p.items_h5.string());
    items.price_bucket[it->second] = price_bucket(row.f64(schema.index("price")), c.price_buckets);
    items.cold_start[it->second] = row.i64(schema.index("created_at")) >= c.test_start_ts;
  }
  for (size_t i = 0; i < items.ids.size(); ++i)
    if (items.price_bucket[i] < 0)
      throw InputError(p.items_h5.string() + ": item '" + items.ids[i] + "' is not in " +
                       p.items_tsv.string());
  return items;
}

// A bill on its way to its user's rank; its entities travel beside it, in the same order.
struct BillHead {
  uint64_t user;  // hash64 of the user id
  int64_t ts, row;
  int64_t entities;
};

// Collective: the bills of this rank's users, from every rank's block of the file, in time order
// per user (ties in file order, as one rank reading the whole file would have them).
BillTable exchange_bills(dist::Comm& comm, const BillRows& rows) {
  const auto ranks = static_cast<size_t>(comm.size());
  std::vector<std::vector<BillHead>> heads(ranks);
  std::vector<std::vector<int32_t>> entities(ranks);
  for (size_t i = 0; i < rows.user.size(); ++i) {
    const uint64_t user = hash64(rows.user[i]);
    const auto r = static_cast<size_t>(owner_of(user, comm.size()));
    heads[r].push_back({user, rows.ts[i], rows.first_row + static_cast<int64_t>(i),
                        rows.offsets[i + 1] - rows.offsets[i]});
    entities[r].insert(entities[r].end(), rows.entity.begin() + rows.offsets[i],
                       rows.entity.begin() + rows.offsets[i + 1]);
  }
  const auto in_heads = dist::alltoallv(comm, heads);
  const auto in_entities = dist::alltoallv(comm, entities);
  struct Mine {
    const BillHead* head;
    const int32_t* entities;
  };
  std::vector<Mine> mine;
  for (size_t r = 0; r < ranks; ++r) {
    const int32_t* e = in_entities[r].data();
    for (const BillHead& h : in_heads[r]) mine.push_back({&h, e}), e += h.entities;
  }
  std::sort(mine.begin(), mine.end(), [](const Mine& a, const Mine& b) {
    return std::tie(a.head->ts, a.head->row) < std::tie(b.head->ts, b.head->row);
  });
  BillTable t;
  for (const Mine& m : mine) {
    UserBills& u = t.by_user[m.head->user];
    u.ts.push_back(m.head->ts);
    u.begin.push_back(static_cast<int64_t>(t.entities.size()));
    t.entities.insert(t.entities.end(), m.entities, m.entities + m.head->entities);
    u.end.push_back(static_cast<int64_t>(t.entities.size()));
  }
  int64_t max_entity = -1;
  for (int32_t e : rows.entity) max_entity = std::max<int64_t>(max_entity, e);
  t.max_entity = dist::allreduce_value(comm, max_entity, dist::ReduceOp::kMax);
  t.bills = rows.total_rows;
  return t;
}

}  // namespace

BillRows read_bill_rows(const std::filesystem::path& bills_h5) {
  return read_bill_rows(bills_h5, 0, 1);
}

BillRows read_bill_rows(const std::filesystem::path& bills_h5, int rank, int ranks) {
  auto f = h5::File::open_read(bills_h5);
  const auto rows = static_cast<uint64_t>(h5::shape(f, extract::kBillTsDataset).at(0));
  const auto mentions = static_cast<int64_t>(h5::shape(f, extract::kMentionEntityDataset).at(0));
  if (h5::shape(f, extract::kBillUserDataset).at(0) != rows ||
      h5::shape(f, extract::kBillMentionOffsetsDataset).at(0) != rows + 1)
    throw InputError(bills_h5.string() +
                     ": /bills/user, /bills/ts and /bills/mention_offsets disagree in length");
  const dist::Block b = dist::block_of(rows, ranks, rank);
  const uint64_t n = b.end - b.begin;
  BillRows r;
  r.first_row = static_cast<int64_t>(b.begin), r.total_rows = static_cast<int64_t>(rows);
  r.user = h5::read_strings(f, extract::kBillUserDataset, b.begin, n);
  r.ts = h5::read_slice<int64_t>(f, extract::kBillTsDataset, b.begin, n);
  r.offsets = h5::read_slice<int64_t>(f, extract::kBillMentionOffsetsDataset, b.begin, n + 1);
  const int64_t first = r.offsets.front(), last = r.offsets.back();
  if (first < 0 || last < first || last > mentions || (b.end == rows && last != mentions) ||
      (b.begin == 0 && first != 0))
    throw InputError(bills_h5.string() + ": /" + extract::kBillMentionOffsetsDataset + " rows " +
                     std::to_string(b.begin) + "-" + std::to_string(b.end) +
                     " do not lie within the " + std::to_string(mentions) + " entries of /" +
                     extract::kMentionEntityDataset);
  r.entity =
      h5::read_slice<int32_t>(f, extract::kMentionEntityDataset, static_cast<uint64_t>(first),
                              static_cast<uint64_t>(last - first));
  for (int64_t& o : r.offsets) o -= first;
  return r;
}

namespace {

// This rank's part of exposures.tsv, bucketed by owner rank.
std::vector<std::vector<Exposure>> read_exposures(dist::Comm& comm, const TrainConfig& c,
                                                  const RankerDataPaths& p,
                                                  const io::BadRowPolicy& policy,
                                                  const ItemFeatures& items,
                                                  int64_t& unknown_items) {
  std::unordered_map<std::string_view, int32_t> index;
  for (size_t i = 0; i < items.ids.size(); ++i)
    index.emplace(items.ids[i], static_cast<int32_t>(i));
  const auto& schema = io::exposures_schema();
  const size_t user = schema.index("user_id"), ts = schema.index("ts"),
               item = schema.index("item_id"), scene = schema.index("scene"),
               clicked = schema.index("clicked"), converted = schema.index("converted");
  io::TsvReader reader(p.exposures_tsv.string(), schema, policy, comm.rank(), comm.size());
  std::vector<std::vector<Exposure>> out(comm.size());
  io::TsvRow row;
  while (reader.next(row)) {
    auto it = index.find(row.str(item));
    if (it == index.end()) {
      ++unknown_items;
      continue;
    }
    Exposure e{hash64(row.str(user)),
               row.i64(ts),
               it->second,
               scene_bucket(row.str(scene), c.scene_hash_buckets),
               row.flag(clicked) ? 1.0f : 0.0f,
               row.flag(converted) ? 1u : 0u};
    out[owner_of(e.user, comm.size())].push_back(e);
  }
  return out;
}

// The entities of the user's last `recent` bills in [ts - window, ts), newest first, and their
// ages.
void add_bill_features(const BillTable& bills, const TrainConfig& c, const Exposure& e,
                       RankerSamples& s) {
  auto it = bills.by_user.find(e.user);
  std::vector<int64_t> ids;
  if (it != bills.by_user.end() && c.recent_bills > 0) {
    const UserBills& u = it->second;
    const int64_t from = e.ts - c.bill_window_days * 86400;
    size_t hi = std::lower_bound(u.ts.begin(), u.ts.end(), e.ts) - u.ts.begin();
    for (size_t taken = 0;
         hi > 0 && taken < static_cast<size_t>(c.recent_bills) && u.ts[hi - 1] >= from;
         --hi, ++taken) {
      ids.insert(ids.end(), bills.entities.begin() + u.begin[hi - 1],
                 bills.entities.begin() + u.end[hi - 1]);
      s.bill_age_h.insert(s.bill_age_h.end(), u.end[hi - 1] - u.begin[hi - 1],
                          static_cast<float>(static_cast<double>(e.ts - u.ts[hi - 1]) / 3600.0));
    }
  }
  s.bills.push(ids.begin(), ids.end());
}

}  // namespace

int32_t price_bucket(double price, int64_t buckets) {
  const double b = std::floor(2.0 * std::log2(1.0 + std::max(price, 0.0)));
  return static_cast<int32_t>(std::min<double>(static_cast<double>(buckets - 1), b));
}

int32_t scene_bucket(std::string_view scene, int64_t buckets) {
  return static_cast<int32_t>(hash64(scene) % static_cast<uint64_t>(buckets));
}

int owner_of(uint64_t user_key, int ranks) {
  return static_cast<int>(mix64(user_key) % static_cast<uint64_t>(ranks));
}

RankerData load_ranker_data(dist::Comm& comm, const TrainConfig& c, const RankerDataPaths& p,
                            const io::BadRowPolicy& policy) {
  RankerData data;
  BillRows bill_rows;
  std::vector<std::vector<Exposure>> outgoing;
  int64_t unknown = 0;
  dist::run_agreed(comm, [&] {
    data.items = load_items(c, p, policy);
    bill_rows = read_bill_rows(p.bills_h5, comm.rank(), comm.size());
    outgoing = read_exposures(comm, c, p, policy, data.items, unknown);
  });
  const BillTable bills = exchange_bills(comm, bill_rows);
  bill_rows = BillRows{};
  data.items.num_entities = std::max(data.items.num_entities, bills.max_entity + 1);
  auto incoming = dist::alltoallv<Exposure>(comm, outgoing);
  std::vector<Exposure> mine;
  for (auto& part : incoming) mine.insert(mine.end(), part.begin(), part.end());
  std::sort(mine.begin(), mine.end(), [](const Exposure& a, const Exposure& b) {
    return std::tie(a.user, a.ts, a.item, a.scene, a.label, a.converted) <
           std::tie(b.user, b.ts, b.item, b.scene, b.label, b.converted);
  });
  const int64_t valid_from = c.test_start_ts - c.valid_days * 86400;
  for (const Exposure& e : mine) {
    RankerSamples& s = e.ts >= c.test_start_ts ? data.test
                       : e.ts >= valid_from    ? data.valid
                                               : data.train;
    s.user.push_back(e.user), s.ts.push_back(e.ts), s.item.push_back(e.item),
        s.scene.push_back(e.scene);
    s.label.push_back(e.label), s.converted.push_back(static_cast<uint8_t>(e.converted));
    add_bill_features(bills, c, e, s);
  }
  int64_t n[5] = {static_cast<int64_t>(data.train.size()), static_cast<int64_t>(data.valid.size()),
                  static_cast<int64_t>(data.test.size()), unknown, 0};
  for (const auto* s : {&data.train, &data.valid, &data.test})
    n[4] += static_cast<int64_t>(s->bills.ids.size());
  dist::allreduce(comm, std::span<int64_t>(n), dist::ReduceOp::kSum);
  data.counts = {{"train_samples", n[0]},          {"valid_samples", n[1]},
                 {"test_samples", n[2]},           {"skipped_unknown_item", n[3]},
                 {"bill_entity_features", n[4]},   {"bills", bills.bills},
                 {"items", data.items.ids.size()}, {"entities", data.items.num_entities}};
  return data;
}

}  // namespace kerec::train
