// Request patterns: every matcher both ways, first-failure reports and malformed patterns.
#include "matrix/mock/pattern.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>

#include "entry_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::entry;

// The key a MappingError names, or a marker saying what happened instead.
template <typename F>
std::string refused_key(F&& f) {
    try {
        f();
    } catch (const MappingError& e) {
        return e.key();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

std::string refused_message(std::string_view json) {
    try {
        RequestPattern::parse(json);
    } catch (const MappingError& e) {
        return e.what();
    }
    return "<nothing thrown>";
}

std::string first_failure(std::string_view json, const JournalEntry& request) {
    return RequestPattern::parse(json).match(request).first_failure;
}

bool matches(std::string_view json, const JournalEntry& request) {
    return RequestPattern::parse(json).matches(request);
}

// --- method -----------------------------------------------------------------------------------

TEST(PatternMethod, ComparesMethodsUpperCased) {
    EXPECT_TRUE(matches(R"({"method": "post"})", entry("POST", "/x")));
    EXPECT_TRUE(matches(R"({"method": "POST"})", entry("post", "/x")));
    EXPECT_FALSE(matches(R"({"method": "POST"})", entry("GET", "/x")));
}

TEST(PatternMethod, AbsentOrAnyMethodMatchesEveryMethod) {
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
        EXPECT_TRUE(matches(R"({})", entry(method, "/x")));
        EXPECT_TRUE(matches(R"({"method": "ANY"})", entry(method, "/x")));
    }
}

TEST(PatternMethod, ReportsTheExpectedAndActualMethod) {
    EXPECT_EQ(first_failure(R"({"method": "POST"})", entry("GET", "/x")),
              "method: expected POST, got \"GET\"");
}

TEST(PatternMethod, RefusesAMethodThatIsNotAWord) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"method": "GE T"})"); }),
              "request.method");
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"method": 1})"); }), "request.method");
}

// --- url: the raw target --------------------------------------------------------------------

TEST(PatternUrl, MatchesPathAndQueryByteForByte) {
    const char* json = R"({"url": "/_matrix/client/r0/sync?since=s1&timeout=0"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/client/r0/sync?since=s1&timeout=0")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/r0/sync?timeout=0&since=s1")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/r0/sync")));
}

TEST(PatternUrl, ReportsTheWholeTarget) {
    EXPECT_EQ(first_failure(R"({"url": "/a?x=1"})", entry("GET", "/a?x=2")),
              R"(url: expected "/a?x=1", got "/a?x=2")");
}

// --- urlPath: the raw path ------------------------------------------------------------------

TEST(PatternUrlPath, ComparesTheRawPathBytes) {
    const char* json = R"({"urlPath": "/_matrix/client/v3/rooms/%21abc%3Aexample.org/kick"})";
    EXPECT_TRUE(matches(json, entry("POST", "/_matrix/client/v3/rooms/%21abc%3Aexample.org/kick")));
    // The same room id, written differently on the wire, is a different path.
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v3/rooms/!abc:example.org/kick")));
    EXPECT_FALSE(
        matches(json, entry("POST", "/_matrix/client/v3/rooms/%21abc%3aexample.org/kick")));
}

TEST(PatternUrlPath, KeepsEncodedSpaceAndSlashAsTheyAre) {
    const char* json = R"({"urlPath": "/_matrix/client/r0/directory/room/%23a%20b%2Fc%3Ad"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/client/r0/directory/room/%23a%20b%2Fc%3Ad")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/r0/directory/room/%23a%20b/c%3Ad")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/r0/directory/room/%23a+b%2Fc%3Ad")));
}

TEST(PatternUrlPath, ComparesPercentEncodedUtf8WithoutDecodingIt) {
    const char* json = R"({"urlPath": "/_matrix/client/v3/profile/%40%C3%A9l%C3%A8ve%3Ahs"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/client/v3/profile/%40%C3%A9l%C3%A8ve%3Ahs")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/v3/profile/@élève:hs")));
}

TEST(PatternUrlPath, IgnoresTheQuery) {
    EXPECT_TRUE(matches(R"({"urlPath": "/a"})", entry("GET", "/a?x=1")));
}

TEST(PatternUrlPath, ReportsExpectedAndActualPath) {
    EXPECT_EQ(first_failure(R"({"urlPath": "/x"})", entry("GET", "/y?q=1")),
              R"(urlPath: expected "/x", got "/y")");
}

TEST(PatternUrlPath, RefusesAQueryInThePath) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPath": "/a?x=1"})"); }),
              "request.urlPath");
}

TEST(PatternUrlPath, RefusesAPathWithoutLeadingSlash) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPath": "_matrix/x"})"); }),
              "request.urlPath");
}

// --- urlPathPattern -------------------------------------------------------------------------

TEST(PatternUrlPathPattern, MatchesTheWholeRawPath) {
    const char* json = R"({"urlPathPattern": "/_matrix/client/(r0|v3)/rooms/[^/]+/kick"})";
    EXPECT_TRUE(matches(json, entry("POST", "/_matrix/client/r0/rooms/%21a%3Ab/kick")));
    EXPECT_TRUE(matches(json, entry("POST", "/_matrix/client/v3/rooms/x/kick?y=1")));
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v3/rooms/x/kick/more")));
    EXPECT_FALSE(matches(json, entry("POST", "/prefix/_matrix/client/v3/rooms/x/kick")));
}

