// XML escaping shared by the JUnit writers: entities, forbidden characters, malformed UTF-8.
#include "matrix/mock/xml_escape.hpp"

#include <gtest/gtest.h>

namespace matrix::mock {
namespace {

TEST(XmlEscape, EscapesTheFivePredefinedEntities) {
    EXPECT_EQ(xml_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
}

TEST(XmlEscape, LeavesACdataEndHarmless) { EXPECT_EQ(xml_escape("]]>"), "]]&gt;"); }

TEST(XmlEscape, KeepsTabsAndLineFeedsAndReplacesOtherControlCharacters) {
    constexpr char kText[] =
        "a\tb\nc\rd\x01"
        "e\x1F"
        "f\0g";
    EXPECT_EQ(xml_escape(std::string_view(kText, sizeof kText - 1)), "a\tb\nc?d?e?f?g");
}

TEST(XmlEscape, ReplacesMalformedUtf8AndNonCharacters) {
    EXPECT_EQ(xml_escape("caf\xE9"), "caf\xEF\xBF\xBD");
    EXPECT_EQ(xml_escape("\xEF\xBF\xBE|\xEF\xBF\xBF"), "?|?");
    EXPECT_EQ(xml_escape("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace matrix::mock
