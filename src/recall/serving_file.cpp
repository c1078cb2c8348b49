// serving.h5: writer and verifying reader (recall/serving.h).
#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "kerec/io/h5_checked.h"
#include "kerec/io/hdf5.h"
#include "kerec/recall/serving.h"
#include "kerec/train/weights.h"
#include "kerec/util/checksum.h"
#include "kerec/util/error.h"

namespace kerec::recall {
namespace {

namespace h5 = io::h5;

// Every parameter of the ranker as (name, values), in registration order.
std::vector<std::pair<std::string, std::span<const float>>> ranker_arrays(train::RankerModel& m) {
  std::vector<std::pair<std::string, std::span<const float>>> out;
  auto& store = m.params();
  for (size_t i = 0; i < store.num_dense(); ++i) {
    const auto v = store.value(static_cast<int>(i));
    out.emplace_back("ranker/dense/" + store.dense_name(static_cast<int>(i)),
                     std::span<const float>(v.data(), v.size()));
  }
  for (size_t t = 0; t < store.num_tables(); ++t) {
    const auto& w = store.table(static_cast<int>(t)).weight;
    out.emplace_back("ranker/tables/" + store.table(static_cast<int>(t)).name,
                     std::span<const float>(w.data(), w.size()));
  }
  return out;
}

// The attributes that steer serving (outside the datasets), as one checksummed text.
std::string attributes_text(int64_t graph_version, double window_h, const train::RankerShape& s,
                            int64_t recent_bills, int64_t bill_window_days) {
  std::string t = "graph_version=" + std::to_string(graph_version) +
                  ";trigger_window_h=" + std::to_string(window_h) +
                  ";items=" + std::to_string(s.items) + ";entities=" + std::to_string(s.entities) +
                  ";user_buckets=" + std::to_string(s.user_buckets) +
                  ";scene_buckets=" + std::to_string(s.scene_buckets) +
                  ";price_buckets=" + std::to_string(s.price_buckets) +
                  ";dim=" + std::to_string(s.dim) + ";dense=" + std::to_string(s.dense) +
                  ";recent_bills=" + std::to_string(recent_bills) +
                  ";bill_window_days=" + std::to_string(bill_window_days);
  return t;
}

void write_ranker(const h5::File& f, h5::CheckedWriter& w, const ServingModel& m) {
  const auto& s = m.ranker->shape();
  const auto g = f.create_group("ranker");
  const std::pair<const char*, int64_t> attrs[] = {{"items", s.items},
                                                   {"entities", s.entities},
                                                   {"user_buckets", s.user_buckets},
                                                   {"scene_buckets", s.scene_buckets},
                                                   {"price_buckets", s.price_buckets},
                                                   {"dim", s.dim},
                                                   {"dense", s.dense},
                                                   {"recent_bills", m.recent_bills},
                                                   {"bill_window_days", m.bill_window_days}};
  for (const auto& [key, value] : attrs) h5::set_attr(g, key, value);
  w.put<int64_t>("ranker/hidden", s.hidden);
  train::write_params(g, m.ranker->params());
  for (const auto& [name, values] : ranker_arrays(*m.ranker)) w.record(name, xxh64(values, 0));
  const auto text = attributes_text(m.graph_version, m.complements.window_h, s, m.recent_bills,
                                    m.bill_window_days);
  w.record("attributes", xxh64(text.data(), text.size(), 0));
}

void write_users(h5::CheckedWriter& w, const UserTable& u) {
  h5::set_attr(w.file(), "logs_end_ts", u.logs_end_ts);
  w.put<uint64_t>("users/key", u.keys);
  w.put<int64_t>("users/bill_offsets", u.bill_offsets);
  w.put<int32_t>("users/bill_entity", u.bill_entity);
  w.put<int64_t>("users/bill_ts", u.bill_ts);
  w.put<int64_t>("users/click_offsets", u.click_offsets);
  w.put<int32_t>("users/click_entity", u.click_entity);
  const auto text = "logs_end_ts=" + std::to_string(u.logs_end_ts);
  w.record("users/attributes", xxh64(text.data(), text.size(), 0));
}

}  // namespace

int64_t UserTable::find(uint64_t key) const {
  const auto it = std::lower_bound(keys.begin(), keys.end(), key);
  return it != keys.end() && *it == key ? it - keys.begin() : -1;
}

std::string_view ServingModel::reason(int64_t edge) const {
  if (edge < 0 || edge >= static_cast<int64_t>(reason_end.size()))
    throw std::out_of_range("serving model: no complementary edge " + std::to_string(edge));
  const int64_t begin = edge == 0 ? 0 : reason_end[edge - 1];
  return std::string_view(reason_bytes).substr(begin, reason_end[edge] - begin);
}

void write_serving_file(const std::filesystem::path& path, const ServingModel& m,
                        const std::string& config_sha256) {
  auto f = h5::File::create(path);
  auto root = m.root;
  root.schema = "serving", root.schema_version = kServingSchemaVersion,
  root.config_sha256 = config_sha256;
  h5::write_root_attrs(f, root);
  h5::set_attr(f, "graph_version", m.graph_version);
  h5::set_attr(f, "trigger_window_h", m.complements.window_h);
  h5::CheckedWriter w(f);
  w.put_strings("entities/entity_id", m.entity_ids);
  w.put_strings("entities/name", m.entity_names);
  w.put_strings("items/id", m.items.ids);
  w.put<int32_t>("items/price_bucket", m.items.price_bucket);
  w.put<uint8_t>("items/cold_start", m.items.cold_start);
  w.put<int64_t>("items/entity_offsets", m.items.entities.offsets);
  w.put<int64_t>("items/entity", m.items.entities.ids);
  w.put<int64_t>("entity_items/offsets", m.entity_item_offsets);
  w.put<int32_t>("entity_items/item", m.entity_item);
  w.put<float>("entity_items/score", m.entity_item_score);
  const auto& g = m.complements.graph;
  w.put<int32_t>("complements/source", g.sources());
  w.put<int32_t>("complements/target", g.targets);
  w.put<float>("complements/weight", g.weights);
  w.put<float>("complements/confidence", m.confidence);
  w.put<int64_t>("complements/reason_end", m.reason_end);
  w.put<uint8_t>("complements/reason_bytes",
                 std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(m.reason_bytes.data()),
                                          m.reason_bytes.size()));
  w.put<double>("complements/recency", m.complements.recency);
  w.put<int32_t>("substitutes/source", m.substitutes.sources());
  w.put<int32_t>("substitutes/target", m.substitutes.targets);
  w.put<float>("substitutes/weight", m.substitutes.weights);
  w.put<int32_t>("popular/item", m.popular);
  write_ranker(f, w, m);
  write_users(w, m.users);
  extract::write_extractor(w, "extractor/", m.extractor);
  w.finish();
}