TEST(PatternUrlPathPattern, ReportsThePatternAndThePath) {
    EXPECT_EQ(first_failure(R"({"urlPathPattern": "/a/.*"})", entry("GET", "/b")),
              R"(urlPathPattern: expected a path matching "/a/.*", got "/b")");
}

TEST(PatternUrlPathPattern, RefusesAnInvalidRegex) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPathPattern": "/a/(b"})"); }),
              "request.urlPathPattern");
}

TEST(PatternUrlPathPattern, MatchesAHugePathWithoutExhaustingTheStack) {
    // libstdc++'s default regex executor recurses per byte; this must neither crash nor hang.
    const std::string path = "/" + std::string(200'000, 'a');
    const RequestPattern pattern =
        RequestPattern::parse(R"({"urlPathPattern": "/((a|b)(a|c)?)*"})");
    std::thread([&] { (void)pattern.matches(entry("GET", path)); }).join();
    EXPECT_FALSE(pattern.matches(entry("GET", path + "z")));
}

TEST(PatternUrlPathPattern, RunsARegexOverAPathUpToOneKilobyte) {
    const std::string path = "/" + std::string(1023, 'a');
    EXPECT_TRUE(matches(R"({"urlPathPattern": "/(a|b)*"})", entry("GET", path)));
    EXPECT_FALSE(matches(R"({"urlPathPattern": "/(a|b)*"})", entry("GET", path + "z")));
}

#if defined(__GLIBCXX__)
TEST(PatternUrlPathPattern, DoesNotBacktrackExponentially) {
    const std::string path = "/" + std::string(50'000, 'a');
    EXPECT_FALSE(matches(R"({"urlPathPattern": "/(a*)*b"})", entry("GET", path)));
}

TEST(PatternUrlPathPattern, RefusesBackReferences) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPathPattern": "/(a)\\1"})"); }),
              "request.urlPathPattern");
}
#endif

// --- urlPathTemplate: decoded segments ------------------------------------------------------

TEST(PatternUrlPathTemplate, MatchesAnyNonEmptyDecodedSegmentForAPlaceholder) {
    const char* json = R"({"urlPathTemplate": "/rooms/{roomId}/kick"})";
    EXPECT_TRUE(matches(json, entry("POST", "/rooms/%21a%3Ab/kick")));
    EXPECT_TRUE(matches(json, entry("POST", "/rooms/!a:b/kick")));
    // An encoded slash stays inside its segment.
    EXPECT_TRUE(matches(json, entry("POST", "/rooms/a%2Fb/kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/rooms/a/b/kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/rooms//kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/rooms/a/ban")));
}

TEST(PatternUrlPathTemplate, ComparesLiteralSegmentsDecoded) {
    EXPECT_TRUE(matches(R"({"urlPathTemplate": "/rooms/{id}"})", entry("GET", "/r%6Foms/x")));
    EXPECT_TRUE(matches(R"({"urlPathTemplate": "/files/my%20file/{name}"})",
                        entry("GET", "/files/my%20file/x")));
    EXPECT_TRUE(matches(R"({"urlPathTemplate": "/files/my file/{name}"})",
                        entry("GET", "/files/my%20file/x")));
}

TEST(PatternUrlPathTemplate, FailsASegmentThatDoesNotDecode) {
    EXPECT_FALSE(matches(R"({"urlPathTemplate": "/rooms/{id}"})", entry("GET", "/rooms/%zz")));
    EXPECT_FALSE(matches(R"({"urlPathTemplate": "/rooms/{id}"})", entry("GET", "/rooms/%2")));
}

TEST(PatternUrlPathTemplate, ReportsTheTemplateAndThePath) {
    EXPECT_EQ(
        first_failure(R"({"urlPathTemplate": "/rooms/{id}/kick"})", entry("GET", "/rooms/a/ban")),
        R"(urlPathTemplate: expected a path like "/rooms/{id}/kick", got "/rooms/a/ban")");
}

TEST(PatternUrlPathTemplate, RefusesAPlaceholderThatIsNotAWholeSegment) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPathTemplate": "/rooms/x{id}"})"); }),
              "request.urlPathTemplate");
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPathTemplate": "/rooms/{}"})"); }),
              "request.urlPathTemplate");
}

TEST(PatternUrlPathTemplate, RefusesAPlaceholderNamedTwice) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"urlPathTemplate": "/a/{x}/b/{x}"})"); }),
              "request.urlPathTemplate");
}

// --- endpoint: every path version of an SDK endpoint ----------------------------------------

