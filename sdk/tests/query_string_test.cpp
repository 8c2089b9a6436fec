// The shared query-string parser: the decoding rules the journal, the comparator and the spec
// validator rely on.
#include "matrix/query_string.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace matrix {
namespace {

TEST(ParseQuery, SplitsPairsInOrderAndKeepsRepeatedNames) {
    const ParsedQuery parsed = parse_query("a=1&b=2&a=3");
    const std::vector<QueryParam> want = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
    EXPECT_EQ(parsed.params, want);
    EXPECT_TRUE(parsed.decodes());
}

TEST(ParseQuery, DecodesPercentEscapesAndPlusAsSpace) {
    const ParsedQuery parsed = parse_query("q=a+b%2Bc&%21room%3Ax=%e2%9c%93");
    const std::vector<QueryParam> want = {{"q", "a b+c"}, {"!room:x", "\xe2\x9c\x93"}};
    EXPECT_EQ(parsed.params, want);
}

TEST(ParseQuery, SkipsEmptyPairsAndGivesAPairWithoutEqualsAnEmptyValue) {
    const ParsedQuery parsed = parse_query("&a=1&&flag&b==2&");
    const std::vector<QueryParam> want = {{"a", "1"}, {"flag", ""}, {"b", "=2"}};
    EXPECT_EQ(parsed.params, want);
    EXPECT_TRUE(parse_query("").params.empty());
    EXPECT_TRUE(parse_query("").decodes());
}

TEST(ParseQuery, LeavesOutMalformedPairsAndNamesTheFirst) {
    const ParsedQuery parsed = parse_query("a=1&b=%zz&c%4=3&d=4");
    const std::vector<QueryParam> want = {{"a", "1"}, {"d", "4"}};
    EXPECT_EQ(parsed.params, want);
    EXPECT_FALSE(parsed.decodes());
    EXPECT_EQ(parsed.first_malformed, "b=%zz");
}

}  // namespace
}  // namespace matrix
