// Text taken 16 bytes at a time: which bytes of a block belong to a class (bytes percent-encoding
// escapes, bytes JSON escapes, non-ASCII bytes, header-breaking bytes), and a walk that covers
// any text in such blocks without reading past its end. SSE2 (every x86-64) classifies a block
// in about a dozen instructions; elsewhere a byte loop gives the same masks. Identifiers,
// tokens and URLs are mostly bytes that need nothing, so most blocks are one test and one copy.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "matrix/percent_encoding.hpp"

namespace matrix::detail {

inline constexpr std::size_t kBlockSize = 16;

// Bit i stands for byte i of a block.
using LaneMask = std::uint32_t;

// The lanes [first, end), for first <= end <= 16.
constexpr LaneMask lanes_between(std::size_t first, std::size_t end) noexcept {
    return ((LaneMask{1} << end) - 1) & ~((LaneMask{1} << first) - 1);
}

inline constexpr bool is_json_escaped(char c) noexcept {
    return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
}

inline constexpr bool is_header_break(char c) noexcept {
    return c == '\r' || c == '\n' || c == '\0';
}

// The byte-at-a-time classification: the only one on targets without SSE2, and the reference
// the SSE2 one is tested against.
template <bool (*InClass)(char) noexcept>
LaneMask scalar_lanes(const char* block) noexcept {
    LaneMask lanes = 0;
    for (std::size_t i = 0; i < kBlockSize; ++i) {
        if (InClass(block[i])) lanes |= LaneMask{1} << i;
    }
    return lanes;
}

inline constexpr bool is_percent_escaped(char c) noexcept { return !is_unreserved(c); }
inline constexpr bool is_non_ascii(char c) noexcept {
    return static_cast<unsigned char>(c) >= 0x80;
}

#if defined(__SSE2__)
namespace sse2 {

inline __m128i load(const char* block) noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
}

inline LaneMask lanes(__m128i in_class) noexcept {
    return static_cast<LaneMask>(_mm_movemask_epi8(in_class));
}

inline __m128i equal(__m128i bytes, char c) noexcept {
    return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c));
}

// Bytes in [low, high], both below 0x80, in two instructions: adding 0x80 - low moves the range
// to the bottom of the signed bytes, [-128, -128 + high - low], where one signed compare finds
// it. Bytes from 0x80 up land above it, outside the range, as they must.
inline __m128i in_range(__m128i bytes, char low, char high) noexcept {
    const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(0x80 - low)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + (high - low) + 1)));
}

}  // namespace sse2
#endif