TEST(PatternEndpoint, MatchesBothPathVersions) {
    const char* json = R"({"endpoint": "room_kick"})";
    EXPECT_TRUE(matches(json, entry("POST", "/_matrix/client/r0/rooms/%21a%3Ab/kick")));
    EXPECT_TRUE(matches(json, entry("POST", "/_matrix/client/v3/rooms/%21a%3Ab/kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v1/rooms/%21a%3Ab/kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v3/rooms//kick")));
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v3/rooms/a/b/kick")));
}

TEST(PatternEndpoint, NamesAnySpecOperationAndMatchesOnlyTheVersionsItsPathHad) {
    const char* json = R"({"endpoint": "getRelatingEvents"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/client/v1/rooms/%21a%3Ab/relations/%24e")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/v3/rooms/%21a%3Ab/relations/%24e")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/client/r0/rooms/%21a%3Ab/relations/%24e")));
    // By its snake_case name too; knocking came with v1.1, so it never had an r0 path.
    EXPECT_TRUE(matches(R"({"endpoint": "knock_room"})",
                        entry("POST", "/_matrix/client/v3/knock/%21a%3Ab")));
    EXPECT_FALSE(matches(R"({"endpoint": "knock_room"})",
                         entry("POST", "/_matrix/client/r0/knock/%21a%3Ab")));
}

TEST(PatternEndpoint, UsesTheMethodsOfTheEndpointFormsWhenNoneIsGiven) {
    EXPECT_FALSE(
        matches(R"({"endpoint": "room_kick"})", entry("GET", "/_matrix/client/v3/rooms/a/kick")));
    EXPECT_TRUE(matches(R"({"endpoint": "login"})", entry("GET", "/_matrix/client/r0/login")));
    EXPECT_TRUE(matches(R"({"endpoint": "login"})", entry("POST", "/_matrix/client/v3/login")));
    EXPECT_FALSE(matches(R"({"endpoint": "login"})", entry("PUT", "/_matrix/client/v3/login")));
}

TEST(PatternEndpoint, AGivenMethodNarrowsTheForms) {
    const char* json = R"({"method": "GET", "endpoint": "login"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/client/v3/login")));
    EXPECT_FALSE(matches(json, entry("POST", "/_matrix/client/v3/login")));
}

TEST(PatternEndpoint, MatchesAnEmptyStateKeyButNoOtherEmptySegment) {
    const char* send = R"({"endpoint": "send_state_event"})";
    EXPECT_TRUE(
        matches(send, entry("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/state/m.room.topic/")));
    EXPECT_TRUE(matches(send, entry("PUT",
                                    "/_matrix/client/v3/rooms/%21a%3Ab/state/m.room.member/"
                                    "%40u%3Ab")));
    EXPECT_FALSE(matches(send, entry("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/state//")));
    EXPECT_TRUE(matches(R"({"endpoint": "room_state_event"})",
                        entry("GET", "/_matrix/client/r0/rooms/%21a%3Ab/state/m.room.topic/")));
}

TEST(PatternEndpoint, AllowsTheOptionalFilenameSegmentOfDownload) {
    const char* json = R"({"endpoint": "download"})";
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/media/r0/download/example.org/abc")));
    EXPECT_TRUE(matches(json, entry("GET", "/_matrix/media/v3/download/example.org/abc/cat.png")));
    EXPECT_FALSE(
        matches(json, entry("GET", "/_matrix/media/v3/download/example.org/abc/cat.png/x")));
    EXPECT_FALSE(matches(json, entry("GET", "/_matrix/media/v3/download/example.org")));
}

TEST(PatternEndpoint, MatchesAnUnversionedPath) {
    EXPECT_TRUE(
        matches(R"({"endpoint": "spec_versions"})", entry("GET", "/_matrix/client/versions")));
    EXPECT_TRUE(
        matches(R"({"endpoint": "server_discovery"})", entry("GET", "/.well-known/matrix/client")));
}

TEST(PatternEndpoint, ReportsTheMethodsTheFormsAllow) {
    EXPECT_EQ(first_failure(R"({"endpoint": "login"})", entry("PUT", "/_matrix/client/v3/login")),
              R"(method: expected GET or POST (endpoint login), got "PUT")");
}

TEST(PatternEndpoint, ReportsThePathTemplateOnAMismatch) {
    EXPECT_EQ(first_failure(R"({"endpoint": "whoami"})", entry("GET", "/_matrix/client/v3/sync")),
              "endpoint: expected a path of whoami "
              "(/_matrix/client/{path_version=r0|v3}/account/whoami), "
              "got \"/_matrix/client/v3/sync\"");
}

TEST(PatternEndpoint, RefusesAnUnknownEndpointName) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"endpoint": "room_kik"})"); }),
              "request.endpoint");
    EXPECT_EQ(refused_key([] { RequestPattern::for_endpoint("room_kik"); }), "endpoint");
}

TEST(PatternEndpoint, ForEndpointMatchesLikeTheJsonForm) {
    const RequestPattern pattern = RequestPattern::for_endpoint("sync");
    EXPECT_TRUE(pattern.matches(entry("GET", "/_matrix/client/r0/sync?since=s1")));
    EXPECT_FALSE(pattern.matches(entry("POST", "/_matrix/client/r0/sync")));
}

