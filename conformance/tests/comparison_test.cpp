// Unit tests of compare() and show_bytes(): every field of an expected request against a wire
// request.
#include "matrix/conformance/comparison.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace matrix::conformance {
namespace {

// The room_kick example of the vector format, as a vector states it.
ExpectedRequest kick_expected() {
    ExpectedRequest expected;
    expected.method = "POST";
    expected.path = "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick";
    expected.headers = {{"Authorization", "Bearer token"}};
    expected.body_kind = ExpectedBody::json;
    expected.body = R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    return expected;
}

// The same request as a conforming SDK puts it on the wire.
WireRequest kick_wire() {
    WireRequest wire;
    wire.method = "POST";
    wire.target = "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick";
    wire.headers = {{"Authorization", "Bearer token"}, {"Content-Type", "application/json"}};
    wire.body = R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    return wire;
}

// A bodiless GET whose query is under test.
ExpectedRequest get_expected(std::vector<QueryParam> query) {
    ExpectedRequest expected;
    expected.method = "GET";
    expected.path = "/_matrix/client/r0/sync";
    expected.query = std::move(query);
    expected.headers = {{"Authorization", "Bearer token"}};
    return expected;
}

WireRequest get_wire(const std::string& raw_query) {
    WireRequest wire;
    wire.method = "GET";
    wire.target = "/_matrix/client/r0/sync";
    if (!raw_query.empty()) wire.target += "?" + raw_query;
    wire.headers = {{"Authorization", "Bearer token"}};
    return wire;
}

// The mismatches of one field; tests check that no other field was blamed as well. A JSON
// body's mismatch names its path after the field ("body $.a"), a query's the name
// ("query \"since\""); either counts as the field's.
std::vector<Mismatch> of_field(const std::vector<Mismatch>& mismatches, const std::string& field) {
    std::vector<Mismatch> found;
    for (const Mismatch& mismatch : mismatches) {
        if (mismatch.field == field || mismatch.field.starts_with(field + " $") ||
            mismatch.field.starts_with(field + " \""))
            found.push_back(mismatch);
    }
    return found;
}

std::string describe(const std::vector<Mismatch>& mismatches) {
    std::string text;
    for (const Mismatch& m : mismatches) {
        text += m.field + ": expected " + m.expected + ", actual " + m.actual + "\n";
    }
    return text;
}

// --- whole request ----------------------------------------------------------------------------

TEST(Compare, ReportsNothingForARequestThatMatchesItsExpectation) {
    const auto mismatches = compare(kick_expected(), kick_wire());
    EXPECT_TRUE(mismatches.empty()) << describe(mismatches);
}

TEST(Compare, ReportsEveryDifferingFieldNotOnlyTheFirst) {
    WireRequest wire = kick_wire();
    wire.method = "PUT";
    wire.target = "/_matrix/client/r0/rooms/x/kick";
    wire.body = R"({"user_id":"@other:matrix.org"})";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 3u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "method");
    EXPECT_EQ(mismatches[1].field, "path");
    EXPECT_EQ(mismatches[2].field, "body $.user_id");
}

// --- method -----------------------------------------------------------------------------------

TEST(CompareMethod, ReportsADifferentMethodWithBothMethods) {
    WireRequest wire = kick_wire();
    wire.method = "PUT";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "method");
    EXPECT_EQ(mismatches[0].expected, "POST");
    EXPECT_EQ(mismatches[0].actual, "PUT");
}

TEST(CompareMethod, TreatsMethodCaseAsSignificant) {
    WireRequest wire = kick_wire();
    wire.method = "post";
    EXPECT_EQ(of_field(compare(kick_expected(), wire), "method").size(), 1u);
}

// --- path -------------------------------------------------------------------------------------

TEST(ComparePath, CatchesADoubleEncodedPercentSign) {
    WireRequest wire = kick_wire();
    wire.target = "/_matrix/client/r0/rooms/%2521someroom%253Amatrix.org/kick";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "path");
    EXPECT_EQ(mismatches[0].expected, "\"/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick\"");
    EXPECT_EQ(mismatches[0].actual,
              "\"/_matrix/client/r0/rooms/%2521someroom%253Amatrix.org/kick\"");
}

