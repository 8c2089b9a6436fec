// Mappings: WireMock JSON to stubs, canned Matrix errors, and mapping files on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "entry_support.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;
using testing_support::entry;

const std::string kData = MATRIX_MOCK_TEST_DATA;
const std::string kMappings = kData + "/mappings";
const std::string kBad = kData + "/bad";

// The key a MappingError names, or a marker saying what happened instead.
std::string refused_key(std::string_view json, const std::string& base_dir = kMappings) {
    try {
        parse_mapping(json, base_dir);
    } catch (const MappingError& e) {
        return e.key();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

std::string refused_message(std::string_view json, const std::string& base_dir = kMappings) {
    try {
        parse_mapping(json, base_dir);
    } catch (const MappingError& e) {
        return e.what();
    }
    return "<nothing thrown>";
}

// A mapping around one response object.
std::string with_response(std::string_view response) {
    return R"({"request": {"urlPath": "/x"}, "response": )" + std::string(response) + "}";
}

ResponseDefinition response_of(std::string_view response) {
    return parse_mapping(with_response(response), kMappings).responses.at(0);
}

const std::string* header(const ResponseDefinition& response, std::string_view name) {
    for (const Header& h : response.headers) {
        if (h.name == name) return &h.value;
    }
    return nullptr;
}

// A scratch folder removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device device;
        path_ = fs::temp_directory_path() / ("mock-mapping-test-" + std::to_string(device()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return path_; }
    std::string write(const std::string& name, std::string_view text) const {
        const fs::path file = path_ / name;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }

  private:
    fs::path path_;
};

// --- the mapping object ---------------------------------------------------------------------

TEST(MappingParse, GivesDefaultsToAMinimalMapping) {
    const Stub stub = parse_mapping(R"({"request": {}, "response": {}})", kMappings);
    EXPECT_TRUE(std::regex_match(
        stub.id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << stub.id;
    EXPECT_EQ(stub.priority, 5);
    EXPECT_FALSE(stub.max_uses);
    ASSERT_EQ(stub.responses.size(), 1u);
    EXPECT_EQ(stub.responses[0].status, 200);
    EXPECT_EQ(stub.responses[0].body, "");
    EXPECT_FALSE(stub.responses[0].json);
    EXPECT_EQ(stub.responses[0].fault, Fault::none);
    EXPECT_FALSE(stub.from_files);
    EXPECT_EQ(Json::parse(stub.source_json),
              Json::parse(R"({"request": {}, "response": {}, "id": ")" + stub.id + "\"}"));
}

TEST(MappingParse, ReadsNamePriorityMaxUsesAndId) {
    const Stub stub = parse_mapping(
        R"({"id": "kick-1", "name": "kick", "priority": 1, "maxUses": 2,
            "request": {"method": "POST", "endpoint": "room_kick"}, "response": {"status": 204}})",
        kMappings);
    EXPECT_EQ(stub.id, "kick-1");
    EXPECT_EQ(stub.name, "kick");
    EXPECT_EQ(stub.priority, 1);
    EXPECT_EQ(stub.max_uses, 2u);
    EXPECT_EQ(stub.responses.at(0).status, 204);
    EXPECT_TRUE(stub.request.matches(entry("POST", "/_matrix/client/v3/rooms/a/kick")));
    EXPECT_EQ(Json::parse(stub.source_json).text(),
              Json::parse(R"({"id": "kick-1", "name": "kick", "priority": 1, "maxUses": 2,
                   "request": {"method": "POST", "endpoint": "room_kick"},
                   "response": {"status": 204}})")
                  .text());
}

TEST(MappingParse, TakesUuidAsTheIdWhenNoIdIsGiven) {
    EXPECT_EQ(parse_mapping(R"({"uuid": "u-1", "request": {}, "response": {}})", kMappings).id,
              "u-1");
    EXPECT_EQ(
        parse_mapping(R"({"id": "i-1", "uuid": "u-1", "request": {}, "response": {}})", kMappings)
            .id,
        "i-1");
}

