// Json: the validated, compact JSON value the builders carry bodies and struct arguments in.
#include "matrix/json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "matrix/error.hpp"
#include "test_support.hpp"

namespace matrix {
namespace {

using testing_support::expect_json;
using testing_support::refused_argument;

using namespace std::string_literals;

TEST(JsonParse, CompactsWhitespace) {
    const Json json = Json::parse(" {\n \"a\" : [ 1 , 2 ,\t{ } ] ,\"b\":\"x y\" }\r\n ");
    EXPECT_EQ(json.text(), R"({"a":[1,2,{}],"b":"x y"})");
    EXPECT_EQ(json.kind(), Json::Kind::object);
}

TEST(JsonParse, ReportsTheKindOfEachValue) {
    EXPECT_EQ(Json::parse("[]").kind(), Json::Kind::array);
    EXPECT_EQ(Json::parse("\"s\"").kind(), Json::Kind::string);
    EXPECT_EQ(Json::parse("-12").kind(), Json::Kind::number);
    EXPECT_EQ(Json::parse("true").kind(), Json::Kind::boolean);
    EXPECT_EQ(Json::parse("false").kind(), Json::Kind::boolean);
    EXPECT_EQ(Json::parse("null").kind(), Json::Kind::null);
}

TEST(JsonParse, KeepsNonAsciiTextAsUtf8) {
    EXPECT_EQ(Json::parse(R"("caf\u00e9 \ud83d\udc31")").text(), "\"café 🐱\"");
}

TEST(JsonParse, RefusesTrailingGarbage) {
    EXPECT_THROW(Json::parse("{} x"), InvalidArgument);
    EXPECT_THROW(Json::parse("{}{}"), InvalidArgument);
    EXPECT_THROW(Json::parse("1 2"), InvalidArgument);
}

TEST(JsonParse, RefusesEmptyAndBlankInput) {
    EXPECT_THROW(Json::parse(""), InvalidArgument);
    EXPECT_THROW(Json::parse("   "), InvalidArgument);
}

TEST(JsonParse, RefusesInvalidUtf8InAString) {
    EXPECT_THROW(Json::parse("\"\xff\""), InvalidArgument);
    EXPECT_THROW(Json::parse("\"\xc3\""), InvalidArgument);          // truncated sequence
    EXPECT_THROW(Json::parse("\"\xc0\xaf\""), InvalidArgument);      // overlong '/'
    EXPECT_THROW(Json::parse("\"\xed\xa0\x80\""), InvalidArgument);  // encoded surrogate
}

TEST(JsonParse, RefusesInvalidUtf8InAKey) {
    EXPECT_THROW(Json::parse("{\"\xfe\":1}"), InvalidArgument);
}

TEST(JsonParse, RefusesALoneHighSurrogateEscape) {
    EXPECT_THROW(Json::parse(R"("\ud800")"), InvalidArgument);
    EXPECT_THROW(Json::parse(R"("\ud800x")"), InvalidArgument);
}

TEST(JsonParse, RefusesALoneLowSurrogateEscape) {
    EXPECT_THROW(Json::parse(R"("\udc00")"), InvalidArgument);
}

TEST(JsonParse, RefusesAHighSurrogateFollowedByANonSurrogate) {
    EXPECT_THROW(Json::parse(R"("\ud800\u0041")"), InvalidArgument);
}

TEST(JsonParse, RefusesNanAndInfinity) {
    EXPECT_THROW(Json::parse("NaN"), InvalidArgument);
    EXPECT_THROW(Json::parse("[Infinity]"), InvalidArgument);
    EXPECT_THROW(Json::parse("-Infinity"), InvalidArgument);
}

TEST(JsonParse, RefusesSyntaxErrors) {
    EXPECT_THROW(Json::parse("{\"a\":}"), InvalidArgument);
    EXPECT_THROW(Json::parse("[1,]"), InvalidArgument);
    EXPECT_THROW(Json::parse("{'a':1}"), InvalidArgument);
    EXPECT_THROW(Json::parse("\"unterminated"), InvalidArgument);
}

TEST(JsonParse, NamesTheArgumentItWasGiven) {
    EXPECT_EQ(refused_argument([] { Json::parse("{", "auth"); }), "auth");
    EXPECT_EQ(refused_argument([] { Json::parse("NaN", "filters"); }), "filters");
}

TEST(JsonParse, NamesJsonWhenNoArgumentIsGiven) {
    EXPECT_EQ(refused_argument([] { Json::parse("{"); }), "json");
}

TEST(JsonParse, SaysWhyInTheMessage) {
    try {
        Json::parse("[1,", "content");
        FAIL() << "nothing thrown";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("content"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos) << e.what();
    }
}

TEST(JsonParse, RefusesVeryDeepUnclosedNestingWithAnErrorRatherThanACrash) {
    EXPECT_THROW(Json::parse(std::string(100000, '[')), InvalidArgument);
    EXPECT_THROW(Json::parse(std::string(100000, '{')), InvalidArgument);
}

TEST(JsonParse, RefusesVeryDeepClosedNestingNamingTheArgument) {
    // Closed, it is valid JSON, but comparing or copying it would recurse 100000 deep.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_EQ(refused_argument([&] { Json::parse(deep, "content"); }), "content");
}

TEST(JsonParse, AcceptsNestingUpToFiveHundredTwelveLevels) {
    const std::string deepest = std::string(512, '[') + std::string(512, ']');
    EXPECT_EQ(Json::parse(deepest).text(), deepest);
    const std::string objects = [] {
        std::string text;
        for (int i = 0; i < 512; ++i) text += R"({"a":)";
        text += "1";
        for (int i = 0; i < 512; ++i) text += "}";
        return text;
    }();
    EXPECT_EQ(Json::parse(objects).text(), objects);
}

TEST(JsonParse, RefusesNestingOfFiveHundredThirteenLevels) {
    EXPECT_THROW(Json::parse(std::string(513, '[') + std::string(513, ']')), InvalidArgument);
    EXPECT_THROW(Json::parse(std::string(256, '[') + std::string(257, '{') + std::string(257, '}') +
                             std::string(256, ']')),
                 InvalidArgument);
}

TEST(JsonParse, CountsDepthNotTheNumberOfContainers) {
    std::string many = "[";
    for (int i = 0; i < 2000; ++i) many += "[[]],";
    many += "{}]";
    EXPECT_EQ(Json::parse(many).text(), many);
}

TEST(JsonEquality, ComparesTheDeepestAcceptedValues) {
    const std::string opening(512, '[');
    const std::string closing(512, ']');
    EXPECT_EQ(Json::parse(opening + closing), Json::parse(" " + opening + closing));
}

TEST(JsonWithMember, WorksOnTheDeepestAcceptedValues) {
    const std::string deep = std::string(511, '[') + std::string(511, ']');
    const Json json = Json::parse(R"({"a":)" + deep + "}").with_member("b", Json::parse(deep));
    EXPECT_EQ(json.text(), R"({"a":)" + deep + R"(,"b":)" + deep + "}");
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
    EXPECT_EQ(Json::string("q\"b\\n\nt\tr\rx\x01y\x1f").text(),
              R"("q\"b\\n\nt\tr\rx\u0001y\u001F")");
}

TEST(JsonString, EscapesANulByte) { EXPECT_EQ(Json::string("a\0b"s).text(), R"("a\u0000b")"); }

TEST(JsonString, KeepsNonAsciiAndSlashAsTheyAre) {
    EXPECT_EQ(Json::string("é/🐱").text(), "\"é/🐱\"");
}

TEST(JsonString, RefusesInvalidUtf8) { EXPECT_THROW(Json::string("\xff"), InvalidArgument); }

TEST(JsonString, ReadsNothingPastTheEndOfTheView) {
    // The view ends inside a two-byte sequence whose second byte lies just beyond it.
    const std::string buffer = "ab\xc3\xa9";
    EXPECT_THROW(Json::string(std::string_view(buffer.data(), 3)), InvalidArgument);
}

TEST(JsonValues, WriteScalarsAndArraysCompactly) {
    EXPECT_EQ(Json::number(-42).text(), "-42");
    EXPECT_EQ(Json::boolean(true).text(), "true");
    EXPECT_EQ(Json::boolean(false).text(), "false");
    EXPECT_EQ(Json::null().text(), "null");
    EXPECT_EQ(Json::string_array({"@a:x", "@b:y"}).text(), R"(["@a:x","@b:y"])");
    EXPECT_EQ(Json::string_array({}).text(), "[]");
    EXPECT_EQ(Json::array({Json::number(1), Json::object({})}).text(), "[1,{}]");
}

TEST(JsonValues, DefaultToTheEmptyObject) {
    const Json json;
    EXPECT_EQ(json.text(), "{}");
    EXPECT_TRUE(json.is_object());
}

TEST(JsonObject, KeepsMembersInTheGivenOrder) {
    const Json json = Json::object({{"z", Json::number(1)}, {"a", Json::string("x")}});
    EXPECT_EQ(json.text(), R"({"z":1,"a":"x"})");
}

TEST(JsonObject, RefusesADuplicateKeyNamingIt) {
    EXPECT_EQ(
        refused_argument([] {
            Json::object({{"a", Json::number(1)}, {"b", Json::number(2)}, {"a", Json::number(3)}});
        }),
        "a");
}

TEST(JsonObject, RefusesADuplicateKeyInTheVectorForm) {
    const std::vector<std::pair<std::string, Json>> members = {{"k", Json::null()},
                                                               {"k", Json::null()}};
    EXPECT_EQ(refused_argument([&] { Json::object(members); }), "k");
}

TEST(JsonObject, EscapesKeys) {
    EXPECT_EQ(Json::object({{"a\"b", Json::number(1)}}).text(), R"({"a\"b":1})");
}

TEST(JsonWithMember, AddsAMissingKeyLast) {
    const Json json = Json::parse(R"({"a":1,"b":2})").with_member("c", Json::string("x"));
    EXPECT_EQ(json.text(), R"({"a":1,"b":2,"c":"x"})");
}

TEST(JsonWithMember, ReplacesAnExistingKeyInPlace) {
    const Json json = Json::parse(R"({"a":1,"b":2})").with_member("a", Json::parse("[true]"));
    EXPECT_EQ(json.text(), R"({"a":[true],"b":2})");
}

TEST(JsonWithMember, LeavesTheOriginalUnchanged) {
    const Json original = Json::parse(R"({"a":1})");
    (void)original.with_member("a", Json::number(2));
    EXPECT_EQ(original.text(), R"({"a":1})");
}

TEST(JsonWithMember, RefusesANonObject) {
    EXPECT_THROW(Json::parse("[]").with_member("a", Json::null()), InvalidArgument);
}

TEST(JsonEquality, IgnoresObjectKeyOrder) {
    EXPECT_EQ(Json::parse(R"({"a":1,"b":{"c":2,"d":3}})"),
              Json::parse(R"({"b":{"d":3,"c":2},"a":1})"));
}

TEST(JsonEquality, ComparesNumbersByValue) {
    EXPECT_EQ(Json::parse("1"), Json::parse("1.0"));
    EXPECT_EQ(Json::parse(R"({"n":10})"), Json::parse(R"({"n":1e1})"));
    EXPECT_FALSE(Json::parse("1") == Json::parse("2"));
}

TEST(JsonEquality, TellsMinusOneFromTheLargestUnsignedInteger) {
    // Both have the same 64-bit pattern; only their values count.
    EXPECT_FALSE(Json::parse("-1") == Json::parse("18446744073709551615"));
    EXPECT_FALSE(Json::parse("[-9223372036854775808]") == Json::parse("[9223372036854775808]"));
    EXPECT_EQ(Json::parse("18446744073709551615"), Json::parse("18446744073709551615 "));
    EXPECT_EQ(Json::parse("-5"), Json::parse("-5.0"));
}

TEST(JsonEquality, ComparesValuesNestedDeeperThanParseAllowsWithoutACrash) {
    // Composed values are not depth-limited, so comparison must not recurse.
    const std::string opening(1000000, '[');
    const std::string closing(1000000, ']');
    const Json a = Json::from_trusted_text(opening + "1" + closing, Json::Kind::array);
    const Json b = Json::from_trusted_text(opening + "1.0" + closing, Json::Kind::array);
    const Json c = Json::from_trusted_text(opening + "2" + closing, Json::Kind::array);
    EXPECT_EQ(a, b);
    EXPECT_FALSE(a == c);
}

TEST(JsonEquality, KeepsArrayOrderSignificant) {
    EXPECT_FALSE(Json::parse("[1,2]") == Json::parse("[2,1]"));
}

TEST(JsonEquality, TellsApartValuesOfDifferentKinds) {
    EXPECT_FALSE(Json::parse(R"("1")") == Json::parse("1"));
    EXPECT_FALSE(Json::parse("null") == Json::parse("false"));
    EXPECT_FALSE(Json::parse("{}") == Json::parse("[]"));
}

TEST(JsonEquality, NoticesAMissingOrExtraMember) {
    EXPECT_FALSE(Json::parse(R"({"a":1})") == Json::parse(R"({"a":1,"b":2})"));
    EXPECT_FALSE(Json::parse(R"({"a":1,"b":2})") == Json::parse(R"({"a":1})"));
}

// Numbers keep the text they were given: RapidJSON's own conversion is not correctly rounded
// (a double moved by a few ULPs on each parse/write round trip) and its full-precision mode has
// undefined behaviour on "0e308"; both were fuzz findings (fixtures/fuzz/json_writer/).
TEST(JsonNumbers, KeepTheirTextAsWritten) {
    for (const char* text :
         {"-9223372075487635808", "0e308", "5e-324", "0.1", "1.7976931348623157e308", "-0.0", "-0",
          "1.50", "1E2", "1e+2", "-1.25E-7", "18446744073709551616", "9007199254740993",
          "2.2250738585072011e-308", "1e-400", "0.10000000000000000555111512312578270211815834"}) {
        EXPECT_EQ(Json::parse(text).text(), text);
        EXPECT_EQ(Json::parse(text).kind(), Json::Kind::number) << text;
    }
}

TEST(JsonNumbers, KeepTheirTextInsideValues) {
    EXPECT_EQ(Json::parse(" [ 1.0 , -0 , 2E-3 , {\"a\" : 0.1} ] ").text(),
              R"([1.0,-0,2E-3,{"a":0.1}])");
}

TEST(JsonNumbers, AreAFixedPointOfParse) {
    const Json once = Json::parse("[-9223372075487635808,0e308,5e-324,0.1,-0.0]");
    EXPECT_EQ(Json::parse(once.text()).text(), once.text());
}

TEST(JsonNumbers, BeyondTheLargestDoubleAreRefused) {
    // RapidJSON refuses exponents beyond 308 itself; Json::parse refuses the rest, so that every
    // number it accepts can be read as a finite double.
    for (const char* text :
         {"1e400", "-1e400", "1.8e308", "1.7976931348623159e308", "[0,1e309]", "0e400"}) {
        try {
            Json::parse(text, "content");
            ADD_FAILURE() << text << " was accepted";
        } catch (const InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find("content"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("too large for a double"), std::string::npos)
                << e.what();
        }
    }
    EXPECT_THROW(Json::parse("1" + std::string(309, '0')), InvalidArgument);
    // Rounds to the largest double: accepted.
    EXPECT_EQ(Json::parse("1.7976931348623158e308").text(), "1.7976931348623158e308");
}

TEST(JsonNumbers, TooSmallForADoubleAreKeptAsText) {
    EXPECT_EQ(Json::parse("-1e-400").text(), "-1e-400");
    EXPECT_EQ(Json::parse("2e-324").text(), "2e-324");
}

TEST(JsonEquality, ComparesNumbersByExactDecimalValue) {
    EXPECT_EQ(Json::parse("1.0"), Json::parse("1.00"));
    EXPECT_EQ(Json::parse("1"), Json::parse("1e0"));
    EXPECT_EQ(Json::parse("1"), Json::parse("10e-1"));
    EXPECT_EQ(Json::parse("0.1"), Json::parse("1E-1"));
    EXPECT_EQ(Json::parse("1e-400"), Json::parse("0.1e-399"));
    EXPECT_EQ(Json::parse("-9223372075487635808"), Json::parse("-9.223372075487635808e18"));
    // No rounding to double: these differ although they are the same double.
    EXPECT_FALSE(Json::parse("0.1") == Json::parse("0.10000000000000001"));
    EXPECT_FALSE(Json::parse("9007199254740993") == Json::parse("9007199254740992"));
    EXPECT_FALSE(Json::parse("-9223372075487635808") == Json::parse("-9223372075487635807"));
    EXPECT_FALSE(Json::parse("1e-400") == Json::parse("0"));
    EXPECT_FALSE(Json::parse("5e-324") == Json::parse("4.9406564584124654e-324"));
}

TEST(JsonEquality, TakesEveryZeroAsZero) {
    EXPECT_EQ(Json::parse("-0.0"), Json::parse("0"));
    EXPECT_EQ(Json::parse("-0"), Json::parse("0e308"));
    EXPECT_EQ(Json::parse("[0.000]"), Json::parse("[0]"));
}

TEST(JsonEquality, NeverTakesANumberForAString) {
    EXPECT_FALSE(Json::parse("1") == Json::parse(R"("1e0")"));
    EXPECT_FALSE(Json::parse(R"({"a":0})") == Json::parse(R"({"a":"0"})"));
}

TEST(JsonWithMember, KeepsEveryNumberAsWritten) {
    const Json object = Json::parse(R"({"a":0.1,"b":[1.50,-0],"c":{"d":1E2}})");
    EXPECT_EQ(object.with_member("e", Json::parse("-9223372075487635808")).text(),
              R"({"a":0.1,"b":[1.50,-0],"c":{"d":1E2},"e":-9223372075487635808})");
    EXPECT_EQ(object.with_member("b", Json::parse("5e-324")).text(),
              R"({"a":0.1,"b":5e-324,"c":{"d":1E2}})");
    EXPECT_EQ(object.with_member("c", Json::null()).text(), R"({"a":0.1,"b":[1.50,-0],"c":null})");
    EXPECT_EQ(object.with_member("a", Json::parse(R"({"x":[{}]})")).text(),
              R"({"a":{"x":[{}]},"b":[1.50,-0],"c":{"d":1E2}})");
}

TEST(JsonWithMember, ReplacesOnlyATopLevelMember) {
    const Json object = Json::parse(R"({"x":{"a":1},"a":[{"a":2}]})");
    EXPECT_EQ(object.with_member("a", Json::boolean(true)).text(), R"({"x":{"a":1},"a":true})");
    EXPECT_EQ(Json::parse(R"({"x":{"a":1}})").with_member("a", Json::number(2)).text(),
              R"({"x":{"a":1},"a":2})");
}

TEST(JsonWithMember, RefusesAKeyThatIsNotUtf8) {
    EXPECT_THROW(Json::parse("{}").with_member("\xff", Json::null()), InvalidArgument);
}

TEST(JsonKind, HasReadableNames) {
    EXPECT_STREQ(to_string(Json::Kind::object), "object");
    EXPECT_STREQ(to_string(Json::Kind::array), "array");
    EXPECT_STREQ(to_string(Json::Kind::number), "number");
}

}  // namespace
}  // namespace matrix
