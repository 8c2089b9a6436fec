// Percent-encoding as the vector format specifies it: only unreserved characters survive.
#include "matrix/percent_encoding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace matrix {
namespace {

using namespace std::string_literals;

TEST(PercentEncode, EncodesSpaceAsPercent20InPathSegment) {
    EXPECT_EQ(percent_encode("a b"), "a%20b");
}

TEST(PercentEncode, KeepsEveryUnreservedCharacterAsItIs) {
    const std::string unreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    EXPECT_EQ(percent_encode(unreserved), unreserved);
}

TEST(PercentEncode, TreatsExactlyTheSixtySixUnreservedBytesAsUnreserved) {
    // Any other byte left unencoded would reach the wire raw, so count them all.
    int kept = 0;
    for (int byte = 0; byte < 256; ++byte) {
        const char c = static_cast<char>(byte);
        const std::string encoded = percent_encode(std::string(1, c));
        if (is_unreserved(c)) {
            ++kept;
            EXPECT_EQ(encoded, std::string(1, c)) << "byte " << byte;
        } else {
            EXPECT_EQ(encoded.size(), 3U) << "byte " << byte;
            EXPECT_EQ(encoded.front(), '%') << "byte " << byte;
        }
    }
    EXPECT_EQ(kept, 66);
}

TEST(PercentEncode, EncodesReservedAndSubDelimiterCharactersWithUpperCaseHex) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"/", "%2F"}, {"?", "%3F"}, {"#", "%23"}, {"%", "%25"}, {"+", "%2B"},
        {":", "%3A"}, {"!", "%21"}, {"@", "%40"}, {"$", "%24"}, {"&", "%26"},
        {"=", "%3D"}, {";", "%3B"}, {",", "%2C"}, {"'", "%27"}, {"(", "%28"},
        {")", "%29"}, {"*", "%2A"}, {"[", "%5B"}, {"]", "%5D"},
    };
    for (const auto& [raw, encoded] : cases) {
        EXPECT_EQ(percent_encode(raw), encoded) << "for " << raw;
    }
}

TEST(PercentEncode, UsesUpperCaseHexForHighBytes) {
    EXPECT_EQ(percent_encode("\xab\xcd\xef"), "%AB%CD%EF");
}

TEST(PercentEncode, EncodesEachUtf8ByteOfEAcute) { EXPECT_EQ(percent_encode("é"), "%C3%A9"); }

TEST(PercentEncode, EncodesEachUtf8ByteOfAFourByteEmoji) {
    EXPECT_EQ(percent_encode("🐱"), "%F0%9F%90%B1");
}

TEST(PercentEncode, EncodesNulByteAsPercent00) { EXPECT_EQ(percent_encode("a\0b"s), "a%00b"); }

TEST(PercentEncode, EncodesARoomIdAsTheSeedShows) {
    EXPECT_EQ(percent_encode("!someroom:matrix.org"), "%21someroom%3Amatrix.org");
}

TEST(PercentEncode, AppendsToWhatIsAlreadyInTheOutput) {
    std::string out = "/rooms/";
    append_percent_encoded(out, "!r:x");
    EXPECT_EQ(out, "/rooms/%21r%3Ax");
}

TEST(PercentDecode, RoundTripsEveryByteValue) {
    std::string all_bytes;
    for (int byte = 0; byte < 256; ++byte) all_bytes.push_back(static_cast<char>(byte));
    const std::optional<std::string> decoded = percent_decode(percent_encode(all_bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, all_bytes);
}

TEST(PercentDecode, AcceptsLowerCaseHex) {
    EXPECT_EQ(percent_decode("%c3%a9%2f"), std::optional<std::string>("é/"));
}

TEST(PercentDecode, AcceptsMixedCaseHex) {
    EXPECT_EQ(percent_decode("%aB%Cd"), std::optional<std::string>("\xab\xcd"));
}

TEST(PercentDecode, LeavesUnescapedCharactersAlone) {
    EXPECT_EQ(percent_decode("abc-._~"), std::optional<std::string>("abc-._~"));
}

TEST(PercentDecode, DecodesPercent00ToANulByte) {
    EXPECT_EQ(percent_decode("a%00b"), std::optional<std::string>("a\0b"s));
}

TEST(PercentDecode, DoesNotDecodeTwice) {
    // %2521 is an escaped "%21", not "!".
    EXPECT_EQ(percent_decode("%2521"), std::optional<std::string>("%21"));
}

TEST(PercentDecode, RefusesALonePercentSign) { EXPECT_EQ(percent_decode("%"), std::nullopt); }

TEST(PercentDecode, RefusesAnEscapeWithOneHexDigit) {
    EXPECT_EQ(percent_decode("%2"), std::nullopt);
}

TEST(PercentDecode, RefusesAnEscapeWithNonHexDigits) {
    EXPECT_EQ(percent_decode("%zz"), std::nullopt);
    EXPECT_EQ(percent_decode("%g0"), std::nullopt);
    EXPECT_EQ(percent_decode("%0g"), std::nullopt);
}

TEST(PercentDecode, RefusesATruncatedEscapeAtTheEnd) {
    EXPECT_EQ(percent_decode("abc%4"), std::nullopt);
}

TEST(PercentDecode, RefusesAMalformedEscapeAfterAValidOne) {
    EXPECT_EQ(percent_decode("%41%"), std::nullopt);
}

TEST(PercentDecode, KeepsPlusAsPlusByDefault) {
    EXPECT_EQ(percent_decode("a+b"), std::optional<std::string>("a+b"));
    EXPECT_EQ(percent_decode("a+b", PlusMeans::plus), std::optional<std::string>("a+b"));
}

TEST(PercentDecode, DecodesPlusAsSpaceWhenAskedAsInAQuery) {
    EXPECT_EQ(percent_decode("a+b", PlusMeans::space), std::optional<std::string>("a b"));
}

TEST(PercentDecode, KeepsAnEscapedPlusAsPlusEvenWhenPlusMeansSpace) {
    EXPECT_EQ(percent_decode("a%2Bb+c", PlusMeans::space), std::optional<std::string>("a+b c"));
}

}  // namespace
}  // namespace matrix