TEST(MappingParse, IgnoresHarmlessWireMockKeys) {
    EXPECT_NO_THROW(parse_mapping(
        R"({"metadata": {"tags": ["x"]}, "persistent": true, "request": {}, "response": {}})",
        kMappings));
}

TEST(MappingParse, RefusesScenarioKeysAsUnsupported) {
    for (const char* key : {"scenarioName", "requiredScenarioState", "newScenarioState"}) {
        const std::string json =
            std::string(R"({"request": {}, "response": {}, ")") + key + R"(": "s"})";
        EXPECT_EQ(refused_key(json), key);
        EXPECT_NE(refused_message(json).find("not supported"), std::string::npos);
    }
}

TEST(MappingParse, RefusesUnknownKeysNamingTheirPath) {
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "priorty": 1})"), "priorty");
    EXPECT_EQ(
        refused_key(R"({"request": {"urlPath": "/x", "queryParamters": {}}, "response": {}})"),
        "request.queryParamters");
    EXPECT_EQ(refused_key(with_response(R"({"jsonbody": {}})")), "response.jsonbody");
    EXPECT_EQ(refused_key(with_response(R"({"matrixError": {"errcode": "M_FORBIDDEN", "x": 1}})")),
              "response.matrixError.x");
}

TEST(MappingParse, NamesKeysUnderTheGivenPrefix) {
    try {
        parse_mapping(R"({"request": {"urlPath": 5}, "response": {}})", kMappings, "mappings[3]");
        FAIL() << "nothing thrown";
    } catch (const MappingError& e) {
        EXPECT_EQ(e.key(), "mappings[3].request.urlPath");
        EXPECT_STREQ(e.what(), "'mappings[3].request.urlPath': must be a string");
    }
}

TEST(MappingParse, RefusesWrongTypes) {
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "priority": "1"})"), "priority");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "priority": 1.5})"), "priority");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "maxUses": 0})"), "maxUses");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "maxUses": -1})"), "maxUses");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "name": 5})"), "name");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "id": 5})"), "id");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "id": "a/b"})"), "id");
    EXPECT_EQ(refused_key(R"({"request": [], "response": {}})"), "request");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": []})"), "response");
    EXPECT_EQ(refused_key(R"({"request": {}, "sequence": {}})"), "sequence");
    EXPECT_EQ(refused_key(with_response(R"({"status": "200"})")), "response.status");
    EXPECT_EQ(refused_key(with_response(R"({"body": {}})")), "response.body");
    EXPECT_EQ(refused_key(with_response(R"({"headers": {"X": 1}})")), "response.headers.X");
    EXPECT_EQ(refused_key(with_response(R"({"headers": {"X": [1]}})")), "response.headers.X[0]");
    EXPECT_EQ(refused_key(with_response(R"({"headers": []})")), "response.headers");
}

TEST(MappingParse, RefusesTextThatIsNotAMappingObject) {
    EXPECT_EQ(refused_key("[]"), "");
    EXPECT_EQ(refused_key("{"), "");
    EXPECT_NE(refused_message("{").find("not valid JSON"), std::string::npos);
}

TEST(MappingParse, RequiresARequest) { EXPECT_EQ(refused_key(R"({"response": {}})"), "request"); }

TEST(MappingParse, RequiresExactlyOneOfResponseAndSequence) {
    EXPECT_EQ(refused_key(R"({"request": {}})"), "response");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "sequence": [{}]})"), "sequence");
    EXPECT_EQ(refused_key(R"({"request": {}, "sequence": []})"), "sequence");
}

TEST(MappingParse, ReadsASequenceInOrder) {
    const Stub stub = parse_mapping(
        R"({"request": {}, "sequence": [{"status": 500}, {"status": 502}, {"status": 200}]})",
        kMappings);
    ASSERT_EQ(stub.responses.size(), 3u);
    EXPECT_EQ(stub.responses[0].status, 500);
    EXPECT_EQ(stub.responses[1].status, 502);
    EXPECT_EQ(stub.responses[2].status, 200);
    EXPECT_EQ(refused_key(R"({"request": {}, "sequence": [{}, {"status": 0}]})"),
              "sequence[1].status");
}

