#include "io/tsv_lines.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kerec::io::detail {
namespace {

#if defined(__SSE2__)
constexpr size_t kBlockBytes = 16;

// Bit i of `tabs` / `newlines` is set when byte i of the 16 bytes at `p` is a '\t' / '\n';
// `high` is non-zero when some byte is not ASCII.
void classify_block(const char* p, uint32_t& tabs, uint32_t& newlines, uint32_t& high) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  tabs = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\t'))));
  newlines = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))));
  high = static_cast<uint32_t>(_mm_movemask_epi8(bytes));
}
#else
constexpr size_t kBlockBytes = 8;

// Portable fallback, 8 bytes at a time: exact per-byte equality masks without borrows between
// bytes (the high bit of each byte's sum is set iff the byte is non-zero).
uint32_t equal_bytes(uint64_t word, char c) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t x = word ^ (0x0101010101010101ULL * static_cast<unsigned char>(c));
  const uint64_t zero_high = ~(((x & kLow7) + kLow7) | x) & ~kLow7;
  uint32_t mask = 0;
  for (int i = 0; i < 8; ++i) mask |= static_cast<uint32_t>((zero_high >> (8 * i + 7)) & 1) << i;
  return mask;
}

void classify_block(const char* p, uint32_t& tabs, uint32_t& newlines, uint32_t& high) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  tabs = equal_bytes(word, '\t');
  newlines = equal_bytes(word, '\n');
  high = (word & 0x8080808080808080ULL) != 0;
}
#endif

}  // namespace

LineBuffer::LineBuffer(InputFile& file, size_t block_bytes, size_t first_read_bytes)
    : file_(file), buffer_(block_bytes + kPadBytes), read_limit_(first_read_bytes) {}

bool LineBuffer::next_line(std::string_view& line, uint64_t& offset) {
  for (;;) {
    const char* begin = buffer_.data() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
    if (newline != nullptr || (eof_ && pos_ < end_)) {
      const size_t length = newline ? static_cast<size_t>(newline - begin) : end_ - pos_;
      line = std::string_view(begin, length);
      offset = buffer_offset_ + pos_;
      pos_ += length + (newline ? 1 : 0);
      return true;
    }
    if (eof_) return false;
    refill();
  }
}

// Classifies the line's bytes a block at a time and walks the tab bits of each block; bytes past
// the valid data (read from the padding or stale buffer contents) are masked off. The ASCII
// verdict is conservative: any non-ASCII byte in a scanned block, even past the line, clears it.
LineBuffer::Scan LineBuffer::scan(std::span<std::string_view> fields, size_t& field_count) const {
  Scan result;
  const char* field_start = buffer_.data() + pos_;
  const char* const stop = buffer_.data() + end_;
  field_count = 0;
  for (const char* block = field_start; block < stop; block += kBlockBytes) {
    uint32_t tabs, newlines, high;
    classify_block(block, tabs, newlines, high);
    result.ascii = result.ascii && high == 0;
    const auto valid = static_cast<size_t>(stop - block);
    if (valid < kBlockBytes) {
      const uint32_t keep = (uint32_t{1} << valid) - 1;
      tabs &= keep;
      newlines &= keep;
    }
    if (newlines != 0) tabs &= (newlines & (0 - newlines)) - 1;  // only tabs before the newline
    for (; tabs != 0; tabs &= tabs - 1) {
      const char* tab = block + std::countr_zero(tabs);
      if (field_count < fields.size()) {
        fields[field_count] = std::string_view(field_start, static_cast<size_t>(tab - field_start));
      }
      ++field_count;
      field_start = tab + 1;
    }
    if (newlines != 0) {
      result.newline = block + std::countr_zero(newlines);
      break;
    }
  }
  result.last_field = field_start;
  return result;
}

bool LineBuffer::next_split_line(std::string_view& line, uint64_t& offset,
                                 std::span<std::string_view> fields, size_t& field_count,
                                 bool& ascii) {
  Scan found;
  for (;;) {
    found = scan(fields, field_count);
    if (found.newline != nullptr || (eof_ && pos_ < end_)) break;
    if (eof_) return false;
    refill();  // the line continues past the buffer: read more and scan it again
  }
  const char* begin = buffer_.data() + pos_;
  const char* line_end = found.newline ? found.newline : buffer_.data() + end_;
  offset = buffer_offset_ + pos_;
  pos_ = static_cast<size_t>(line_end - buffer_.data()) + (found.newline ? 1 : 0);
  if (line_end > begin && line_end[-1] == '\r') --line_end;
  line = std::string_view(begin, static_cast<size_t>(line_end - begin));
  if (field_count < fields.size()) {
    fields[field_count] =
        std::string_view(found.last_field, static_cast<size_t>(line_end - found.last_field));
  }
  ++field_count;
  ascii = found.ascii;
  return true;
}

// Moves the unconsumed tail to the front, grows the buffer when a line fills it, reads more.
void LineBuffer::refill() {
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    buffer_offset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == capacity()) buffer_.resize(2 * capacity() + kPadBytes);
  const size_t want = std::min(capacity() - end_, read_limit_);
  const size_t got = file_.read(buffer_.data() + end_, want);
  read_limit_ = std::numeric_limits<size_t>::max();
  bytes_read_ += static_cast<int64_t>(got);
  end_ += got;
  eof_ = got == 0;
}

void LineBuffer::seek(uint64_t offset) {
  file_.seek(offset);
  buffer_offset_ = offset;
  pos_ = end_ = 0;
  eof_ = false;
}

}  // namespace kerec::io::detail
