// first_difference: the one deep comparison, and how it names where two values differ.
#include "matrix/json_difference.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "matrix/json.hpp"

namespace matrix {
namespace {

std::optional<JsonDifference> difference(const char* expected, const char* actual,
                                         JsonDiffOptions options = {}) {
    return first_difference(Json::parse(expected), Json::parse(actual), options);
}

// "at PATH: expected E, got A", or "equal".
std::string report(const char* expected, const char* actual, JsonDiffOptions options = {}) {
    const std::optional<JsonDifference> found = difference(expected, actual, options);
    return found ? to_string(*found) : "equal";
}

TEST(JsonDifference, IsNoneForEqualValues) {
    EXPECT_EQ(report(R"({"a":[1,{"b":null}],"c":true})", R"({"c":true,"a":[1.0,{"b":null}]})"),
              "equal");
    EXPECT_EQ(report("[]", "[]"), "equal");
}

TEST(JsonDifference, NamesTheRootAsDollar) {
    EXPECT_EQ(report("1", "2"), "at $: expected 1, got 2");
    EXPECT_EQ(report("{}", "[]"), "at $: expected an object, got an array of 0 elements");
}

TEST(JsonDifference, NamesPlainMembersWithADotAndOthersInBrackets) {
    EXPECT_EQ(report(R"({"a":{"b_1":1}})", R"({"a":{"b_1":2}})"), "at $.a.b_1: expected 1, got 2");
    EXPECT_EQ(report(R"({"m.relates_to":{"x y":1}})", R"({"m.relates_to":{"x y":2}})"),
              R"(at $["m.relates_to"]["x y"]: expected 1, got 2)");
    EXPECT_EQ(report(R"({"":1})", R"({"":2})"), R"(at $[""]: expected 1, got 2)");
}

TEST(JsonDifference, NamesArrayElementsByIndex) {
    EXPECT_EQ(report(R"({"tags":["a","b"]})", R"({"tags":["a","c"]})"),
              R"(at $.tags[1]: expected "b", got "c")");
}

TEST(JsonDifference, GivesTheFirstDifferenceInTheExpectedValuesOrder) {
    EXPECT_EQ(report(R"({"z":1,"a":1})", R"({"a":2,"z":2})"), "at $.z: expected 1, got 2");
    EXPECT_EQ(report("[1,2,3]", "[1,5,6]"), "at $[1]: expected 2, got 5");
    // Depth first: inside an earlier member before a later member that is missing, and members
    // only the actual value has once every expected member is through.
    EXPECT_EQ(report(R"({"a":{"x":1},"b":2})", R"({"a":{"x":2}})"), "at $.a.x: expected 1, got 2");
    EXPECT_EQ(report(R"({"a":1,"b":2})", R"({"extra":0,"a":1,"b":3})"),
              "at $.b: expected 2, got 3");
}

TEST(JsonDifference, NamesAMissingAndAnExtraMemberByTheirOwnPath) {
    EXPECT_EQ(report(R"({"a":{"b":[1]}})", R"({"a":{}})"),
              "at $.a.b: expected an array of 1 element, got (absent)");
    EXPECT_EQ(report(R"({"a":{}})", R"({"a":{"b":"x"}})"),
              R"(at $.a.b: expected (absent), got "x")");
}

TEST(JsonDifference, IgnoresExtraMembersAtEveryDepthWhenAsked) {
    const JsonDiffOptions ignore{.ignore_extra_members = true};
    EXPECT_EQ(
        report(R"({"a":{"b":[{"c":1}]}})", R"({"a":{"b":[{"c":1,"d":2}],"e":3},"f":4})", ignore),
        "equal");
    // Arrays still compare element by element, and missing members still count.
    EXPECT_EQ(report(R"({"a":[1]})", R"({"a":[1,2]})", ignore),
              "at $.a: expected an array of 1 element, got an array of 2 elements");
    EXPECT_EQ(report(R"({"a":1})", R"({"b":1})", ignore), "at $.a: expected 1, got (absent)");
}

TEST(JsonDifference, ReportsAMemberGivenTwiceWhereOneSideRepeatsAName) {
    EXPECT_EQ(report(R"({"a":1,"b":1})", R"({"a":1,"a":1})"), "at $.b: expected 1, got (absent)");
    EXPECT_EQ(report(R"({"a":1})", R"({"a":1,"a":1})"),
              R"(at $: expected each member once, got member "a" more than once)");
}

TEST(JsonDifference, ComparesNumbersByTheNumberPolicy) {
    EXPECT_EQ(report(R"([1,100,0,2.5])", R"([1.0,1e2,-0,2.50])"), "equal");
    EXPECT_EQ(report("0.1", "0.10000000000000001"), "at $: expected 0.1, got 0.10000000000000001");
    // Integers beyond 2^53 (and beyond 64 bits) compare by every digit, as written.
    EXPECT_EQ(report("9007199254740993", "9007199254740992"),
              "at $: expected 9007199254740993, got 9007199254740992");
    EXPECT_EQ(report("12345678901234567890123", "12345678901234567890124"),
              "at $: expected 12345678901234567890123, got 12345678901234567890124");
    EXPECT_EQ(report("18446744073709551615", "-1"), "at $: expected 18446744073709551615, got -1");
    // A number is never a string holding its digits.
    EXPECT_EQ(report("3", R"("3")"), R"(at $: expected 3, got "3")");
}

TEST(JsonDifference, QuotesStringsAsJsonAndCutsLongOnes) {
    EXPECT_EQ(report(R"("a\nb")", R"("a\tb")"), R"(at $: expected "a\nb", got "a\tb")");
    const std::string long_text = "\"" + std::string(300, 'x') + "\"";
    const std::optional<JsonDifference> found =
        first_difference(Json::parse(long_text), Json::parse("\"y\""));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->expected, "\"" + std::string(200, 'x') + "\xE2\x80\xA6\"");
}

TEST(JsonDifference, WalksValuesNestedDeeperThanParseAllowsWithoutACrash) {
    // Composed values are not depth-limited, so the walk must not recurse, nor copy paths.
    const std::string opening(1000000, '[');
    const std::string closing(1000000, ']');
    const Json a = Json::from_trusted_text(opening + "1" + closing, Json::Kind::array);
    const Json b = Json::from_trusted_text(opening + "2" + closing, Json::Kind::array);
    const std::optional<JsonDifference> found = first_difference(a, b);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->expected, "1");
    EXPECT_EQ(found->actual, "2");
    EXPECT_EQ(found->path.size(), 1 + 3 * 1000000u);
    EXPECT_EQ(found->path.substr(0, 7), "$[0][0]");
}

}  // namespace
}  // namespace matrix