TEST(ComparePath, CatchesLowerCaseHexInAnEscape) {
    // %3a and %3A decode to the same byte, but the format asks for upper-case hex exactly.
    WireRequest wire = kick_wire();
    wire.target = "/_matrix/client/r0/rooms/%21someroom%3amatrix.org/kick";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "path");
    EXPECT_EQ(mismatches[0].actual, "\"/_matrix/client/r0/rooms/%21someroom%3amatrix.org/kick\"");
}

TEST(ComparePath, CatchesACharacterLeftUnencoded) {
    WireRequest wire = kick_wire();
    wire.target = "/_matrix/client/r0/rooms/!someroom:matrix.org/kick";
    EXPECT_EQ(of_field(compare(kick_expected(), wire), "path").size(), 1u);
}

TEST(ComparePath, ComparesOnlyThePartBeforeTheQuery) {
    ExpectedRequest expected = get_expected({{"since", "s1"}});
    const auto mismatches = compare(expected, get_wire("since=s1"));
    EXPECT_TRUE(mismatches.empty()) << describe(mismatches);
}

// --- query ------------------------------------------------------------------------------------

TEST(CompareQuery, IgnoresTheOrderOfPairs) {
    const ExpectedRequest expected = get_expected({{"since", "s1"}, {"timeout", "10"}});
    const auto mismatches = compare(expected, get_wire("timeout=10&since=s1"));
    EXPECT_TRUE(mismatches.empty()) << describe(mismatches);
}