namespace {

train::EntityGraph read_graph(const h5::CheckedReader& r, const std::string& group,
                              int64_t entities, const std::string& weight) {
  const auto source = r.get<int32_t>(group + "/source"), target = r.get<int32_t>(group + "/target");
  const auto w = r.get<float>(group + "/" + weight);
  if (source.size() != target.size() || source.size() != w.size())
    r.fail("/" + group, "source, target and " + weight + " differ in length");
  for (size_t i = 1; i < source.size(); ++i)  // per-edge datasets beside it follow this order
    if (std::tie(source[i - 1], target[i - 1]) >= std::tie(source[i], target[i]))
      r.fail("/" + group,
             "is not sorted by (source, target) without repeats at edge " + std::to_string(i));
  try {
    return train::EntityGraph::from_edges(entities, source, target, w);
  } catch (const std::invalid_argument& e) {
    r.fail("/" + group, e.what());
  }
}

// Checks that `offsets` is a CSR index of `rows` rows over `size` elements.
void check_csr(const h5::CheckedReader& r, const std::string& name,
               const std::vector<int64_t>& offsets, size_t rows, size_t size) {
  if (offsets.size() != rows + 1 || offsets.front() != 0 ||
      offsets.back() != static_cast<int64_t>(size) ||
      !std::is_sorted(offsets.begin(), offsets.end()))
    r.fail("/" + name, "is not a CSR index of " + std::to_string(rows) + " rows over " +
                           std::to_string(size) + " elements");
}

template <class T>
void check_range(const h5::CheckedReader& r, const std::string& name, const std::vector<T>& v,
                 int64_t bound) {
  for (T x : v)
    if (x < 0 || static_cast<int64_t>(x) >= bound)
      r.fail("/" + name,
             "holds " + std::to_string(x) + ", outside [0, " + std::to_string(bound) + ")");
}

void read_ranker(const h5::File& f, const h5::CheckedReader& r, ServingModel& m) {
  const auto g = f.open_group("ranker");
  train::RankerShape s;
  s.items = h5::get_attr<int64_t>(g, "items"), s.entities = h5::get_attr<int64_t>(g, "entities");
  s.user_buckets = h5::get_attr<int64_t>(g, "user_buckets"),
  s.scene_buckets = h5::get_attr<int64_t>(g, "scene_buckets");
  s.price_buckets = h5::get_attr<int64_t>(g, "price_buckets"),
  s.dim = h5::get_attr<int64_t>(g, "dim");
  s.dense = h5::get_attr<int64_t>(g, "dense");
  s.hidden = r.get<int64_t>("ranker/hidden");
  m.recent_bills = h5::get_attr<int64_t>(g, "recent_bills");
  m.bill_window_days = h5::get_attr<int64_t>(g, "bill_window_days");
  if (s.items != static_cast<int64_t>(m.items.ids.size()) || s.dense != train::kEeiFeatures ||
      s.entities <= 0 || s.user_buckets <= 0 || s.scene_buckets <= 0 || s.price_buckets <= 0 ||
      s.dim <= 0 || m.recent_bills < 0 || m.bill_window_days < 0)
    r.fail("/ranker",
           "is not the integrated ranker of these items (shape attributes out of range)");
  const auto text = attributes_text(m.graph_version, m.complements.window_h, s, m.recent_bills,
                                    m.bill_window_days);
  r.verify("attributes", xxh64(text.data(), text.size(), 0));
  m.ranker = std::make_unique<train::RankerModel>(s, 0);
  train::read_params(g, m.ranker->params());
  for (const auto& [name, values] : ranker_arrays(*m.ranker)) r.verify(name, xxh64(values, 0));
}

UserTable read_users(const h5::CheckedReader& r, int64_t entities) {
  UserTable u;
  u.logs_end_ts = h5::get_attr<int64_t>(r.file(), "logs_end_ts");
  const auto text = "logs_end_ts=" + std::to_string(u.logs_end_ts);
  r.verify("users/attributes", xxh64(text.data(), text.size(), 0));
  u.keys = r.get<uint64_t>("users/key");
  u.bill_offsets = r.get<int64_t>("users/bill_offsets");
  u.bill_entity = r.get<int32_t>("users/bill_entity");
  u.bill_ts = r.get<int64_t>("users/bill_ts");
  u.click_offsets = r.get<int64_t>("users/click_offsets");
  u.click_entity = r.get<int32_t>("users/click_entity");
  if (!std::is_sorted(u.keys.begin(), u.keys.end()) ||
      std::adjacent_find(u.keys.begin(), u.keys.end()) != u.keys.end())
    r.fail("/users/key", "is not strictly ascending");
  check_csr(r, "users/bill_offsets", u.bill_offsets, u.keys.size(), u.bill_entity.size());
  check_csr(r, "users/click_offsets", u.click_offsets, u.keys.size(), u.click_entity.size());
  if (u.bill_ts.size() != u.bill_entity.size())
    r.fail("/users", "bill_entity and bill_ts differ in length");
  check_range(r, "users/bill_entity", u.bill_entity, entities);
  check_range(r, "users/click_entity", u.click_entity, entities);
  return u;
}

}  // namespace