TEST(PatternUrlKeys, RefusesTwoUrlKeysNamingTheSecond) {
    EXPECT_EQ(
        refused_key([] { RequestPattern::parse(R"({"urlPath": "/a", "endpoint": "sync"})"); }),
        "request.endpoint");
    EXPECT_EQ(
        refused_key([] { RequestPattern::parse(R"({"url": "/a", "urlPathPattern": "/a"})"); }),
        "request.urlPathPattern");
}

TEST(PatternUrlKeys, NoUrlKeyMatchesEveryPath) {
    EXPECT_TRUE(matches(R"({"method": "GET"})", entry("GET", "/anything/at/all?x")));
}

// --- queryParameters ------------------------------------------------------------------------

TEST(PatternQuery, EqualToComparesTheDecodedValue) {
    const char* json = R"({"queryParameters": {"since": {"equalTo": "s1+x y"}}})";
    EXPECT_TRUE(matches(json, entry("GET", "/sync?since=s1%2Bx+y")));
    EXPECT_TRUE(matches(json, entry("GET", "/sync?since=s1%2Bx%20y")));
    EXPECT_FALSE(matches(json, entry("GET", "/sync?since=s1")));
}

TEST(PatternQuery, MatchesIsAFullMatch) {
    const char* json = R"({"queryParameters": {"timeout": {"matches": "[0-9]+"}}})";
    EXPECT_TRUE(matches(json, entry("GET", "/sync?timeout=30000")));
    EXPECT_FALSE(matches(json, entry("GET", "/sync?timeout=30000ms")));
    EXPECT_FALSE(matches(json, entry("GET", "/sync")));
}

TEST(PatternQuery, AbsentPassesOnlyWithoutTheParameter) {
    const char* json = R"({"queryParameters": {"since": {"absent": true}}})";
    EXPECT_TRUE(matches(json, entry("GET", "/sync?timeout=0")));
    EXPECT_FALSE(matches(json, entry("GET", "/sync?since=")));
}

TEST(PatternQuery, PassesWhenSomeRepeatedValueSatisfiesTheMatcher) {
    const char* json = R"({"queryParameters": {"via": {"equalTo": "b.org"}}})";
    EXPECT_TRUE(matches(json, entry("POST", "/join?via=a.org&via=b.org")));
}

TEST(PatternQuery, AListOfMatchersRequiresEachOfThem) {
    const char* json =
        R"({"queryParameters": {"via": [{"equalTo": "a.org"}, {"equalTo": "b.org"}]}})";
    EXPECT_TRUE(matches(json, entry("POST", "/join?via=a.org&via=b.org")));
    EXPECT_TRUE(matches(json, entry("POST", "/join?via=b.org&x=1&via=a.org")));
    EXPECT_FALSE(matches(json, entry("POST", "/join?via=a.org")));
    EXPECT_EQ(first_failure(json, entry("POST", "/join?via=a.org")),
              R"(queryParameters.via: expected equalTo "b.org", got "a.org")");
}

TEST(PatternQuery, ReportsNoneWhenTheParameterIsMissing) {
    EXPECT_EQ(first_failure(R"({"queryParameters": {"since": {"equalTo": "s1"}}})",
                            entry("GET", "/sync")),
              R"(queryParameters.since: expected equalTo "s1", got none)");
}

TEST(PatternQuery, FailsWithAReasonWhenTheQueryDoesNotDecode) {
    const RequestPattern pattern =
        RequestPattern::parse(R"({"queryParameters": {"since": {"absent": true}}})");
    const MatchResult result = pattern.match(entry("GET", "/sync?since=%zz"));
    EXPECT_FALSE(result.matched);
    EXPECT_EQ(
        result.first_failure,
        R"(queryParameters.since: the query string does not decode (a malformed %-escape) in "since=%zz")");
}

TEST(PatternQuery, RefusesAnUnknownMatcherNamingItsPath) {
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(R"({"queryParameters": {"since": {"contains": "s"}}})");
              }),
              "request.queryParameters.since.contains");
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(
                      R"({"queryParameters": {"via": [{"equalTo": "a"}, {"equalto": "b"}]}})");
              }),
              "request.queryParameters.via[1].equalto");
}

TEST(PatternQuery, RefusesMalformedMatchers) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"queryParameters": {"a": {}}})"); }),
              "request.queryParameters.a");
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(
                      R"({"queryParameters": {"a": {"equalTo": "x", "absent": true}}})");
              }),
              "request.queryParameters.a");
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(R"({"queryParameters": {"a": {"absent": false}}})");
              }),
              "request.queryParameters.a.absent");
    EXPECT_EQ(
        refused_key([] { RequestPattern::parse(R"({"queryParameters": {"a": {"equalTo": 1}}})"); }),
        "request.queryParameters.a.equalTo");
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(R"({"queryParameters": {"a": {"matches": "(x"}}})");
              }),
              "request.queryParameters.a.matches");
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"queryParameters": {"a": []}})"); }),
              "request.queryParameters.a");
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"queryParameters": []})"); }),
              "request.queryParameters");
}

// --- headers --------------------------------------------------------------------------------