// --- responses ------------------------------------------------------------------------------

TEST(MappingResponse, SerializesJsonBodyCompactly) {
    const ResponseDefinition response =
        response_of(R"({"jsonBody": {"a": [1, 2.5, "x"], "b": {}}})");
    EXPECT_EQ(response.body, R"({"a":[1,2.5,"x"],"b":{}})");
    EXPECT_TRUE(response.json);
    EXPECT_EQ(response_of(R"({"jsonBody": "text"})").body, R"("text")");
}

// A stub replays its jsonBody's numbers byte for byte: a client under test may check them.
TEST(MappingResponse, ReplaysJsonBodyNumbersAsWritten) {
    const std::string numbers =
        R"({"n":12345678901234567890123,"x":0.30000000000000004,"y":1e-7,"z":-0,"w":1.0,)"
        R"("u":18446744073709551615,"i":-9223372036854775808})";
    EXPECT_EQ(response_of(R"({"jsonBody": )" + numbers + "}").body, numbers);
    const Stub stub = parse_mapping(with_response(R"({"jsonBody": )" + numbers + "}"), kMappings);
    EXPECT_NE(stub.source_json.find(numbers), std::string::npos) << stub.source_json;
}

TEST(MappingResponse, ReplaysJsonBodyNumbersFromAMappingsList) {
    const TempDir dir;
    const std::string file = dir.write(
        "list.json",
        R"({"mappings": [{"request": {}, "response": {"jsonBody": {"n": 1e400000000000000000000}}},)"
        R"( {"request": {}, "response": {"jsonBody": [123456789012345678901234567890, 0.1]}}]})");
    EXPECT_THROW(load_mapping_file(file, dir.path().string()), MappingFileError);
    const std::string good = dir.write(
        "good.json",
        R"({"mappings": [{"request": {}, "response": {"jsonBody": [123456789012345678901234567890, 1E+2]}}]})");
    const std::vector<Stub> stubs = load_mapping_file(good, dir.path().string());
    ASSERT_EQ(stubs.size(), 1u);
    EXPECT_EQ(stubs[0].responses.at(0).body, "[123456789012345678901234567890,1E+2]");
}

TEST(MappingResponse, RefusesIntegerFieldsGivenAsFractionsOrBeyond64Bits) {
    EXPECT_EQ(refused_key(with_response(R"({"status": 200.0})")), "response.status");
    EXPECT_EQ(refused_key(with_response(R"({"fixedDelayMilliseconds": 1e2})")),
              "response.fixedDelayMilliseconds");
    EXPECT_EQ(refused_key(R"({"request": {}, "response": {}, "maxUses": 123456789012345678901})"),
              "maxUses");
}

TEST(MappingResponse, SendsABodyStringAsItIs) {
    const ResponseDefinition response = response_of(R"({"status": 201, "body": "a \"b\"\n"})");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.body, "a \"b\"\n");
    EXPECT_FALSE(response.json);
}

