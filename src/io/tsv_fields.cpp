// Messages for bad TSV fields.
#include "io/tsv_fields.h"

namespace kerec::io::detail {
namespace {

constexpr size_t kQuotedValueBytes = 40;

}  // namespace

std::string quoted(std::string_view text) {
  if (text.size() <= kQuotedValueBytes) return "'" + std::string(text) + "'";
  size_t cut = kQuotedValueBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

std::string describe(FieldCheck check, std::string_view text) {
  switch (check) {
    case FieldCheck::kOk:
      return "ok";
    case FieldCheck::kEmpty:
      return "empty";
    case FieldCheck::kNulByte:
      return "contains a NUL byte";
    case FieldCheck::kNotInteger:
      return "not an integer: " + quoted(text);
    case FieldCheck::kIntegerRange:
      return "integer out of range: " + quoted(text);
    case FieldCheck::kNotNumber:
      return "not a number: " + quoted(text);
    case FieldCheck::kNumberRange:
      return "number out of range: " + quoted(text);
    case FieldCheck::kNotFinite:
      return "not a finite number: " + quoted(text);
    case FieldCheck::kNegative:
      return "negative: " + quoted(text);
    case FieldCheck::kNotBool:
      return "expected 0 or 1: " + quoted(text);
    case FieldCheck::kNotTime:
      return "not a time: " + quoted(text) + "; expected " + kTimeForms;
  }
  return "invalid: " + quoted(text);
}

}  // namespace kerec::io::detail
