// The 16-byte block code under the request encoders (sdk/src/byte_blocks.hpp, wire_text.hpp):
// the SSE2 classifications against the byte-at-a-time ones, and the block writers and checks
// against plain byte loops, on every length around the block size.
#include "byte_blocks.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "utf8.hpp"
#include "wire_text.hpp"

namespace matrix::detail {
namespace {

// Every byte value in every lane, the other lanes filled with a byte of the other class.
template <bool (*InClass)(char) noexcept>
void expect_same_lanes_as_scalar(LaneMask (*lanes)(Block) noexcept, const char* name) {
    for (int value = 0; value < 256; ++value) {
        for (std::size_t lane = 0; lane < kBlockSize; ++lane) {
            for (const char filler : {'a', '%', '\0', '\x80'}) {
                char block[kBlockSize];
                std::fill(std::begin(block), std::end(block), filler);
                block[lane] = static_cast<char>(value);
                ASSERT_EQ(lanes(load_block(block)), scalar_lanes<InClass>(block))
                    << name << ": byte " << value << " in lane " << lane;
            }
        }
    }
}

TEST(ByteBlocks, ClassifiesEveryByteInEveryLaneAsTheByteLoopDoes) {
    expect_same_lanes_as_scalar<is_percent_escaped>(percent_escaped_lanes, "percent");
    expect_same_lanes_as_scalar<is_json_escaped>(json_escaped_lanes, "json");
    expect_same_lanes_as_scalar<is_non_ascii>(non_ascii_lanes, "non-ASCII");
    expect_same_lanes_as_scalar<is_header_break>(header_break_lanes, "header break");
}

#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
TEST(ByteBlocks, ClassifiesWithSsse3AsTheByteLoopDoes) {
    if (!__builtin_cpu_supports("ssse3")) GTEST_SKIP() << "this CPU has no SSSE3";
    expect_same_lanes_as_scalar<is_percent_escaped>(percent_escaped_lanes_ssse3, "percent");
}
#endif

// Random text of every length from 0 to 80, from an alphabet that mixes bytes each class
// flags with bytes it does not.
std::vector<std::string> sample_texts() {
    static constexpr std::string_view kAlphabet = "aZ09-._~ %/:!@\"\\\r\n\t\x01\x7f\xc3\xa9\xff";
    std::mt19937 random(20261127);
    std::vector<std::string> texts;
    for (std::size_t size = 0; size <= 80; ++size) {
        for (int sample = 0; sample < 40; ++sample) {
            std::string text;
            for (std::size_t i = 0; i < size; ++i) {
                text += kAlphabet[random() % kAlphabet.size()];
            }
            texts.push_back(text);
            texts.push_back(std::string(size, 'x'));  // no escapes at all: the copy-only path
        }
    }
    return texts;
}

std::string byte_by_byte(const std::array<EncodedByte, 256>& table, std::string_view text) {
    std::string out;
    for (const char c : text) {
        const EncodedByte& encoded = table[static_cast<unsigned char>(c)];
        out.append(encoded.bytes.data(), encoded.size);
    }
    return out;
}

// `write` into a buffer sized by `size` gives `expected(text)` for every sample text.
template <typename Expected, typename Write, typename Size>
void expect_writes(Expected&& expected_of, Write&& write, Size&& size) {
    for (const std::string& text : sample_texts()) {
        const std::string expected = expected_of(text);
        std::string written(expected.size() + kWriteSlack, '?');
        const char* end = write(written.data(), text);
        written.resize(static_cast<std::size_t>(end - written.data()));
        ASSERT_EQ(written, expected) << "text of " << text.size() << " bytes";
        ASSERT_EQ(size(text), expected.size());
    }
}

// Every writer this CPU can run, and the one encoding uses.
std::vector<PercentWriter> percent_writers() {
    std::vector<PercentWriter> writers = {
        &write_percent_encoded_baseline,
        [](char* out, std::string_view text, LaneMask* non_ascii) noexcept {
            return write_percent_encoded(out, text, non_ascii);
        }};
#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
    if (__builtin_cpu_supports("ssse3")) writers.push_back(&write_percent_encoded_ssse3);
#endif
    return writers;
}

TEST(ByteBlocks, PercentEncodesAsTheTableDoesByteByByte) {
    for (const PercentWriter writer : percent_writers()) {
        expect_writes([](std::string_view text) { return byte_by_byte(kPercentEncoded, text); },
                      [&](char* out, std::string_view text) { return writer(out, text, nullptr); },
                      percent_encoded_size);
    }
}

TEST(ByteBlocks, EncodingUsesSsse3WhereTheCpuHasIt) {
    std::string out(8 + kWriteSlack, '?');
    write_percent_encoded(out.data(), "a b");  // the first call chooses
#if defined(MATRIX_HAVE_SSSE3_PERCENT_LANES)
    if (__builtin_cpu_supports("ssse3")) {
        EXPECT_EQ(percent_writer.load(), &write_percent_encoded_ssse3);
        return;
    }
#endif
    EXPECT_EQ(percent_writer.load(), &write_percent_encoded_baseline);
}

TEST(ByteBlocks, EscapesJsonStringsAsTheTableDoesByteByByte) {
    expect_writes(
        [](std::string_view text) { return '"' + byte_by_byte(kJsonEscaped, text) + '"'; },
        write_json_string, json_string_size);
}

TEST(ByteBlocks, ReportsNonAsciiBytesItPercentEncodes) {
    for (const std::string& text : sample_texts()) {
        bool has_non_ascii = false;
        for (const char c : text) has_non_ascii = has_non_ascii || is_non_ascii(c);
        for (const PercentWriter writer : percent_writers()) {
            std::string written(3 * text.size() + kWriteSlack, '?');
            LaneMask non_ascii = 0;
            writer(written.data(), text, &non_ascii);
            ASSERT_EQ(non_ascii != 0, has_non_ascii) << "text of " << text.size() << " bytes";
        }
    }
}

TEST(ByteBlocks, TextChecksAgreeWithByteLoops) {
    for (const std::string& text : sample_texts()) {
        bool ascii = true;
        bool breaks = false;
        for (const char c : text) {
            ascii = ascii && !is_non_ascii(c);
            breaks = breaks || is_header_break(c);
        }
        ASSERT_EQ(is_plain_ascii(text, false), ascii) << "text of " << text.size() << " bytes";
        ASSERT_EQ(is_plain_ascii(text, true), ascii && !breaks);
        const TextFacts facts = check_text(text, LookForHeaderBreaks::yes);
        if (ascii) {
            ASSERT_TRUE(facts.valid_utf8);
        }
        // Invalid UTF-8 is refused for that alone: the search for breaks may stop at it.
        if (facts.valid_utf8) {
            ASSERT_EQ(facts.has_cr_lf_or_nul, breaks) << "text of " << text.size() << " bytes";
        }
    }
}

// The block covering text shorter than a block holds its bytes and, elsewhere, only padding.
TEST(ByteBlocks, CoversShortTextWithItsOwnBytesAndPadding) {
    for (std::size_t size = 1; size < kBlockSize; ++size) {
        for (std::size_t lane = 0; lane < size; ++lane) {
            std::string text(size, 'a');
            text[lane] = '\x80';
            EXPECT_NE(non_ascii_lanes(block_covering_short(text, 'a')), 0U) << size << " " << lane;
            text[lane] = '\n';
            EXPECT_NE(header_break_lanes(block_covering_short(text, 'a')), 0U)
                << size << " " << lane;
        }
        EXPECT_EQ(non_ascii_lanes(block_covering_short(std::string(size, 'a'), 'a')), 0U);
        EXPECT_EQ(header_break_lanes(block_covering_short(std::string(size, 'a'), 'a')), 0U);
    }
}

}  // namespace
}  // namespace matrix::detail