TEST(MappingResponse, ReadsHeadersWithRepeatedValuesAsAList) {
    const ResponseDefinition response =
        response_of(R"({"headers": {"X-One": "1", "Set-Cookie": ["a=1", "b=2"]}})");
    const std::vector<Header> expected = {
        {"X-One", "1"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
    EXPECT_EQ(response.headers, expected);
}

TEST(MappingResponse, RefusesHeadersThatWouldBreakTheResponse) {
    EXPECT_EQ(refused_key(with_response(R"({"headers": {"X": "a\r\nInjected: 1"}})")),
              "response.headers.X");
    EXPECT_EQ(refused_key(with_response(R"({"headers": {"X Y": "1"}})")), "response.headers.X Y");
    EXPECT_EQ(refused_key(with_response(R"({"headers": {"X": "1", "x": "2"}})")),
              "response.headers.x");
}

TEST(MappingResponse, AcceptsStatusesFrom100To599Only) {
    EXPECT_EQ(response_of(R"({"status": 100})").status, 100);
    EXPECT_EQ(response_of(R"({"status": 599})").status, 599);
    EXPECT_EQ(refused_key(with_response(R"({"status": 99})")), "response.status");
    EXPECT_EQ(refused_key(with_response(R"({"status": 600})")), "response.status");
    EXPECT_EQ(refused_key(with_response(R"({"status": 200.5})")), "response.status");
}

TEST(MappingResponse, RefusesTwoBodies) {
    EXPECT_EQ(refused_key(with_response(R"({"jsonBody": {}, "body": "x"})")), "response.body");
    EXPECT_EQ(refused_key(
                  with_response(R"({"jsonBody": {}, "matrixError": {"errcode": "M_FORBIDDEN"}})")),
              "response.matrixError");
    EXPECT_EQ(refused_key(with_response(R"({"body": "x", "bodyFileName": "bodies/hello.txt"})")),
              "response.bodyFileName");
}

TEST(MappingResponse, ReadsTheFixedDelay) {
    EXPECT_EQ(response_of(R"({"fixedDelayMilliseconds": 250})").fixed_delay,
              std::chrono::milliseconds(250));
    EXPECT_EQ(response_of(R"({"fixedDelayMilliseconds": 600000})").fixed_delay,
              std::chrono::milliseconds(600000));
    EXPECT_EQ(refused_key(with_response(R"({"fixedDelayMilliseconds": -1})")),
              "response.fixedDelayMilliseconds");
    EXPECT_EQ(refused_key(with_response(R"({"fixedDelayMilliseconds": 600001})")),
              "response.fixedDelayMilliseconds");
    EXPECT_EQ(refused_key(with_response(R"({"fixedDelayMilliseconds": "5"})")),
              "response.fixedDelayMilliseconds");
}

TEST(MappingResponse, ReadsTheSupportedFaultsOnly) {
    EXPECT_EQ(response_of(R"({"fault": "CONNECTION_RESET"})").fault, Fault::connection_reset);
    EXPECT_EQ(response_of(R"({"fault": "EMPTY_RESPONSE"})").fault, Fault::empty_response);
    EXPECT_EQ(refused_key(with_response(R"({"fault": "RANDOM_DATA_THEN_CLOSE"})")),
              "response.fault");
    EXPECT_EQ(refused_key(with_response(R"({"fault": "connection_reset"})")), "response.fault");
}

// --- bodyFileName ---------------------------------------------------------------------------

TEST(MappingBodyFileName, ReadsTheFileRelativeToTheFixturesFolder) {
    const ResponseDefinition text = response_of(R"({"bodyFileName": "bodies/hello.txt"})");
    EXPECT_EQ(text.body, "hello from a fixture\n");
    EXPECT_FALSE(text.json);
    const ResponseDefinition json = response_of(R"({"bodyFileName": "bodies/event.json"})");
    EXPECT_TRUE(json.json);
    EXPECT_EQ(
        Json::parse(json.body),
        Json::parse(R"({"type":"m.room.message","content":{"body":"hi","msgtype":"m.text"}})"));
    EXPECT_EQ(response_of(R"({"bodyFileName": "./bodies/../bodies/hello.txt"})").body,
              "hello from a fixture\n");
}

TEST(MappingBodyFileName, RefusesPathsThatLeaveTheFixturesFolder) {
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "../bad/not-json.json"})")),
              "response.bodyFileName");
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "bodies/../../bad/not-json.json"})")),
              "response.bodyFileName");
    EXPECT_NE(refused_message(with_response(R"({"bodyFileName": "../nope"})"))
                  .find("leads outside the fixtures folder"),
              std::string::npos);
    const std::string absolute = kMappings + "/bodies/hello.txt";
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": ")" + absolute + "\"}")),
              "response.bodyFileName");
}

