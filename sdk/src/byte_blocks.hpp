// Text taken 16 bytes at a time: which bytes of a block belong to a class (bytes percent-encoding
// escapes, bytes JSON escapes, non-ASCII bytes, header-breaking bytes), and the walks that
// cover any text in such blocks without reading past its end. SSE2 (every x86-64) classifies a
// block in about a dozen instructions; elsewhere a byte loop gives the same masks. Identifiers,
// tokens and URLs are mostly bytes that need nothing, so most blocks are one test and one copy.
//
// Blocks are loaded straight from the text into a register, never assembled in memory first: a
// 16-byte load of bytes that were just stored in smaller pieces cannot be forwarded from the
// store buffer and stalls the load for a dozen cycles, which cost more than the rest of the
// encoding of a short identifier.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#if defined(__GNUC__)
#include <tmmintrin.h>  // SSSE3, used only by functions compiled for it (target attribute)
#endif
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

inline constexpr bool is_percent_escaped(char c) noexcept { return !is_unreserved(c); }
inline constexpr bool is_json_escaped(char c) noexcept {
    return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
}
inline constexpr bool is_non_ascii(char c) noexcept {
    return static_cast<unsigned char>(c) >= 0x80;
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

template <typename T>
T load_unaligned(const char* at) noexcept {
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

#if defined(__SSE2__)

// 16 bytes in a register.
struct Block {
    __m128i bytes;
};

inline Block load_block(const char* at) noexcept {
    return {_mm_loadu_si128(reinterpret_cast<const __m128i*>(at))};
}

// Lanes 0-7 from `low`, lanes 8-15 from `high`, each a little-endian 8-byte word.
inline Block block_of_words(std::uint64_t low, std::uint64_t high) noexcept {
    return {_mm_set_epi64x(static_cast<long long>(high), static_cast<long long>(low))};
}

namespace sse2 {

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

// Bytes outside RFC 3986's unreserved set A-Z a-z 0-9 - . _ ~
inline LaneMask percent_escaped_lanes(Block block) noexcept {
    const __m128i bytes = block.bytes;
    // Setting bit 5 folds A-Z onto a-z and maps no other byte into a-z.
    const __m128i letters = sse2::in_range(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), 'a', 'z');
    const __m128i digits = sse2::in_range(bytes, '0', '9');
    const __m128i dash_dot = sse2::in_range(bytes, '-', '.');
    const __m128i underscore_tilde = _mm_or_si128(sse2::equal(bytes, '_'), sse2::equal(bytes, '~'));
    const __m128i unreserved =
        _mm_or_si128(_mm_or_si128(letters, digits), _mm_or_si128(dash_dot, underscore_tilde));
    return ~sse2::lanes(unreserved) & lanes_between(0, kBlockSize);
}

#if defined(__GNUC__)
#define MATRIX_HAVE_SSSE3_PERCENT_LANES 1

// The same classification with SSSE3's byte shuffle (x86-64 CPUs since about 2006 have it; it
// is chosen at run time, see wire_text.hpp): each byte's low and high nibble index a table of
// group bits, and a byte is unreserved when both tables give it a common group. Nine
// instructions per block instead of about twenty.
//   bit 0: 0x2D-0x2E (- .)      bit 1: 0x30-0x39 (digits)   bit 2: 0x41-0x4F, 0x61-0x6F
//   bit 3: 0x50-0x5A, 0x70-0x7A  bit 4: 0x5F (_)            bit 5: 0x7E (~)
// Bytes from 0x80 have a high nibble whose table entry is 0: always escaped.
[[gnu::target("ssse3")]] inline LaneMask percent_escaped_lanes_ssse3(Block block) noexcept {
    // Indexed by the low nibble, 0x0 to 0xF.
    const __m128i by_low = _mm_setr_epi8(0x0A, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E, 0x0E,
                                         0x0C, 0x04, 0x04, 0x05, 0x25, 0x14);
    // Indexed by the high nibble: 0x2 to 0x7 have groups, the others none.
    const __m128i by_high =
        _mm_setr_epi8(0x00, 0x00, 0x01, 0x02, 0x04, 0x18, 0x04, 0x28, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i low = _mm_and_si128(block.bytes, nibble);
    const __m128i high = _mm_and_si128(_mm_srli_epi16(block.bytes, 4), nibble);
    const __m128i groups =
        _mm_and_si128(_mm_shuffle_epi8(by_low, low), _mm_shuffle_epi8(by_high, high));
    return sse2::lanes(_mm_cmpeq_epi8(groups, _mm_setzero_si128()));
}

#endif

// Bytes a JSON string escapes: control bytes, '"' and '\'.
inline LaneMask json_escaped_lanes(Block block) noexcept {
    const __m128i bytes = block.bytes;
    const __m128i control = sse2::in_range(bytes, 0x00, 0x1F);
    return sse2::lanes(
        _mm_or_si128(control, _mm_or_si128(sse2::equal(bytes, '"'), sse2::equal(bytes, '\\'))));
}

inline LaneMask non_ascii_lanes(Block block) noexcept { return sse2::lanes(block.bytes); }

// CR, LF and NUL: the bytes that would end or cut an HTTP header line.
inline LaneMask header_break_lanes(Block block) noexcept {
    const __m128i bytes = block.bytes;
    return sse2::lanes(
        _mm_or_si128(_mm_or_si128(sse2::equal(bytes, '\r'), sse2::equal(bytes, '\n')),
                     sse2::equal(bytes, '\0')));
}

#else

struct Block {
    char bytes[kBlockSize];
};

inline Block load_block(const char* at) noexcept {
    Block block;
    std::memcpy(block.bytes, at, kBlockSize);
    return block;
}

inline Block block_of_words(std::uint64_t low, std::uint64_t high) noexcept {
    Block block;
    for (std::size_t i = 0; i < 8; ++i) {
        block.bytes[i] = static_cast<char>(low >> (8 * i));
        block.bytes[8 + i] = static_cast<char>(high >> (8 * i));
    }
    return block;
}

inline LaneMask percent_escaped_lanes(Block block) noexcept {
    return scalar_lanes<is_percent_escaped>(block.bytes);
}
inline LaneMask json_escaped_lanes(Block block) noexcept {
    return scalar_lanes<is_json_escaped>(block.bytes);
}
inline LaneMask non_ascii_lanes(Block block) noexcept {
    return scalar_lanes<is_non_ascii>(block.bytes);
}
inline LaneMask header_break_lanes(Block block) noexcept {
    return scalar_lanes<is_header_break>(block.bytes);
}

#endif

// Copies 0 to 16 bytes with fixed-size copies (overlapping when the size is not a power of
// two): a call to memcpy costs more than these for such short runs.
[[gnu::always_inline]] inline char* copy_short(char* out, const char* in,
                                               std::size_t size) noexcept {
    if (size >= 8) {
        std::memcpy(out, in, 8);
        std::memcpy(out + size - 8, in + size - 8, 8);
    } else if (size >= 4) {
        std::memcpy(out, in, 4);
        std::memcpy(out + size - 4, in + size - 4, 4);
    } else if (size != 0) {
        // Sizes 1 to 3: first, middle and last byte (some of them the same).
        out[0] = in[0];
        out[size / 2] = in[size / 2];
        out[size - 1] = in[size - 1];
    }
    return out + size;
}

// A block holding the 1 to 15 bytes of `text`, some of them twice, the rest `padding`. Good for
// questions about any byte of the text (is one of them non-ASCII?), not for where bytes are.
inline Block block_covering_short(std::string_view text, char padding) noexcept {
    const char* in = text.data();
    const std::size_t size = text.size();
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    const std::uint64_t pad = kOnes * static_cast<unsigned char>(padding);
    if (size >= 8) {
        return block_of_words(load_unaligned<std::uint64_t>(in),
                              load_unaligned<std::uint64_t>(in + size - 8));
    }
    if (size >= 4) {
        const std::uint64_t halves = load_unaligned<std::uint32_t>(in) |
                                     std::uint64_t{load_unaligned<std::uint32_t>(in + size - 4)}
                                         << 32;
        return block_of_words(halves, pad);
    }
    const auto byte = [&](std::size_t i) {
        return std::uint64_t{static_cast<unsigned char>(in[i])};
    };
    const std::uint64_t three = byte(0) | byte(size / 2) << 8 | byte(size - 1) << 16;
    return block_of_words(three | (pad << 24), pad);
}

// Calls `scan(block)` for blocks that together cover `text` and nothing else: for a scan that
// ORs what it finds, reading a byte twice is harmless, so the last partial block is read as the
// 16 bytes that end the text, and text shorter than a block is covered by one block padded with
// `padding`, a byte the scan does not look for.
template <typename Scan>
[[gnu::always_inline]] inline void for_each_overlapping_block(std::string_view text, char padding,
                                                              Scan&& scan) {
    const char* const data = text.data();
    const std::size_t size = text.size();
    if (size < kBlockSize) {
        if (size != 0) scan(block_covering_short(text, padding));
        return;
    }
    std::size_t done = 0;
    for (; done + kBlockSize < size; done += kBlockSize) scan(load_block(data + done));
    scan(load_block(data + size - kBlockSize));
}

// True when `text` is ASCII and, if `header` is set, holds no CR, LF or NUL: what nearly every
// identifier, token and URL is. Inlined into the compile-time encoders, where a false answer
// sends the call to the full checks.
[[gnu::always_inline]] inline bool is_plain_ascii(std::string_view text, bool header) noexcept {
    LaneMask found = 0;
    for_each_overlapping_block(
        text, 'a', [&](Block block) __attribute__((always_inline)) {
            found |= non_ascii_lanes(block);
            if (header) found |= header_break_lanes(block);
        });
    return found == 0;
}

}  // namespace matrix::detail