TEST(PatternHeaders, ComparesNamesCaseInsensitively) {
    const char* json = R"({"headers": {"authorization": {"equalTo": "Bearer t"}}})";
    EXPECT_TRUE(matches(json, entry("GET", "/x", {{"Authorization", "Bearer t"}})));
    EXPECT_TRUE(matches(json, entry("GET", "/x", {{"AUTHORIZATION", "Bearer t"}})));
    EXPECT_FALSE(matches(json, entry("GET", "/x", {{"Authorization", "bearer t"}})));
}

TEST(PatternHeaders, MatchesAndAbsentWork) {
    EXPECT_TRUE(matches(R"({"headers": {"Authorization": {"matches": "Bearer .+"}}})",
                        entry("GET", "/x", {{"authorization", "Bearer abc"}})));
    EXPECT_FALSE(matches(R"({"headers": {"Authorization": {"matches": "Bearer .+"}}})",
                         entry("GET", "/x", {{"authorization", "Basic abc"}})));
    EXPECT_TRUE(matches(R"({"headers": {"Authorization": {"absent": true}}})", entry("GET", "/x")));
    EXPECT_FALSE(matches(R"({"headers": {"Authorization": {"absent": true}}})",
                         entry("GET", "/x", {{"Authorization", ""}})));
}

TEST(PatternHeaders, PassesWhenSomeValueSatisfiesTheMatcher) {
    EXPECT_TRUE(
        matches(R"({"headers": {"Accept": {"equalTo": "application/json"}}})",
                entry("GET", "/x", {{"Accept", "text/html"}, {"accept", "application/json"}})));
}

TEST(PatternHeaders, ReportsTheHeaderAsThePatternNamesIt) {
    EXPECT_EQ(first_failure(R"({"headers": {"Authorization": {"matches": "Bearer .+"}}})",
                            entry("GET", "/x")),
              R"(headers.Authorization: expected matches "Bearer .+", got none)");
}

// --- bodyPatterns: equalToJson --------------------------------------------------------------

TEST(PatternEqualToJson, IgnoresKeyOrderAndComparesNumbersByValue) {
    const char* json = R"({"bodyPatterns": [{"equalToJson": {"a": 1, "b": [true, null]}}]})";
    EXPECT_TRUE(matches(json, entry("POST", "/x", {}, R"({"b":[true,null],"a":1.0})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"b":[null,true],"a":1})")));
}

// Numbers compare by exact decimal value, as matrix::Json's operator== does: 1 == 1.0 == 1e0,
// but two integers beyond 64 bits, or two fractions, that round to one double still differ.
TEST(PatternEqualToJson, ComparesNumbersByExactDecimalValue) {
    const char* json =
        R"({"bodyPatterns": [{"equalToJson": {"n": 12345678901234567890123, "x": 0.1, "o": 1}}]})";
    EXPECT_TRUE(matches(
        json, entry("POST", "/x", {}, R"({"n":1.2345678901234567890123e22,"x":1e-1,"o":1e0})")));
    EXPECT_TRUE(matches(
        json, entry("POST", "/x", {}, R"({"n":12345678901234567890123.0,"x":0.10,"o":1.0})")));
    EXPECT_FALSE(
        matches(json, entry("POST", "/x", {}, R"({"n":12345678901234567890124,"x":0.1,"o":1})")));
    EXPECT_FALSE(matches(
        json,
        entry("POST", "/x", {}, R"({"n":12345678901234567890123,"x":0.10000000000000001,"o":1})")));
    EXPECT_EQ(first_failure(
                  json, entry("POST", "/x", {}, R"({"n":12345678901234567890124,"x":0.1,"o":1})")),
              "bodyPatterns[0].equalToJson: at $.n: expected 12345678901234567890123, got "
              "12345678901234567890124");
    EXPECT_TRUE(matches(R"({"bodyPatterns": [{"equalToJson": "{\"z\": -0.0}"}]})",
                        entry("POST", "/x", {}, R"({"z":0})")));
    // A number is never a string, even one holding its digits.
    EXPECT_FALSE(matches(R"({"bodyPatterns": [{"equalToJson": {"x": 0.5}}]})",
                         entry("POST", "/x", {}, R"({"x":"0.5"})")));
}

TEST(PatternEqualToJson, RefusesExtraMembersByDefault) {
    const char* json = R"({"bodyPatterns": [{"equalToJson": {"a": {"b": 1}}}]})";
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":1,"c":2}})")));
    EXPECT_EQ(first_failure(json, entry("POST", "/x", {}, R"({"a":{"b":1,"c":2}})")),
              R"(bodyPatterns[0].equalToJson: at $.a.c: expected (absent), got 2)");
}

TEST(PatternEqualToJson, IgnoreExtraElementsAllowsExtraMembersAtEveryDepth) {
    const char* json =
        R"({"bodyPatterns": [{"equalToJson": {"a": {"b": [{"c": 1}]}}, "ignoreExtraElements": true}]})";
    EXPECT_TRUE(
        matches(json, entry("POST", "/x", {}, R"({"a":{"b":[{"c":1,"d":2}],"e":3},"f":4})")));
    // Arrays still match element by element.
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":[{"c":1},{"c":2}]}})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":[{"d":1}]}})")));
}