TEST(MappingBodyFileName, RefusesASymlinkLeadingOutOfTheFixturesFolder) {
    const TempDir outside;
    const std::string secret = outside.write("secret.txt", "secret");
    const TempDir fixtures;
    fs::create_symlink(secret, fixtures.path() / "link.txt");
    fs::create_directory_symlink(outside.path(), fixtures.path() / "dir");
    fixtures.write("inside.txt", "inside");
    fs::create_symlink(fixtures.path() / "inside.txt", fixtures.path() / "inner-link.txt");

    const std::string base = fixtures.path().string();
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "link.txt"})"), base),
              "response.bodyFileName");
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "dir/secret.txt"})"), base),
              "response.bodyFileName");
    // A link that stays inside is fine.
    EXPECT_EQ(parse_mapping(with_response(R"({"bodyFileName": "inner-link.txt"})"), base)
                  .responses.at(0)
                  .body,
              "inside");
}

TEST(MappingBodyFileName, RefusesAMissingFileAtParseTime) {
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "bodies/missing.json"})")),
              "response.bodyFileName");
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "bodies"})")), "response.bodyFileName");
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": ""})")), "response.bodyFileName");
}

TEST(MappingBodyFileName, RefusesAnyFileWhenNoFixturesFolderIsSet) {
    EXPECT_EQ(refused_key(with_response(R"({"bodyFileName": "bodies/hello.txt"})"), ""),
              "response.bodyFileName");
}

// --- canned Matrix errors -------------------------------------------------------------------

struct CannedCase {
    const char* errcode;
    int status;
};

TEST(MappingMatrixError, ExpandsEachErrcodeOfTheIssueToItsStatusAndBody) {
    for (const CannedCase& c : {CannedCase{"M_LIMIT_EXCEEDED", 429},
                                CannedCase{"M_UNKNOWN_TOKEN", 401}, CannedCase{"M_FORBIDDEN", 403},
                                CannedCase{"M_NOT_FOUND", 404}, CannedCase{"M_TOO_LARGE", 413},
                                CannedCase{"M_BAD_JSON", 400}, CannedCase{"M_NOT_JSON", 400}}) {
        const ResponseDefinition response =
            response_of(std::string(R"({"matrixError": {"errcode": ")") + c.errcode + "\"}}");
        EXPECT_EQ(response.status, c.status) << c.errcode;
        EXPECT_TRUE(response.json);
        const Json body = Json::parse(response.body);
        EXPECT_NE(response.body.find(std::string("\"errcode\":\"") + c.errcode + "\""),
                  std::string::npos)
            << response.body;
        EXPECT_NE(response.body.find("\"error\":\""), std::string::npos) << response.body;
    }
}

