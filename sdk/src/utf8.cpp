// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
// and the search for header-breaking bytes, eight bytes at a time over ASCII, which is what
// identifiers, tokens and URLs are.
#include "utf8.hpp"

#include <cstdint>
#include <cstring>

namespace matrix::detail {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;

// Exact for any word: non-zero iff one of its bytes is zero.
constexpr std::uint64_t zero_bytes(std::uint64_t word) noexcept {
    return (word - kOnes) & ~word & kHighBits;
}

// The bytes of `word` that are CR, LF or NUL (as their high bits). All three are below 0x0E: a
// word with no byte that low (nearly every word) is cleared by one cheap test.
constexpr std::uint64_t header_break_bytes(std::uint64_t word) noexcept {
    if (((word - kOnes * 0x0E) & ~word & kHighBits) == 0) return 0;
    return zero_bytes(word) | zero_bytes(word ^ (kOnes * '\r')) | zero_bytes(word ^ (kOnes * '\n'));
}

std::uint64_t load_word(const unsigned char* at) noexcept {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    return word;
}

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

// ASCII first, without a branch per word: the high bits of every word are OR-ed together and
// tested once. Only text that turns out not to be ASCII takes the byte-by-byte path.
TextFacts check_text(std::string_view text, LookForHeaderBreaks look) noexcept {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    const bool look_for_breaks = look == LookForHeaderBreaks::yes;
    if (size < 8) return check_sequences(text, look_for_breaks);
    std::uint64_t high_bits = 0;
    std::uint64_t breaks = 0;
    const auto scan = [&](std::uint64_t word) {
        high_bits |= word;
        if (look_for_breaks) breaks |= header_break_bytes(word);
    };
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) scan(load_word(bytes + i));
    // The last bytes, read as the word that ends the text (it overlaps bytes already read).
    if (i < size) scan(load_word(bytes + size - 8));
    if ((high_bits & kHighBits) != 0) return check_sequences(text, look_for_breaks);
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