TEST(PatternEqualToJson, AcceptsTheExpectedBodyAsAStringHoldingJson) {
    const char* json = R"({"bodyPatterns": [{"equalToJson": "{\"type\": \"m.login.password\"}"}]})";
    EXPECT_TRUE(matches(json, entry("POST", "/x", {}, R"({"type":"m.login.password"})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"type":"m.login.token"})")));
}

TEST(PatternEqualToJson, ReportsTheFirstDifferenceWithItsPath) {
    const char* json = R"({"bodyPatterns": [{"equalToJson": {"content": {"m.body": ["hi"]}}}]})";
    EXPECT_EQ(first_failure(json, entry("PUT", "/x", {}, R"({"content":{"m.body":["ho"]}})")),
              R"(bodyPatterns[0].equalToJson: at $.content["m.body"][0]: expected "hi", got "ho")");
    EXPECT_EQ(
        first_failure(json, entry("PUT", "/x", {}, R"({"content":{}})")),
        R"(bodyPatterns[0].equalToJson: at $.content["m.body"]: expected an array of 1 element, got (absent))");
    EXPECT_EQ(first_failure(json, entry("PUT", "/x", {}, R"({"content":{"m.body":[]}})")),
              "bodyPatterns[0].equalToJson: at $.content[\"m.body\"]: expected an array of 1 "
              "element, got an array of 0 elements");
}

TEST(PatternEqualToJson, FailsABodyThatIsNotJsonWithAReason) {
    const char* json = R"({"bodyPatterns": [{"equalToJson": {}}]})";
    const MatchResult result = RequestPattern::parse(json).match(entry("POST", "/x", {}, "{nope"));
    EXPECT_FALSE(result.matched);
    EXPECT_TRUE(
        result.first_failure.starts_with("bodyPatterns[0].equalToJson: the body is not valid JSON"))
        << result.first_failure;
    EXPECT_EQ(first_failure(json, entry("POST", "/x")),
              "bodyPatterns[0].equalToJson: the body is empty, not JSON");
}

TEST(PatternEqualToJson, RefusesAStringThatIsNotJson) {
    EXPECT_EQ(refused_key(
                  [] { RequestPattern::parse(R"({"bodyPatterns": [{"equalToJson": "{nope"}]})"); }),
              "request.bodyPatterns[0].equalToJson");
}

TEST(PatternEqualToJson, HelperBuildsTheSamePattern) {
    RequestPattern pattern;
    pattern.with_body(equal_to_json(Json::parse(R"({"a":{"b":1}})"), true));
    EXPECT_TRUE(pattern.matches(entry("POST", "/x", {}, R"({"a":{"b":1,"c":2}})")));
    EXPECT_FALSE(pattern.matches(entry("POST", "/x", {}, R"({"a":{"b":2}})")));
}

// --- bodyPatterns: matchesJsonPath ----------------------------------------------------------

TEST(PatternMatchesJsonPath, ComparesANumberByItsTextAsWritten) {
    const char* json =
        R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.n", "equalTo": "12345678901234567890123"}}]})";
    EXPECT_TRUE(matches(json, entry("POST", "/x", {}, R"({"n":12345678901234567890123})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"n":"x"})")));
}

TEST(PatternMatchesJsonPath, AStringPathPassesWhenThePathExists) {
    const char* json = R"({"bodyPatterns": [{"matchesJsonPath": "$.a.b[0]['m.read']"}]})";
    EXPECT_TRUE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":[{"m.read":null}]}})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":[{"m.fully_read":1}]}})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":[]}})")));
    EXPECT_FALSE(matches(json, entry("POST", "/x", {}, R"({"a":{"b":{"0":1}}})")));
    EXPECT_EQ(first_failure(json, entry("POST", "/x", {}, R"({})")),
              "bodyPatterns[0].matchesJsonPath: $.a.b[0]['m.read'] is not in the body");
}

TEST(PatternMatchesJsonPath, AcceptsDoubleQuotedNamesAndTheRoot) {
    EXPECT_TRUE(matches(R"({"bodyPatterns": [{"matchesJsonPath": "$[\"m.x\"]"}]})",
                        entry("POST", "/x", {}, R"({"m.x":1})")));
    EXPECT_TRUE(
        matches(R"({"bodyPatterns": [{"matchesJsonPath": "$"}]})", entry("POST", "/x", {}, "[]")));
}

