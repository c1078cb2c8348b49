// UTF-8 validation, decoding and encoding (RFC 3629 / Unicode Table 3-7 well-formed sequences).
//
// Well-formed means: no overlong encodings (C0, C1, E0 80..9F, F0 80..8F), no surrogates
// (U+D800..U+DFFF, i.e. ED A0..BF), nothing above U+10FFFF (F4 90.., F5..FF), no stray
// continuation bytes and no truncated sequences. Byte offsets are 0-based from the start of the
// view. Normalisation (NFC/NFKC, case folding) lives in the text part, not here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kerec::utf8 {

inline constexpr size_t npos = std::string_view::npos;

// True when `text` is well-formed UTF-8. ASCII runs are checked 8 bytes at a time.
bool is_valid(std::string_view text);

// Byte offset of the first byte of the first ill-formed sequence, or npos when `text` is valid.
size_t first_invalid(std::string_view text);

// Code points of `text`. Throws kerec::InputError "invalid UTF-8 at byte N" when ill-formed.
std::u32string decode(std::string_view text);

// UTF-8 of `code_points`. Throws kerec::InputError when one is a surrogate or above U+10FFFF.
std::string encode(std::u32string_view code_points);

// Appends the UTF-8 of one code point (1..4 bytes) to `out`. Same errors as encode(); on error
// `out` is unchanged.
void append(std::string& out, char32_t code_point);

}  // namespace kerec::utf8