TEST(CompareQuery, CountsAPairSentTwiceWhenExpectedOnce) {
    const ExpectedRequest expected = get_expected({{"since", "s1"}});
    const auto mismatches = compare(expected, get_wire("since=s1&since=s1"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "since")");
    EXPECT_EQ(mismatches[0].expected, R"("s1")");
    EXPECT_EQ(mismatches[0].actual, R"("s1", "s1" (extra "s1"))");
}

TEST(CompareQuery, CountsAPairSentOnceWhenExpectedTwice) {
    const ExpectedRequest expected = get_expected({{"a", "1"}, {"a", "1"}});
    EXPECT_EQ(of_field(compare(expected, get_wire("a=1")), "query").size(), 1u);
    EXPECT_TRUE(compare(expected, get_wire("a=1&a=1")).empty());
}

TEST(CompareQuery, DecodesPlusAndPercent20OnTheWireToASpace) {
    const ExpectedRequest expected = get_expected({{"since", "next batch"}});
    EXPECT_TRUE(compare(expected, get_wire("since=next+batch")).empty());
    EXPECT_TRUE(compare(expected, get_wire("since=next%20batch")).empty());
}

TEST(CompareQuery, KeepsAnEncodedPlusAsAPlus) {
    // %2B is a literal '+', which must not be mistaken for a space.
    EXPECT_TRUE(compare(get_expected({{"from", "t1+2"}}), get_wire("from=t1%2B2")).empty());
    EXPECT_EQ(of_field(compare(get_expected({{"from", "t1 2"}}), get_wire("from=t1%2B2")), "query")
                  .size(),
              1u);
}

TEST(CompareQuery, DecodesNamesAsWellAsValues) {
    EXPECT_TRUE(compare(get_expected({{"a b", "c"}}), get_wire("a%20b=c")).empty());
}

TEST(CompareQuery, ReportsAMissingNameByItselfNotAsTwoLists) {
    const ExpectedRequest expected = get_expected({{"since", "s1"}, {"timeout", "10"}});
    const auto mismatches = compare(expected, get_wire("since=s1"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "timeout")");
    EXPECT_EQ(mismatches[0].expected, R"("10")");
    EXPECT_EQ(mismatches[0].actual, "(absent)");
}

TEST(CompareQuery, ReportsAnExtraNameByItself) {
    const auto mismatches = compare(get_expected({}), get_wire("full_state=false"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "full_state")");
    EXPECT_EQ(mismatches[0].expected, "(absent)");
    EXPECT_EQ(mismatches[0].actual, R"("false")");
}

TEST(CompareQuery, ReportsADifferentValueWithTheNameAndBothValues) {
    const auto mismatches = compare(get_expected({{"since", "s1"}, {"timeout", "10"}}),
                                    get_wire("since=s1&timeout=100"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "timeout")");
    EXPECT_EQ(mismatches[0].expected, R"("10")");
    EXPECT_EQ(mismatches[0].actual, R"("100")");
}

TEST(CompareQuery, ReportsEachDifferingNameInExpectedThenSentOrder) {
    const ExpectedRequest expected =
        get_expected({{"since", "s1"}, {"limit", "5"}, {"timeout", "10"}});
    const auto mismatches = compare(expected, get_wire("dir=b&timeout=100&since=s1&set=x"));
    EXPECT_EQ(describe(mismatches),
              "query \"limit\": expected \"5\", actual (absent)\n"
              "query \"timeout\": expected \"10\", actual \"100\"\n"
              "query \"dir\": expected (absent), actual \"b\"\n"
              "query \"set\": expected (absent), actual \"x\"\n");
}

TEST(CompareQuery, ListsARepeatedNamesValuesInOrderWithWhatIsMissingAndExtra) {
    const ExpectedRequest expected = get_expected({{"via", "a.org"}, {"via", "b.org"}});
    const auto mismatches = compare(expected, get_wire("via=c.org&via=a.org"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "via")");
    EXPECT_EQ(mismatches[0].expected, R"("a.org", "b.org")");
    EXPECT_EQ(mismatches[0].actual, R"("c.org", "a.org" (missing "b.org"; extra "c.org"))");
}

TEST(CompareQuery, AcceptsARepeatedNamesValuesInAnyOrder) {
    const ExpectedRequest expected = get_expected({{"via", "a.org"}, {"via", "b.org"}});
    EXPECT_TRUE(compare(expected, get_wire("via=b.org&via=a.org")).empty());
}

TEST(CompareQuery, ReportsARepeatedNameSentOnceAsMissingOneValue) {
    const ExpectedRequest expected = get_expected({{"via", "a.org"}, {"via", "b.org"}});
    const auto mismatches = compare(expected, get_wire("via=b.org"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].actual, R"("b.org" (missing "a.org"))");
}

TEST(CompareQuery, ShowsAnOddNameEscaped) {
    const auto mismatches = compare(get_expected({}), get_wire("a%0Ab=1"));
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, R"(query "a\nb")");
}

TEST(CompareQuery, ReportsAMalformedEscapeOnTheWireInsteadOfCrashing) {
    for (const std::string raw : {"since=%ZZ", "since=%4", "since=%", "%G1=x", "a=1&since=s%2"}) {
        const auto mismatches = compare(get_expected({{"since", "s"}}), get_wire(raw));
        ASSERT_EQ(mismatches.size(), 1u) << raw << "\n" << describe(mismatches);
        EXPECT_EQ(mismatches[0].field, "query") << raw;
        EXPECT_NE(mismatches[0].actual.find("malformed percent-encoding"), std::string::npos)
            << raw << ": " << mismatches[0].actual;
    }
}

// --- headers ----------------------------------------------------------------------------------

TEST(CompareHeaders, MatchesHeaderNamesWithoutRegardToCase) {
    WireRequest wire = kick_wire();
    wire.headers = {{"authorization", "Bearer token"}};
    EXPECT_TRUE(compare(kick_expected(), wire).empty());
    wire.headers = {{"AUTHORIZATION", "Bearer token"}};
    EXPECT_TRUE(compare(kick_expected(), wire).empty());
}

TEST(CompareHeaders, ComparesHeaderValuesExactly) {
    for (const std::string value : {"bearer token", "Bearer token ", "Bearer  token", "Bearer"}) {
        WireRequest wire = kick_wire();
        wire.headers = {{"Authorization", value}};
        const auto mismatches = compare(kick_expected(), wire);
        ASSERT_EQ(mismatches.size(), 1u) << value << "\n" << describe(mismatches);
        EXPECT_EQ(mismatches[0].field, "header Authorization");
        EXPECT_EQ(mismatches[0].expected, "\"Bearer token\"");
        EXPECT_EQ(mismatches[0].actual, conformance::show_bytes(value));
    }
}

TEST(CompareHeaders, ReportsAMissingListedHeaderAsAbsent) {
    ExpectedRequest expected = kick_expected();
    expected.headers.push_back({"Accept-Language", "en"});
    const auto mismatches = compare(expected, kick_wire());
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "header Accept-Language");
    EXPECT_EQ(mismatches[0].expected, "\"en\"");
    EXPECT_EQ(mismatches[0].actual, "(absent)");
}

TEST(CompareHeaders, ReportsAListedHeaderSentTwiceEvenWithTheRightValue) {
    WireRequest wire = kick_wire();
    wire.headers.push_back({"authorization", "Bearer token"});
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "header Authorization");
    EXPECT_EQ(mismatches[0].actual, R"(sent 2 times: "Bearer token", "Bearer token")");
}

TEST(CompareHeaders, ReportsAuthorizationSentWhenTheVectorDoesNotListIt) {
    ExpectedRequest expected = kick_expected();
    expected.headers.clear();
    const auto mismatches = compare(expected, kick_wire());
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "header Authorization");
    EXPECT_EQ(mismatches[0].expected, "(absent)");
    EXPECT_EQ(mismatches[0].actual, "\"Bearer token\"");
}

TEST(CompareHeaders, AcceptsAuthorizationAbsentWhenTheVectorDoesNotListIt) {
    ExpectedRequest expected = kick_expected();
    expected.headers.clear();
    WireRequest wire = kick_wire();
    wire.headers = {{"Content-Type", "application/json"}};
    EXPECT_TRUE(compare(expected, wire).empty());
}

TEST(CompareHeaders, IgnoresAnUnlistedContentTypeAndTransportHeaders) {
    WireRequest wire = kick_wire();
    wire.headers = {{"Host", "matrix.org"},
                    {"Content-Type", "text/plain"},
                    {"Content-Length", "63"},
                    {"User-Agent", "x"},
                    {"Authorization", "Bearer token"}};
    EXPECT_TRUE(compare(kick_expected(), wire).empty());
}

TEST(CompareHeaders, ChecksAListedContentType) {
    ExpectedRequest expected = kick_expected();
    expected.headers.push_back({"Content-Type", "application/json"});
    EXPECT_TRUE(compare(expected, kick_wire()).empty());
    WireRequest wire = kick_wire();
    wire.headers[1].value = "application/json; charset=utf-8";
    EXPECT_EQ(of_field(compare(expected, wire), "header Content-Type").size(), 1u);
}

// --- body -------------------------------------------------------------------------------------

TEST(CompareBody, IgnoresObjectKeyOrderAndWhitespace) {
    WireRequest wire = kick_wire();
    wire.body = "{ \"reason\" : \"Ate all the chocolate\",\n  \"user_id\": \"@user:matrix.org\" }";
    EXPECT_TRUE(compare(kick_expected(), wire).empty());
}

TEST(CompareBody, ComparesNumbersByValue) {
    ExpectedRequest expected = kick_expected();
    expected.body = R"({"limit":1,"nested":{"n":[100,2.5]}})";
    WireRequest wire = kick_wire();
    wire.body = R"({"nested":{"n":[1e2,2.50]},"limit":1.0})";
    const auto mismatches = compare(expected, wire);
    EXPECT_TRUE(mismatches.empty()) << describe(mismatches);
}

TEST(CompareBody, NamesThePathOfTheFirstDifferenceInsteadOfBothBodies) {
    WireRequest wire = kick_wire();
    wire.body = R"({"user_id":"@user:matrix.org","reason":"Ate some chocolate"})";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body $.reason");
    EXPECT_EQ(mismatches[0].expected, R"("Ate all the chocolate")");
    EXPECT_EQ(mismatches[0].actual, R"("Ate some chocolate")");
}

TEST(CompareBody, NamesNestedPathsArrayIndexesAndMembersOneSideLacks) {
    struct Case {
        std::string want, got, field, expected, actual;
    };
    const std::vector<Case> cases = {
        {R"({"a":{"b":[1,{"c":3}]}})", R"({"a":{"b":[1,{"c":"3"}]}})", "body $.a.b[1].c", "3",
         R"("3")"},
        {R"({"content":{"m.relates_to":{"x":1}}})", R"({"content":{}})",
         R"(body $.content["m.relates_to"])", "an object", "(absent)"},
        {R"({"a":1})", R"({"a":1,"extra":[true]})", "body $.extra", "(absent)",
         "an array of 1 element"},
        {R"({"a":[1,2]})", R"({"a":[1,2,3]})", "body $.a", "an array of 2 elements",
         "an array of 3 elements"},
        {R"({"a":1})", R"([1])", "body $", "an object", "an array of 1 element"},
    };
    for (const Case& c : cases) {
        ExpectedRequest expected = kick_expected();
        expected.body = c.want;
        WireRequest wire = kick_wire();
        wire.body = c.got;
        const auto mismatches = compare(expected, wire);
        ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
        EXPECT_EQ(mismatches[0].field, c.field) << c.want << " vs " << c.got;
        EXPECT_EQ(mismatches[0].expected, c.expected) << c.want << " vs " << c.got;
        EXPECT_EQ(mismatches[0].actual, c.actual) << c.want << " vs " << c.got;
    }
}

TEST(CompareBody, NamesTheFirstDifferenceInTheExpectedBodysOrder) {
    ExpectedRequest expected = kick_expected();
    expected.body = R"({"first":1,"second":2})";
    WireRequest wire = kick_wire();
    wire.body = R"({"second":3,"first":4})";
    const auto mismatches = compare(expected, wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body $.first");
}

TEST(CompareBody, CatchesDifferencesThatKeyOrderDoesNotExplain) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"a":1})", R"({"a":"1"})"},         // number vs string
        {R"({"a":[1,2]})", R"({"a":[2,1]})"},   // array order matters
        {R"({"a":1})", R"({"a":1,"b":null})"},  // an extra member
        {R"({"a":true})", R"({"a":1})"},        // boolean vs number
        {R"({})", R"([])"},                     // object vs array
    };
    for (const auto& [want, got] : cases) {
        ExpectedRequest expected = kick_expected();
        expected.body = want;
        WireRequest wire = kick_wire();
        wire.body = got;
        EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u) << want << " vs " << got;
    }
}

