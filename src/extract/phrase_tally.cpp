#include "phrase_tally.h"

#include <cstring>
#include <type_traits>

namespace kerec::extract::phrase_tally {
namespace {

// Binary records (one build, so one layout, on every rank): per phrase its length and code
// points, items, voted, crossing, the cell and reader counts, then each cell (entity, Cell) and
// each reader (entity, voted, target count, (entity, n) pairs).
class Bytes {
 public:
  explicit Bytes(std::vector<char>& out) : out_(out) {}
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    out_.insert(out_.end(), p, p + sizeof(T));
  }
  void put(const std::u32string& s) {
    put(static_cast<uint32_t>(s.size()));
    const auto* p = reinterpret_cast<const char*>(s.data());
    out_.insert(out_.end(), p, p + s.size() * sizeof(char32_t));
  }

 private:
  std::vector<char>& out_;
};

class Cursor {
 public:
  explicit Cursor(std::span<const char> in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool done() const { return p_ == end_; }
  template <class T>
  T get() {
    T v;
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  std::u32string text() {
    std::u32string s(get<uint32_t>(), U'\0');
    std::memcpy(s.data(), p_, s.size() * sizeof(char32_t));
    p_ += s.size() * sizeof(char32_t);
    return s;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace

void encode(const std::u32string& phrase, const Tally& t, std::vector<char>& out) {
  Bytes b(out);
  b.put(phrase);
  b.put(t.items), b.put(t.voted), b.put(t.crossing);
  b.put(static_cast<uint32_t>(t.cells.size())), b.put(static_cast<uint32_t>(t.readers.size()));
  for (const auto& [h, c] : t.cells) b.put(h), b.put(c);
  for (const auto& [d, r] : t.readers) {
    b.put(d), b.put(r.voted), b.put(static_cast<uint32_t>(r.targets.size()));
    for (const auto& [h, n] : r.targets) b.put(h), b.put(n);
  }
}

void decode_into(std::span<const char> bytes, std::map<std::u32string, Tally>& out) {
  for (Cursor in(bytes); !in.done();) {
    Tally& t = out[in.text()];
    t.items += in.get<int64_t>(), t.voted += in.get<int64_t>(), t.crossing += in.get<int64_t>();
    const auto cells = in.get<uint32_t>(), readers = in.get<uint32_t>();
    for (uint32_t i = 0; i < cells; ++i) {
      Cell& into = t.cells[in.get<int32_t>()];
      const Cell c = in.get<Cell>();
      into.votes += c.votes, into.direct += c.direct, into.free_votes += c.free_votes;
      into.covered += c.covered, into.context += c.context;
    }
    for (uint32_t i = 0; i < readers; ++i) {
      Reader& r = t.readers[in.get<int32_t>()];
      r.voted += in.get<int64_t>();
      for (auto n = in.get<uint32_t>(); n > 0; --n) {
        const auto h = in.get<int32_t>();
        r.targets[h] += in.get<int64_t>();
      }
    }
  }
}

}  // namespace kerec::extract::phrase_tally