TEST(PatternMatchesJsonPath, EqualToComparesStringsByValueAndOthersAsCompactJson) {
    const auto with = [](const char* test) {
        return std::string(R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.v", )") +
               test + "}}]}";
    };
    EXPECT_TRUE(
        matches(with(R"("equalTo": "m.text")"), entry("POST", "/x", {}, R"({"v":"m.text"})")));
    EXPECT_TRUE(matches(with(R"("equalTo": "5")"), entry("POST", "/x", {}, R"({"v":5})")));
    EXPECT_TRUE(matches(with(R"("equalTo": "{\"a\":[1,2]}")"),
                        entry("POST", "/x", {}, R"({"v": {"a": [1, 2]}})")));
    EXPECT_TRUE(matches(with(R"("equalTo": "true")"), entry("POST", "/x", {}, R"({"v":true})")));
    EXPECT_FALSE(
        matches(with(R"("equalTo": "\"m.text\"")"), entry("POST", "/x", {}, R"({"v":"m.text"})")));
}

TEST(PatternMatchesJsonPath, MatchesAndAbsentTestTheValueFound) {
    const auto with = [](const char* test) {
        return std::string(R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.v", )") +
               test + "}}]}";
    };
    EXPECT_TRUE(
        matches(with(R"("matches": "m\\..*")"), entry("POST", "/x", {}, R"({"v":"m.text"})")));
    EXPECT_FALSE(matches(with(R"("matches": "m\\..*")"), entry("POST", "/x", {}, R"({"v":"x"})")));
    EXPECT_TRUE(matches(with(R"("absent": true)"), entry("POST", "/x", {}, R"({"w":1})")));
    EXPECT_FALSE(matches(with(R"("absent": true)"), entry("POST", "/x", {}, R"({"v":null})")));
}

TEST(PatternMatchesJsonPath, ReportsTheValueFoundAtThePath) {
    const std::string json =
        R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.type", "equalTo": "m.login.password"}}]})";
    EXPECT_EQ(first_failure(json, entry("POST", "/x", {}, R"({"type":"m.login.token"})")),
              "bodyPatterns[0].matchesJsonPath: $.type: expected equalTo \"m.login.password\", "
              "got \"m.login.token\"");
    EXPECT_EQ(first_failure(json, entry("POST", "/x", {}, R"({})")),
              "bodyPatterns[0].matchesJsonPath: $.type: expected equalTo \"m.login.password\", "
              "got none");
}

TEST(PatternMatchesJsonPath, RefusesUnsupportedPaths) {
    for (const char* path : {"a.b", "$..a", "$.*", "$[*]", "$.a[", "$['a'", "$.", "$[-1]", "$a"}) {
        const std::string json =
            std::string(R"({"bodyPatterns": [{"matchesJsonPath": ")") + path + "\"}]}";
        EXPECT_EQ(refused_key([&] { RequestPattern::parse(json); }),
                  "request.bodyPatterns[0].matchesJsonPath")
            << path;
    }
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(
                      R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$..a"}}]})");
              }),
              "request.bodyPatterns[0].matchesJsonPath.expression");
}

TEST(PatternMatchesJsonPath, RefusesMalformedObjectForms) {
    EXPECT_EQ(
        refused_key([] {
            RequestPattern::parse(R"({"bodyPatterns": [{"matchesJsonPath": {"equalTo": "x"}}]})");
        }),
        "request.bodyPatterns[0].matchesJsonPath.expression");
    EXPECT_EQ(
        refused_key([] {
            RequestPattern::parse(
                R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.a", "equalTo": "x", "absent": true}}]})");
        }),
        "request.bodyPatterns[0].matchesJsonPath.absent");
    EXPECT_EQ(
        refused_key([] {
            RequestPattern::parse(
                R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.a", "contains": "x"}}]})");
        }),
        "request.bodyPatterns[0].matchesJsonPath.contains");
}

TEST(PatternBodyPatterns, RefusesMalformedEntries) {
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(
                      R"({"bodyPatterns": [{"equalToJson": {}, "matchesJsonPath": "$"}]})");
              }),
              "request.bodyPatterns[0]");
    EXPECT_EQ(
        refused_key([] {
            RequestPattern::parse(
                R"({"bodyPatterns": [{"matchesJsonPath": "$", "ignoreExtraElements": true}]})");
        }),
        "request.bodyPatterns[0].ignoreExtraElements");
    EXPECT_EQ(refused_key([] {
                  RequestPattern::parse(
                      R"({"bodyPatterns": [{"equalToJson": {}, "ignoreExtraElements": 1}]})");
              }),
              "request.bodyPatterns[0].ignoreExtraElements");
    EXPECT_EQ(
        refused_key([] { RequestPattern::parse(R"({"bodyPatterns": [{"contains": "x"}]})"); }),
        "request.bodyPatterns[0].contains");
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"bodyPatterns": {}})"); }),
              "request.bodyPatterns");
}

// --- the pattern as a whole -----------------------------------------------------------------

TEST(PatternParse, RefusesAnUnknownKeyNamingItsPath) {
    EXPECT_EQ(refused_message(R"({"method": "GET", "queryParamters": {}})"),
              "'request.queryParamters': is not a known key (expected one of: method, url, "
              "urlPath, urlPathPattern, urlPathTemplate, endpoint, queryParameters, headers, "
              "bodyPatterns)");
}

TEST(PatternParse, NamesKeysUnderTheGivenPrefix) {
    EXPECT_EQ(
        refused_key([] { RequestPattern::parse(R"({"urlPath": 1})", "mappings[2].request"); }),
        "mappings[2].request.urlPath");
}