TEST(CompareBody, TellsANegativeIntegerFromAHugeUnsignedOne) {
    // Both have the same 64-bit pattern; a bitwise comparison would call them equal.
    ExpectedRequest expected = kick_expected();
    expected.body = R"({"limit":18446744073709551615})";
    WireRequest wire = kick_wire();
    wire.body = R"({"limit":-1})";
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
    wire.body = R"({"limit":18446744073709551615})";
    EXPECT_TRUE(compare(expected, wire).empty());
    expected.body = R"({"limit":-9223372036854775808})";
    wire.body = R"({"limit":9223372036854775808})";
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
}

TEST(CompareBody, DoesNotLetARepeatedKeyStandInForAMissingOne) {
    ExpectedRequest expected = kick_expected();
    expected.body = R"({"a":1,"b":1})";
    WireRequest wire = kick_wire();
    wire.body = R"({"a":1,"a":1})";
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
    expected.body = R"({"a":1,"a":1})";
    wire.body = R"({"a":1,"b":1})";
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
}

TEST(CompareBody, ReportsAHostilelyNestedBodyWithoutExhaustingTheStack) {
    // The loader refuses expected bodies nested deeper than 512 levels, so only the wire side
    // can be this deep; it must come back as a mismatch, not a crash.
    WireRequest wire = kick_wire();
    wire.body = std::string(100000, '[') + std::string(100000, ']');
    const auto mismatches = of_field(compare(kick_expected(), wire), "body");
    ASSERT_EQ(mismatches.size(), 1u);
    EXPECT_NE(mismatches[0].actual.find("deeper than 512"), std::string::npos)
        << mismatches[0].actual;
}