// Bytes outside RFC 3986's unreserved set A-Z a-z 0-9 - . _ ~
inline LaneMask percent_escaped_lanes(const char* block) noexcept {
#if defined(__SSE2__)
    const __m128i bytes = sse2::load(block);
    // Setting bit 5 folds A-Z onto a-z and maps no other byte into a-z.
    const __m128i letters = sse2::in_range(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i digits = sse2::in_range(bytes, '0', '9');
    const __m128i dash_dot = sse2::in_range(bytes, '-', '.');
    const __m128i underscore_tilde = _mm_or_si128(sse2::equal(bytes, '_'), sse2::equal(bytes, '~'));
    const __m128i unreserved =
        _mm_or_si128(_mm_or_si128(letters, digits), _mm_or_si128(dash_dot, underscore_tilde));
    return ~sse2::lanes(unreserved) & lanes_between(0, kBlockSize);
#else
    return scalar_lanes<is_percent_escaped>(block);
#endif
}

// Bytes a JSON string escapes: control bytes, '"' and '\'.
inline LaneMask json_escaped_lanes(const char* block) noexcept {
#if defined(__SSE2__)
    const __m128i bytes = sse2::load(block);
    const __m128i control = sse2::in_range(bytes, 0x00, 0x1F);
    return sse2::lanes(
        _mm_or_si128(control, _mm_or_si128(sse2::equal(bytes, '"'), sse2::equal(bytes, '\\'))));
#else
    return scalar_lanes<is_json_escaped>(block);
#endif
}

inline LaneMask non_ascii_lanes(const char* block) noexcept {
#if defined(__SSE2__)
    return sse2::lanes(sse2::load(block));
#else
    return scalar_lanes<is_non_ascii>(block);
#endif
}

// CR, LF and NUL: the bytes that would end or cut an HTTP header line.
inline LaneMask header_break_lanes(const char* block) noexcept {
#if defined(__SSE2__)
    const __m128i bytes = sse2::load(block);
    return sse2::lanes(
        _mm_or_si128(_mm_or_si128(sse2::equal(bytes, '\r'), sse2::equal(bytes, '\n')),
                     sse2::equal(bytes, '\0')));
#else
    return scalar_lanes<is_header_break>(block);
#endif
}

// A block's bytes kept where runs of them can be copied with fixed 16-byte copies.
struct LocalBlock {
    char bytes[2 * kBlockSize] = {};
};

// Copies the 1 to 16 bytes of `text` into `out` with fixed-size copies (overlapping when the
// size is not a power of two): a call to memcpy costs more than these for such short text.
[[gnu::always_inline]] inline void copy_short(char* out, std::string_view text) noexcept {
    const std::size_t size = text.size();
    const char* in = text.data();
    if (size >= 8) {
        std::memcpy(out, in, 8);
        std::memcpy(out + size - 8, in + size - 8, 8);
    } else if (size >= 4) {
        std::memcpy(out, in, 4);
        std::memcpy(out + size - 4, in + size - 4, 4);
    } else {
        // Sizes 1 to 3: first, middle and last byte (some of them the same).
        out[0] = in[0];
        out[size / 2] = in[size / 2];
        out[size - 1] = in[size - 1];
    }
}

// Calls `visit(block, first, count)` for consecutive pieces of `text`: lanes [first, count) of
// the 16 readable bytes at `block` are the next bytes of the text. Never reads outside the
// text: whole blocks are read in place with first = 0 and count = 16; the rest is read as the
// 16 bytes that end the text (first > 0: its first lanes were visited already) or, for text
// shorter than a block, copied into a local block whose other bytes are zero.
template <typename Visit>
[[gnu::always_inline]] inline void for_each_block(std::string_view text, Visit&& visit) {
    const char* const data = text.data();
    const std::size_t size = text.size();
    if (size < kBlockSize) {
        if (size == 0) return;
        LocalBlock local;
        copy_short(local.bytes, text);
        visit(static_cast<const char*>(local.bytes), std::size_t{0}, size);
        return;
    }
    std::size_t done = 0;
    for (; done + kBlockSize <= size; done += kBlockSize) {
        visit(data + done, std::size_t{0}, kBlockSize);
    }
    if (done < size) visit(data + size - kBlockSize, kBlockSize - (size - done), kBlockSize);
}

// Calls `scan(block)` for blocks that together cover `text` and nothing else: for a scan that
// ORs what it finds, reading a byte twice is harmless, so the last partial block is read as the
// 16 bytes that end the text, and only text shorter than a block is copied (into a local block
// padded with `padding`, a byte the scan does not look for).
template <typename Scan>
[[gnu::always_inline]] inline void for_each_overlapping_block(std::string_view text, char padding,
                                                              Scan&& scan) {
    const char* const data = text.data();
    const std::size_t size = text.size();
    if (size < kBlockSize) {
        if (size == 0) return;
        LocalBlock local;
        std::memset(local.bytes, padding, kBlockSize);
        copy_short(local.bytes, text);
        scan(static_cast<const char*>(local.bytes));
        return;
    }
    std::size_t done = 0;
    for (; done + kBlockSize < size; done += kBlockSize) scan(data + done);
    scan(data + size - kBlockSize);
}

// True when `text` is ASCII and, if `header` is set, holds no CR, LF or NUL: what nearly every
// identifier, token and URL is. Inlined into the compile-time encoders, where a false answer
// sends the call to the full checks.
[[gnu::always_inline]] inline bool is_plain_ascii(std::string_view text, bool header) noexcept {
    LaneMask found = 0;
    for_each_overlapping_block(
        text, 'a', [&](const char* block) __attribute__((always_inline)) {
            found |= non_ascii_lanes(block);
            if (header) found |= header_break_lanes(block);
        });
    return found == 0;
}

}  // namespace matrix::detail