TEST(PatternParse, RefusesARepeatedKey) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse(R"({"method": "GET", "method": "PUT"})"); }),
              "request.method");
}

TEST(PatternParse, RefusesTextThatIsNotAJsonObject) {
    EXPECT_EQ(refused_key([] { RequestPattern::parse("[]"); }), "request");
    EXPECT_EQ(refused_key([] { RequestPattern::parse("{"); }), "request");
}

TEST(PatternMatch, CountsEveryPredicateAndReportsOnlyTheFirstFailure) {
    const RequestPattern pattern = RequestPattern::parse(R"({
        "method": "POST", "urlPath": "/x",
        "queryParameters": {"a": {"equalTo": "1"}, "b": {"equalTo": "2"}},
        "headers": {"H": {"absent": true}},
        "bodyPatterns": [{"equalToJson": {}}]})");
    const MatchResult result = pattern.match(entry("GET", "/x?a=1&b=3", {}, "{}"));
    EXPECT_FALSE(result.matched);
    EXPECT_EQ(result.predicates_total, 6u);
    EXPECT_EQ(result.predicates_passed, 4u);
    EXPECT_EQ(result.first_failure, R"(method: expected POST, got "GET")");

    const MatchResult full = pattern.match(entry("POST", "/x?a=1&b=2", {}, "{}"));
    EXPECT_TRUE(full.matched);
    EXPECT_EQ(full.first_failure, "");
    EXPECT_EQ(full.predicates_passed, full.predicates_total);
}

TEST(PatternMatch, QuotesControlBytesAndInvalidUtf8InReports) {
    EXPECT_EQ(first_failure(R"({"urlPath": "/x"})", entry("GET", std::string("/\x01\xff"))),
              R"(urlPath: expected "/x", got "/\x01\xff")");
}

TEST(PatternMatch, TheDefaultPatternMatchesEveryRequest) {
    EXPECT_TRUE(RequestPattern().matches(entry("DELETE", "/whatever?x=%zz")));
}

// --- builders and descriptions --------------------------------------------------------------

TEST(PatternBuilders, ForPathAndWithersCombine) {
    RequestPattern pattern = RequestPattern::for_path("put", "/a");
    pattern.with_query("since", equal_to("s1"))
        .with_header("Authorization", matching("Bearer .+"))
        .with_query("full_state", absent());
    EXPECT_TRUE(pattern.matches(entry("PUT", "/a?since=s1", {{"authorization", "Bearer x"}})));
    EXPECT_FALSE(pattern.matches(
        entry("PUT", "/a?since=s1&full_state=true", {{"authorization", "Bearer x"}})));
    pattern.with_method("ANY");
    EXPECT_TRUE(pattern.matches(entry("GET", "/a?since=s1", {{"authorization", "Bearer x"}})));
}

TEST(PatternBuilders, MatchingRefusesAnInvalidRegex) { EXPECT_THROW(matching("(a"), MappingError); }

TEST(PatternValueMatcher, TestsOptionalValues) {
    EXPECT_TRUE(equal_to("a").test("a"));
    EXPECT_FALSE(equal_to("a").test(std::nullopt));
    EXPECT_TRUE(matching("a+").test("aaa"));
    EXPECT_FALSE(matching("a+").test("aab"));
    EXPECT_FALSE(matching(".*").test(std::nullopt));
    EXPECT_TRUE(absent().test(std::nullopt));
    EXPECT_FALSE(absent().test(""));
}

TEST(PatternValueMatcher, DescribesItselfAsTheJsonSpellsIt) {
    EXPECT_EQ(equal_to("x").describe(), R"(equalTo "x")");
    EXPECT_EQ(matching("a\"b").describe(), R"(matches "a\"b")");
    EXPECT_EQ(absent().describe(), "absent");
}

TEST(PatternDescribe, SummarisesMethodAndUrl) {
    EXPECT_EQ(RequestPattern::parse(R"({"method": "POST", "endpoint": "room_kick"})").describe(),
              "POST endpoint room_kick");
    EXPECT_EQ(RequestPattern::for_endpoint("room_kick").describe(), "POST endpoint room_kick");
    EXPECT_EQ(RequestPattern::for_endpoint("login").describe(), "GET|POST endpoint login");
    EXPECT_EQ(RequestPattern::for_path("GET", "/_matrix/client/versions").describe(),
              "GET urlPath /_matrix/client/versions");
    EXPECT_EQ(RequestPattern().describe(), "ANY any URL");
}

TEST(PatternDescribe, ListsTheOtherConditions) {
    EXPECT_EQ(RequestPattern::parse(R"({"method": "GET", "urlPathPattern": "/a.*",
                  "queryParameters": {"since": {"equalTo": "s1"}},
                  "headers": {"Authorization": {"absent": true}},
                  "bodyPatterns": [{"matchesJsonPath": "$.a"}]})")
                  .describe(),
              R"(GET urlPathPattern /a.* with query since equalTo "s1", header Authorization )"
              R"(absent, body matchesJsonPath $.a)");
}

}  // namespace
}  // namespace matrix::mock