TEST(CompareBody, ReportsANonJsonBodyWhereJsonIsExpected) {
    WireRequest wire = kick_wire();
    wire.body = "user_id=@user:matrix.org";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body");
    EXPECT_EQ(mismatches[0].actual.rfind("not JSON (", 0), 0u) << mismatches[0].actual;
    EXPECT_NE(mismatches[0].actual.find(conformance::show_bytes(wire.body)), std::string::npos);
}

TEST(CompareBody, ReportsTrailingBytesAfterJsonAsNotJson) {
    WireRequest wire = kick_wire();
    wire.body += "x";
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].actual.rfind("not JSON", 0), 0u) << mismatches[0].actual;
}

TEST(CompareBody, ReportsAnEmptyBodyWhereJsonIsExpectedAsNoBody) {
    WireRequest wire = kick_wire();
    wire.body.clear();
    const auto mismatches = compare(kick_expected(), wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body");
    EXPECT_EQ(mismatches[0].expected, kick_expected().body);
    EXPECT_EQ(mismatches[0].actual, "(no body)");
}

TEST(CompareBody, ComparesARawBodyByteForByte) {
    ExpectedRequest expected = kick_expected();
    expected.body_kind = ExpectedBody::raw;
    expected.body = "some_content";
    WireRequest wire = kick_wire();
    wire.body = "some_content";
    EXPECT_TRUE(compare(expected, wire).empty());

    wire.body = "some_content\n";
    const auto mismatches = compare(expected, wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body");
    EXPECT_EQ(mismatches[0].expected, "\"some_content\"");
    EXPECT_EQ(mismatches[0].actual, "\"some_content\\n\"");
}

TEST(CompareBody, DoesNotReadARawBodyAsJson) {
    // A raw expectation that happens to be JSON still wants these exact bytes.
    ExpectedRequest expected = kick_expected();
    expected.body_kind = ExpectedBody::raw;
    expected.body = R"({"a":1})";
    WireRequest wire = kick_wire();
    wire.body = R"({ "a": 1 })";
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
}

TEST(CompareBody, ComparesRawBodiesHoldingNulBytes) {
    ExpectedRequest expected = kick_expected();
    expected.body_kind = ExpectedBody::raw;
    expected.body = std::string("a\0b", 3);
    WireRequest wire = kick_wire();
    wire.body = std::string("a\0b", 3);
    EXPECT_TRUE(compare(expected, wire).empty());
    wire.body = std::string("a\0c", 3);
    EXPECT_EQ(of_field(compare(expected, wire), "body").size(), 1u);
}

TEST(CompareBody, ReportsABodyWhereNoneIsExpected) {
    ExpectedRequest expected = get_expected({});
    WireRequest wire = get_wire("");
    wire.body = "{}";
    const auto mismatches = compare(expected, wire);
    ASSERT_EQ(mismatches.size(), 1u) << describe(mismatches);
    EXPECT_EQ(mismatches[0].field, "body");
    EXPECT_EQ(mismatches[0].expected, "(no body)");
    EXPECT_EQ(mismatches[0].actual, "\"{}\"");
}

TEST(CompareBody, AcceptsAnEmptyBodyWhereNoneIsExpected) {
    EXPECT_TRUE(compare(get_expected({}), get_wire("")).empty());
}

// --- show_bytes -------------------------------------------------------------------------------

TEST(ShowBytes, WrapsPrintableAsciiInQuotesUnchanged) {
    EXPECT_EQ(show_bytes("/_matrix/client/r0/sync?a=b"), "\"/_matrix/client/r0/sync?a=b\"");
    EXPECT_EQ(show_bytes(""), "\"\"");
}

TEST(ShowBytes, EscapesQuotesAndBackslashes) {
    EXPECT_EQ(show_bytes(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
}

TEST(ShowBytes, EscapesControlCharacters) {
    EXPECT_EQ(show_bytes("a\nb\rc\td"), R"("a\nb\rc\td")");
    EXPECT_EQ(conformance::show_bytes(std::string("\0\x01\x1F\x7F", 4)), R"("\x00\x01\x1F\x7F")");
}

TEST(ShowBytes, EscapesNonAsciiBytesInUpperCaseHex) {
    EXPECT_EQ(show_bytes("caf\xC3\xA9"), R"("caf\xC3\xA9")");
    EXPECT_EQ(show_bytes("\xFF"), R"("\xFF")");
}

TEST(ShowBytes, KeepsEveryLineOfOutputOnOneLine) {
    std::string all_bytes;
    for (int byte = 0; byte < 256; ++byte) all_bytes += static_cast<char>(byte);
    const std::string shown = conformance::show_bytes(all_bytes);
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        EXPECT_TRUE(byte >= 0x20 && byte < 0x7F) << "raw byte " << static_cast<int>(byte);
    }
}

}  // namespace
}  // namespace matrix::conformance