TEST(MappingMatrixError, RateLimitGetsRetryAfterInWholeSecondsRoundedUp) {
    const ResponseDefinition response =
        response_of(R"({"matrixError": {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 500}})");
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(
        Json::parse(response.body),
        Json::parse(
            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":500})"));
    ASSERT_NE(header(response, "Retry-After"), nullptr);
    EXPECT_EQ(*header(response, "Retry-After"), "1");

    const auto retry_after = [](std::int64_t ms) {
        const ResponseDefinition r = ResponseDefinition::matrix_error("M_LIMIT_EXCEEDED", {}, ms);
        const std::string* value = header(r, "Retry-After");
        return value != nullptr ? *value : "<none>";
    };
    EXPECT_EQ(retry_after(0), "1");
    EXPECT_EQ(retry_after(1000), "1");
    EXPECT_EQ(retry_after(1001), "2");
    EXPECT_EQ(retry_after(2000), "2");
    EXPECT_EQ(retry_after(90'500), "91");
}

TEST(MappingMatrixError, RateLimitWithoutRetryAfterHasNoHeader) {
    const ResponseDefinition response = ResponseDefinition::matrix_error("M_LIMIT_EXCEEDED");
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(header(response, "Retry-After"), nullptr);
    EXPECT_EQ(response.body.find("retry_after_ms"), std::string::npos);
}

TEST(MappingMatrixError, UnknownTokenSaysSoftLogoutFalseUnlessGiven) {
    EXPECT_EQ(
        Json::parse(response_of(R"({"matrixError": {"errcode": "M_UNKNOWN_TOKEN"}})").body),
        Json::parse(
            R"({"errcode":"M_UNKNOWN_TOKEN","error":"Unrecognised access token","soft_logout":false})"));
    const ResponseDefinition soft = response_of(
        R"({"matrixError": {"errcode": "M_UNKNOWN_TOKEN", "error": "expired", "soft_logout": true}})");
    EXPECT_EQ(soft.status, 401);
    EXPECT_EQ(Json::parse(soft.body),
              Json::parse(R"({"errcode":"M_UNKNOWN_TOKEN","error":"expired","soft_logout":true})"));
}

TEST(MappingMatrixError, KeepsTheGivenErrorSentence) {
    EXPECT_EQ(
        Json::parse(
            response_of(R"({"matrixError": {"errcode": "M_FORBIDDEN", "error": "You are banned"}})")
                .body),
        Json::parse(R"({"errcode":"M_FORBIDDEN","error":"You are banned"})"));
}

TEST(MappingMatrixError, TheResponseStatusOverridesTheDefault) {
    EXPECT_EQ(response_of(R"({"status": 400, "matrixError": {"errcode": "M_NOT_FOUND"}})").status,
              400);
    const ResponseDefinition custom =
        response_of(R"({"status": 418, "matrixError": {"errcode": "ORG_EXAMPLE_TEAPOT"}})");
    EXPECT_EQ(custom.status, 418);
    EXPECT_NE(custom.body.find("\"errcode\":\"ORG_EXAMPLE_TEAPOT\""), std::string::npos);
}

TEST(MappingMatrixError, RefusesAnUnknownErrcodeWithoutAStatus) {
    EXPECT_EQ(refused_key(with_response(R"({"matrixError": {"errcode": "M_TEAPOT"}})")),
              "response.matrixError.errcode");
    EXPECT_THROW(ResponseDefinition::matrix_error("M_TEAPOT"), MappingError);
}

TEST(MappingMatrixError, RefusesMalformedFields) {
    EXPECT_EQ(refused_key(with_response(R"({"matrixError": {}})")), "response.matrixError.errcode");
    EXPECT_EQ(refused_key(with_response(
                  R"({"matrixError": {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": -5}})")),
              "response.matrixError.retry_after_ms");
    EXPECT_EQ(refused_key(with_response(
                  R"({"matrixError": {"errcode": "M_UNKNOWN_TOKEN", "soft_logout": "yes"}})")),
              "response.matrixError.soft_logout");
    EXPECT_EQ(refused_key(with_response(R"({"matrixError": "M_FORBIDDEN"})")),
              "response.matrixError");
}

TEST(MappingMatrixError, AMappingHeaderReplacesTheGeneratedOne) {
    const ResponseDefinition response = response_of(
        R"({"headers": {"retry-after": "7"},
            "matrixError": {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 500}})");
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0], (Header{"retry-after", "7"}));
}

TEST(MappingMatrixError, DefaultStatusesFollowTheSpec) {
    const std::vector<std::pair<const char*, int>> expected = {{"M_LIMIT_EXCEEDED", 429},
                                                               {"M_UNKNOWN_TOKEN", 401},
                                                               {"M_MISSING_TOKEN", 401},
                                                               {"M_FORBIDDEN", 403},
                                                               {"M_NOT_FOUND", 404},
                                                               {"M_UNRECOGNIZED", 404},
                                                               {"M_TOO_LARGE", 413},
                                                               {"M_BAD_JSON", 400},
                                                               {"M_NOT_JSON", 400},
                                                               {"M_INVALID_PARAM", 400},
                                                               {"M_MISSING_PARAM", 400},
                                                               {"M_USER_IN_USE", 400},
                                                               {"M_INVALID_USERNAME", 400},
                                                               {"M_ROOM_IN_USE", 400},
                                                               {"M_BAD_STATE", 400},
                                                               {"M_GUEST_ACCESS_FORBIDDEN", 403},
                                                               {"M_UNKNOWN", 400},
                                                               {"M_EXCLUSIVE", 400},
                                                               {"M_UNSUPPORTED_ROOM_VERSION", 400}};
    for (const auto& [errcode, status] : expected)
        EXPECT_EQ(default_status_for(errcode), status) << errcode;
    EXPECT_EQ(default_status_for("M_TEAPOT"), std::nullopt);
    EXPECT_EQ(default_status_for(""), std::nullopt);
}