ServingModel read_serving_file(const std::filesystem::path& path) {
  const auto f = h5::File::open_read(path);
  ServingModel m;
  m.root = h5::read_root_attrs(f, "serving");
  if (m.root.schema_version != kServingSchemaVersion)
    throw InputError(path.string() + ": schema_version " + std::to_string(m.root.schema_version) +
                     ", this kerec reads " + std::to_string(kServingSchemaVersion));
  const h5::CheckedReader r(f, path, "rerun `kerec export`");
  m.graph_version = h5::get_attr<int64_t>(f, "graph_version");
  m.entity_ids = r.get_strings("entities/entity_id");
  m.entity_names = r.get_strings("entities/name");
  const auto n = static_cast<int64_t>(m.entity_ids.size());
  if (m.entity_names.size() != m.entity_ids.size())
    r.fail("/entities", "entity_id and name differ in length");
  m.items.ids = r.get_strings("items/id");
  m.items.price_bucket = r.get<int32_t>("items/price_bucket");
  m.items.cold_start = r.get<uint8_t>("items/cold_start");
  m.items.entities.offsets = r.get<int64_t>("items/entity_offsets");
  m.items.entities.ids = r.get<int64_t>("items/entity");
  m.items.num_entities = n;
  check_csr(r, "items/entity_offsets", m.items.entities.offsets, m.items.ids.size(),
            m.items.entities.ids.size());
  m.entity_item_offsets = r.get<int64_t>("entity_items/offsets");
  m.entity_item = r.get<int32_t>("entity_items/item");
  m.entity_item_score = r.get<float>("entity_items/score");
  check_csr(r, "entity_items/offsets", m.entity_item_offsets, static_cast<size_t>(n),
            m.entity_item.size());
  if (m.entity_item_score.size() != m.entity_item.size())
    r.fail("/entity_items", "item and score differ in length");
  m.complements.graph = read_graph(r, "complements", n, "weight");
  m.complements.recency = r.get<double>("complements/recency");
  m.complements.window_h = h5::get_attr<double>(f, "trigger_window_h");
  m.confidence = r.get<float>("complements/confidence");
  m.reason_end = r.get<int64_t>("complements/reason_end");
  const auto bytes = r.get<uint8_t>("complements/reason_bytes");
  m.reason_bytes.assign(bytes.begin(), bytes.end());
  const size_t edges = m.complements.graph.edges();
  if (m.confidence.size() != edges || m.reason_end.size() != edges ||
      m.complements.recency.empty() ||
      (edges > 0 && m.reason_end.back() != static_cast<int64_t>(m.reason_bytes.size())) ||
      !std::is_sorted(m.reason_end.begin(), m.reason_end.end()) ||
      (edges > 0 && m.reason_end.front() < 0))
    r.fail("/complements", "confidence, reasons or recency do not match the edges");
  m.substitutes = read_graph(r, "substitutes", n, "weight");
  m.popular = r.get<int32_t>("popular/item");
  const auto items = static_cast<int64_t>(m.items.ids.size());
  check_range(r, "items/entity", m.items.entities.ids, n);
  check_range(r, "entity_items/item", m.entity_item, items);
  check_range(r, "popular/item", m.popular, items);
  if (m.items.price_bucket.size() != m.items.ids.size() ||
      m.items.cold_start.size() != m.items.ids.size())
    r.fail("/items", "price_bucket, cold_start and id differ in length");
  read_ranker(f, r, m);
  m.users = read_users(r, n);
  m.extractor = extract::read_extractor(r, "extractor/");
  bool same = static_cast<int64_t>(m.extractor.entities.size()) == n;
  for (int64_t i = 0; same && i < n; ++i)
    same = m.extractor.entities[i].entity_id == m.entity_ids[i];
  if (!same)
    r.fail("/extractor/entities/entity_id",
           "differs from /entities/entity_id (entity indices must agree)");
  return m;
}

}  // namespace kerec::recall
