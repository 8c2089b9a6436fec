// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
// and the search for header-breaking bytes, sixteen bytes at a time over ASCII, which is what
// identifiers, tokens and URLs are.
#include "utf8.hpp"

#include <cstdint>
#include <cstring>

#include "byte_blocks.hpp"

namespace matrix::detail {
namespace {

// Any text, byte by byte through the UTF-8 sequences.
TextFacts check_sequences(std::string_view text, bool look_for_breaks) noexcept {
    TextFacts facts;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if (look_for_breaks && (byte == '\r' || byte == '\n' || byte == '\0')) {
                facts.has_cr_lf_or_nul = true;
            }
            ++i;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            facts.valid_utf8 = false;
            return facts;
        }
        i += length;
    }
    return facts;
}

}  // namespace

// ASCII first, a 16-byte block at a time, without a branch per block: the non-ASCII and
// header-breaking lanes of every block are OR-ed together and tested once. Only text that turns
// out not to be ASCII takes the byte-by-byte path.
TextFacts check_text(std::string_view text, LookForHeaderBreaks look) noexcept {
    const bool look_for_breaks = look == LookForHeaderBreaks::yes;
    LaneMask non_ascii = 0;
    LaneMask breaks = 0;
    for_each_overlapping_block(
        text, 'a', [&](Block block) __attribute__((always_inline)) {
            non_ascii |= non_ascii_lanes(block);
            if (look_for_breaks) breaks |= header_break_lanes(block);
        });
    if (non_ascii != 0) return check_sequences(text, look_for_breaks);
    return {.valid_utf8 = true, .has_cr_lf_or_nul = breaks != 0};
}

}  // namespace matrix::detail

namespace matrix {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) second_min = 0xA0;  // overlong below U+0800
        if (lead == 0xED) second_max = 0x9F;  // UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) second_min = 0x90;  // overlong below U+10000
        if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - i < length) return 0;
    if (byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return length;
}

bool is_valid_utf8(std::string_view text) noexcept {
    return detail::check_text(text, detail::LookForHeaderBreaks::no).valid_utf8;
}

}  // namespace matrix