TEST(MappingResponseHelpers, JsonBodyMarksTheBodyAsJson) {
    const ResponseDefinition response =
        ResponseDefinition::json_body(201, Json::parse(R"({"a": 1})"));
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.body, R"({"a":1})");
    EXPECT_TRUE(response.json);
}

TEST(MappingNewStubId, IsARandomVersion4Uuid) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = new_stub_id();
        EXPECT_TRUE(std::regex_match(
            id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
            << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

// --- mapping files --------------------------------------------------------------------------

MappingFileError file_error(const std::string& path, const std::string& base_dir = kBad) {
    try {
        load_mapping_file(path, base_dir);
    } catch (const MappingFileError& e) {
        return e;
    }
    ADD_FAILURE() << "no MappingFileError for " << path;
    return MappingFileError(path, std::nullopt, "<none>", "<nothing thrown>");
}

TEST(MappingLoadFile, ReadsOneMappingAndNamesItsSourceByFile) {
    const std::string path = kMappings + "/01-versions.json";
    const std::vector<Stub> stubs = load_mapping_file(path, kMappings);
    ASSERT_EQ(stubs.size(), 1u);
    EXPECT_EQ(stubs[0].name, "versions");
    EXPECT_EQ(stubs[0].source, path);
    EXPECT_TRUE(stubs[0].from_files);
    EXPECT_TRUE(stubs[0].request.matches(entry("GET", "/_matrix/client/versions")));
}

TEST(MappingLoadFile, ReadsAListAndNamesEachSourceByIndex) {
    const std::string path = kMappings + "/02-rooms.json";
    const std::vector<Stub> stubs = load_mapping_file(path, kMappings);
    ASSERT_EQ(stubs.size(), 2u);
    EXPECT_EQ(stubs[0].id, "room-event");
    EXPECT_EQ(stubs[0].source, path + "#0");
    EXPECT_EQ(stubs[1].source, path + "#1");
    EXPECT_EQ(stubs[1].priority, 1);
    EXPECT_EQ(stubs[1].responses.at(0).body, "hello from a fixture\n");
    EXPECT_TRUE(stubs[0].from_files && stubs[1].from_files);
}

TEST(MappingLoadFile, NamesFileIndexAndKeyOfABadMapping) {
    const std::string path = kBad + "/third-mapping-bad.json";
    const MappingFileError e = file_error(path);
    EXPECT_EQ(e.file, path);
    EXPECT_EQ(e.index, 2u);
    EXPECT_EQ(e.key, "request.urlPath");
    EXPECT_EQ(std::string(e.what()), path + ": mapping #2: 'request.urlPath': must be a string");
}

TEST(MappingLoadFile, NamesTheKeyOfASingleMappingWithoutAnIndex) {
    const std::string path = kBad + "/unknown-key.json";
    const MappingFileError e = file_error(path);
    EXPECT_EQ(e.index, std::nullopt);
    EXPECT_EQ(e.key, "request.queryParamters");
    EXPECT_TRUE(std::string(e.what()).starts_with(path + ": 'request.queryParamters': "))
        << e.what();
}

TEST(MappingLoadFile, ReportsInvalidJsonWithItsOffset) {
    const MappingFileError e = file_error(kBad + "/not-json.json");
    EXPECT_EQ(e.index, std::nullopt);
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
}

TEST(MappingLoadFile, RefusesTheWrongTopLevelShape) {
    EXPECT_NE(std::string(file_error(kBad + "/top-level-array.json").what()).find("mappings"),
              std::string::npos);
    EXPECT_NE(std::string(file_error(kBad + "/no-request.json").what()).find("one mapping"),
              std::string::npos);
    EXPECT_EQ(file_error(kBad + "/mappings-not-array.json").key, "mappings");
    EXPECT_EQ(file_error(kBad + "/mappings-with-extra-key.json").key, "extra");
}

TEST(MappingLoadFile, RefusesARepeatedIdInOneFile) {
    const MappingFileError e = file_error(kBad + "/duplicate-id.json");
    EXPECT_EQ(e.index, 1u);
    EXPECT_EQ(e.key, "id");
}

TEST(MappingLoadFile, RefusesABodyFileOutsideTheFixturesFolder) {
    const MappingFileError e = file_error(kBad + "/escaping-body-file.json");
    EXPECT_EQ(e.index, 1u);
    EXPECT_EQ(e.key, "response.bodyFileName");
}

TEST(MappingLoadFile, ReportsAFileThatCannotBeRead) {
    const MappingFileError e = file_error(kBad + "/missing.json");
    EXPECT_EQ(e.file, kBad + "/missing.json");
    EXPECT_NE(std::string(e.what()).find("cannot be read"), std::string::npos);
}

TEST(MappingLoadDir, LoadsEveryJsonFileSortedByName) {
    const std::vector<Stub> stubs = load_mapping_dir(kMappings);
    ASSERT_EQ(stubs.size(), 3u);
    EXPECT_EQ(stubs[0].name, "versions");
    EXPECT_EQ(stubs[1].id, "room-event");
    EXPECT_EQ(stubs[2].name, "plain text hello");
    // bodyFileName is looked up in the folder the mappings were loaded from.
    EXPECT_NE(stubs[1].responses.at(0).body.find("m.room.message"), std::string::npos);
}

TEST(MappingLoadDir, LoadsTheProjectDefaultMappings) {
    const std::vector<Stub> stubs = load_mapping_dir(MATRIX_DEFAULT_MAPPINGS);
    EXPECT_GE(stubs.size(), 5u);
}

TEST(MappingLoadDir, RefusesAMissingFolderOrOneWithoutJsonFiles) {
    try {
        load_mapping_dir(kData + "/nope");
        FAIL() << "nothing thrown";
    } catch (const MappingFileError& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    try {
        load_mapping_dir(kData + "/no-json");
        FAIL() << "nothing thrown";
    } catch (const MappingFileError& e) {
        EXPECT_NE(std::string(e.what()).find("no *.json"), std::string::npos) << e.what();
    }
}

TEST(MappingLoadDir, StopsAtTheFirstBadFile) {
    EXPECT_THROW(load_mapping_dir(kBad), MappingFileError);
}

TEST(MappingLoadDir, RefusesAnIdGivenInTwoFiles) {
    const TempDir dir;
    dir.write("a.json", R"({"id": "x", "request": {}, "response": {}})");
    const std::string second =
        dir.write("b.json", R"({"mappings": [{"id": "y", "request": {}, "response": {}},
                                              {"id": "x", "request": {}, "response": {}}]})");
    try {
        load_mapping_dir(dir.path().string());
        FAIL() << "nothing thrown";
    } catch (const MappingFileError& e) {
        EXPECT_EQ(e.file, second);
        EXPECT_EQ(e.index, 1u);
        EXPECT_EQ(e.key, "id");
    }
}

TEST(MappingLoadDir, GivesNoIndexForASingleMappingFileEvenWithHashInItsPath) {
    const TempDir dir;
    dir.write("a#1/a.json", R"({"id": "x", "request": {}, "response": {}})");
    const std::string second =
        dir.write("a#1/b.json", R"({"id": "x", "request": {}, "response": {}})");
    try {
        load_mapping_dir((dir.path() / "a#1").string());
        FAIL() << "nothing thrown";
    } catch (const MappingFileError& e) {
        EXPECT_EQ(e.file, second);
        EXPECT_EQ(e.index, std::nullopt);
        EXPECT_EQ(e.key, "id");
    }
}

}  // namespace
}  // namespace matrix::mock
