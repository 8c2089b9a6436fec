// Unit tests of the vector loader: valid files load, and every malformed file or vector is named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "matrix/conformance/vector.hpp"

namespace matrix::conformance {
namespace {

constexpr const char* kFile = "suite.json";

// A vector that loads; every malformed case sits beside it to show one bad vector does not
// hide the good ones.
constexpr const char* kValidVector = R"({
    "id": "ok",
    "endpoint": "room_kick",
    "args": {"base_url": "https://matrix.org", "token": "token",
             "room_id": "!someroom:matrix.org", "user_id": "@user:matrix.org"},
    "expect": {
        "method": "POST",
        "path": "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick",
        "query": [],
        "headers": {"Authorization": "Bearer token"},
        "body": {"user_id": "@user:matrix.org"}
    }
})";

constexpr const char* kKickArgs =
    R"({"base_url": "https://matrix.org", "token": "token",
        "room_id": "!someroom:matrix.org", "user_id": "@user:matrix.org"})";

std::string file_of(const std::vector<std::string>& vectors) {
    std::string text = R"({"format": "matrix-conformance-vectors/1", "vectors": [)";
    for (std::size_t i = 0; i < vectors.size(); ++i) text += (i ? ", " : "") + vectors[i];
    return text + "]}";
}

// A room_kick vector "bad" with the given "expect" object.
std::string with_expect(const std::string& expect) {
    return R"({"id": "bad", "endpoint": "room_kick", "args": )" + std::string(kKickArgs) +
           R"(, "expect": )" + expect + "}";
}

// A valid kick expectation with `members` (starting with a comma) added.
std::string kick_expect_plus(const std::string& members) {
    return R"({"method": "POST", "path": "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick",
               "query": [], "headers": {"Authorization": "Bearer token"})" +
           members + "}";
}

// A vector "bad" of `endpoint` with `args` and a (never reached) plain expectation.
std::string with_args(const std::string& endpoint, const std::string& args) {
    return R"({"id": "bad", "endpoint": ")" + endpoint + R"(", "args": )" + args +
           R"(, "expect": {"method": "GET", "path": "/", "query": [], "headers": {}}})";
}

std::string describe(const VectorFile& file) {
    std::string text;
    for (const VectorProblem& p : file.problems) {
        text += p.file + ": vector '" + p.vector_id + "': " + p.reason + "\n";
    }
    return text;
}

// Loads `bad` beside a valid vector and checks it yields exactly one problem naming the file,
// `vector_id` and a reason containing `reason_part`, while the valid vector still loads.
void expect_vector_problem(const std::string& bad, const std::string& vector_id,
                           const std::string& reason_part) {
    const VectorFile file = parse_vector_file(kFile, file_of({kValidVector, bad}));
    ASSERT_EQ(file.problems.size(), 1u) << describe(file);
    EXPECT_EQ(file.problems[0].file, kFile);
    EXPECT_EQ(file.problems[0].vector_id, vector_id);
    EXPECT_NE(file.problems[0].reason.find(reason_part), std::string::npos)
        << "reason: " << file.problems[0].reason << "\nwanted: " << reason_part;
    ASSERT_EQ(file.vectors.size(), 1u);
    EXPECT_EQ(file.vectors[0].id, "ok");
}

// The text is not a vector file at all: one file-level problem, no vectors.
void expect_file_problem(const std::string& text, const std::string& reason_part) {
    const VectorFile file = parse_vector_file(kFile, text);
    ASSERT_EQ(file.problems.size(), 1u) << describe(file);
    EXPECT_EQ(file.problems[0].file, kFile);
    EXPECT_EQ(file.problems[0].vector_id, "");
    EXPECT_NE(file.problems[0].reason.find(reason_part), std::string::npos)
        << "reason: " << file.problems[0].reason << "\nwanted: " << reason_part;
    EXPECT_TRUE(file.vectors.empty());
}

// --- valid files ------------------------------------------------------------------------------

TEST(VectorLoader, LoadsAMinimalValidFileWithEveryField) {
    const VectorFile file = parse_vector_file(kFile, file_of({kValidVector}));
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    EXPECT_EQ(file.path, kFile);
    ASSERT_EQ(file.vectors.size(), 1u);
    const Vector& vector = file.vectors[0];
    EXPECT_EQ(vector.file, kFile);
    EXPECT_EQ(vector.index, 0u);
    EXPECT_EQ(vector.id, "ok");
    EXPECT_EQ(vector.endpoint, "room_kick");
    EXPECT_EQ(vector.args_json,
              R"({"base_url":"https://matrix.org","token":"token",)"
              R"("room_id":"!someroom:matrix.org","user_id":"@user:matrix.org"})");
    EXPECT_FALSE(vector.expect_error);
    ASSERT_TRUE(vector.expect);
    EXPECT_EQ(vector.expect->method, "POST");
    EXPECT_EQ(vector.expect->path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick");
    EXPECT_TRUE(vector.expect->query.empty());
    ASSERT_EQ(vector.expect->headers.size(), 1u);
    EXPECT_EQ(vector.expect->headers[0], (Header{"Authorization", "Bearer token"}));
    EXPECT_EQ(vector.expect->body_kind, ExpectedBody::json);
    EXPECT_EQ(vector.expect->body, R"({"user_id":"@user:matrix.org"})");
}

TEST(VectorLoader, LoadsAnExpectErrorVector) {
    const VectorFile file = parse_vector_file(kFile, file_of({R"({
        "id": "refuse", "endpoint": "room_kick",
        "args": {"base_url": "https://matrix.org", "token": "token", "room_id": "",
                 "user_id": "@user:matrix.org"},
        "expect_error": "empty room_id"})"}));
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 1u);
    EXPECT_FALSE(file.vectors[0].expect);
    ASSERT_TRUE(file.vectors[0].expect_error);
    EXPECT_EQ(file.vectors[0].expect_error->reason, "empty room_id");
    EXPECT_FALSE(file.vectors[0].expect_error->argument);
}

TEST(VectorLoader, LoadsAnExpectErrorNamingItsArgument) {
    const VectorFile file = parse_vector_file(kFile, file_of({R"({
        "id": "refuse", "endpoint": "room_kick",
        "args": {"base_url": "https://matrix.org", "token": "token", "room_id": "",
                 "user_id": "@user:matrix.org"},
        "expect_error": {"kind": "invalid_argument", "argument": "room_id",
                         "reason": "empty room_id"}})",
                                                              R"({
        "id": "refuse-any", "endpoint": "room_kick",
        "args": {"base_url": "https://matrix.org", "token": "token", "room_id": "",
                 "user_id": "@user:matrix.org"},
        "expect_error": {"kind": "invalid_argument"}})"}));
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 2u);
    ASSERT_TRUE(file.vectors[0].expect_error);
    EXPECT_EQ(file.vectors[0].expect_error->argument, "room_id");
    EXPECT_EQ(file.vectors[0].expect_error->reason, "empty room_id");
    ASSERT_TRUE(file.vectors[1].expect_error);
    EXPECT_FALSE(file.vectors[1].expect_error->argument);
    EXPECT_EQ(file.vectors[1].expect_error->reason, "");
}

TEST(VectorLoader, LoadsARawBodyAndNoBody) {
    const VectorFile file = parse_vector_file(
        kFile, file_of({with_expect(kick_expect_plus(R"(, "body_raw": "a\u0000b")")),
                        R"({"id": "none", "endpoint": "whoami",
                            "args": {"base_url": "https://matrix.org", "token": "token"},
                            "expect": {"method": "GET", "path": "/_matrix/client/r0/account/whoami",
                                       "query": [], "headers": {"Authorization": "Bearer token"}}})"}));
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 2u);
    EXPECT_EQ(file.vectors[0].expect->body_kind, ExpectedBody::raw);
    EXPECT_EQ(file.vectors[0].expect->body, std::string("a\0b", 3));
    EXPECT_EQ(file.vectors[1].expect->body_kind, ExpectedBody::none);
    EXPECT_EQ(file.vectors[1].index, 1u);
}

TEST(VectorLoader, AcceptsInformationalKeysBesideTheFormatsFields) {
    // Suites written elsewhere annotate vectors; the format only fixes the fields it names.
    const VectorFile file = parse_vector_file(
        kFile, R"json({"format": "matrix-conformance-vectors/1", "generator": "elsewhere",
                   "vectors": [{"id": "annotated", "source": "seed: room_kick(...)",
                                "description": "kick without a reason", "tags": ["kick"],
                                "endpoint": "whoami",
                                "args": {"base_url": "https://matrix.org", "token": "token"},
                                "expect": {"method": "GET",
                                           "path": "/_matrix/client/r0/account/whoami",
                                           "query": [],
                                           "headers": {"Authorization": "Bearer token"}}}]})json");
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    EXPECT_EQ(file.vectors.size(), 1u);
}

TEST(VectorLoader, AcceptsQueryValuesGivenAsNumbersAndBooleansAsDecimalAndTrueFalse) {
    const std::string vector = R"({"id": "q", "endpoint": "room_kick", "args": )" +
                               std::string(kKickArgs) + R"(, "expect": {"method": "POST",
        "path": "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick",
        "query": [["limit", 10], ["offset", -5], ["big", 18446744073709551615],
                  ["full_state", true], ["allow_remote", false], ["s", "x"]],
        "headers": {}}})";
    const VectorFile file = parse_vector_file(kFile, file_of({vector}));
    ASSERT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 1u);
    const std::vector<QueryParam> want = {
        {"limit", "10"},        {"offset", "-5"},          {"big", "18446744073709551615"},
        {"full_state", "true"}, {"allow_remote", "false"}, {"s", "x"}};
    EXPECT_EQ(file.vectors[0].expect->query, want);
}

// Expected bodies and arguments keep their numbers as written: the comparison is by exact value,
// so a loader that rounded 12345678901234567890123 to a double would fail a correct builder.
TEST(VectorLoader, KeepsNumbersInArgumentsAndExpectedBodiesAsWritten) {
    const std::string content =
        R"({"n":12345678901234567890123,"x":0.30000000000000004,"y":1e-7,"z":-0,"w":1.0})";
    const std::string vector =
        R"({"id": "n", "endpoint": "send_room_event", "args": {"base_url": "https://matrix.org",
            "token": "t", "room_event": {"room_id": "!r:x", "type": "m.t", "transaction_id": "1",
            "content": )" +
        content + R"(}}, "expect": {"method": "PUT",
            "path": "/_matrix/client/r0/rooms/%21r%3Ax/send/m.t/1", "query": [], "headers": {},
            "body": )" +
        content + "}}";
    const VectorFile file = parse_vector_file(kFile, file_of({vector}));
    ASSERT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 1u);
    EXPECT_NE(file.vectors[0].args_json.find(content), std::string::npos)
        << file.vectors[0].args_json;
    EXPECT_EQ(file.vectors[0].expect->body, content);
}

TEST(VectorLoader, RefusesAFractionAsAQueryValue) {
    const std::string vector = R"({"id": "q", "endpoint": "room_kick", "args": )" +
                               std::string(kKickArgs) + R"(, "expect": {"method": "POST",
        "path": "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick",
        "query": [["limit", 1.5]], "headers": {}}})";
    const VectorFile file = parse_vector_file(kFile, file_of({vector}));
    ASSERT_EQ(file.problems.size(), 1u);
    EXPECT_NE(file.problems[0].reason.find("must be a string, integer or boolean, got number"),
              std::string::npos)
        << file.problems[0].reason;
}

TEST(VectorLoaderFile, ReportsANumberTooLargeForADouble) {
    const VectorFile file = parse_vector_file(
        kFile, R"({"format": "matrix-conformance-vectors/1", "vectors": [], "x": 1.8e308})");
    ASSERT_FALSE(file.problems.empty());
    EXPECT_NE(file.problems[0].reason.find("too large"), std::string::npos)
        << file.problems[0].reason;
}

TEST(VectorLoader, LoadsAFileFromDisk) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("vector_loader_test_" + std::to_string(std::random_device()()) + ".json");
    {
        std::ofstream out(path, std::ios::binary);
        out << file_of({kValidVector});
    }
    const VectorFile file = load_vector_file(path.string());
    std::filesystem::remove(path);
    EXPECT_TRUE(file.problems.empty()) << describe(file);
    ASSERT_EQ(file.vectors.size(), 1u);
    EXPECT_EQ(file.vectors[0].file, path.string());
}

// --- malformed files --------------------------------------------------------------------------

TEST(VectorLoaderFile, ReportsAMissingFileAsAProblemNamingThePath) {
    const std::string path = "/nonexistent/directory/vectors.json";
    const VectorFile file = load_vector_file(path);
    ASSERT_EQ(file.problems.size(), 1u);
    EXPECT_EQ(file.problems[0].file, path);
    EXPECT_EQ(file.problems[0].vector_id, "");
    EXPECT_NE(file.problems[0].reason.find("cannot open"), std::string::npos);
    EXPECT_TRUE(file.vectors.empty());
}

TEST(VectorLoaderFile, ReportsTextThatIsNotJson) {
    expect_file_problem("not json", "not valid JSON");
    expect_file_problem("", "not valid JSON");
    expect_file_problem(file_of({kValidVector}) + "}", "not valid JSON");
    expect_file_problem(R"({"format": "matrix-conformance-vectors/1", "vectors": [)",
                        "not valid JSON");
}

TEST(VectorLoaderFile, ReportsInvalidUtf8AsNotJson) {
    expect_file_problem("{\"format\": \"\xC3\x28\", \"vectors\": []}", "not valid JSON");
}

TEST(VectorLoaderFile, ReportsATopLevelThatIsNotAnObject) {
    expect_file_problem("[" + std::string(kValidVector) + "]", "top level must be an object");
    expect_file_problem("\"matrix-conformance-vectors/1\"", "top level must be an object");
}

TEST(VectorLoaderFile, ReportsAMissingFormat) {
    expect_file_problem(R"({"vectors": [)" + std::string(kValidVector) + "]}",
                        "missing field 'format'");
}

TEST(VectorLoaderFile, ReportsAnotherFormatOrVersion) {
    expect_file_problem(R"({"format": "matrix-conformance-vectors/2", "vectors": []})",
                        "matrix-conformance-vectors/2");
    expect_file_problem(R"({"format": 1, "vectors": []})", "field 'format'");
    expect_file_problem(R"({"format": "", "vectors": []})", "field 'format'");
}

TEST(VectorLoaderFile, ReportsMissingVectors) {
    expect_file_problem(R"({"format": "matrix-conformance-vectors/1"})", "'vectors'");
}

TEST(VectorLoaderFile, ReportsVectorsThatAreNotAnArray) {
    expect_file_problem(R"({"format": "matrix-conformance-vectors/1", "vectors": {}})",
                        "'vectors' must be an array");
    expect_file_problem(R"({"format": "matrix-conformance-vectors/1", "vectors": )" +
                            std::string(kValidVector) + "}",
                        "'vectors' must be an array");
}

TEST(VectorLoaderFile, ReportsAnEmptyVectorsArrayRatherThanPassingVacuously) {
    expect_file_problem(file_of({}), "no vectors");
}

TEST(VectorLoaderFile, ReportsDeepNestingAsAProblemInsteadOfCrashing) {
    expect_file_problem(std::string(100000, '['), "not valid JSON");
}

TEST(VectorLoaderFile, SurvivesDeeplyNestedButWellFormedValues) {
    // Well-formed nesting deep enough to overflow a recursive walk, in a body and in args.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const VectorFile file = parse_vector_file(
        kFile, file_of({kValidVector, with_expect(kick_expect_plus(", \"body\": " + deep)),
                        R"({"id": "deep-args", "endpoint": "room_kick",
                            "args": {"base_url": "https://matrix.org", "token": "token",
                                     "room_id": "!r:m.org", "user_id": "@u:m.org",
                                     "reason": )" +
                            deep + "}, \"expect_error\": \"deep\"}"}));
    ASSERT_EQ(file.problems.size(), 2u) << describe(file);
    EXPECT_EQ(file.problems[0].vector_id, "bad");
    EXPECT_EQ(file.problems[1].vector_id, "deep-args");
    EXPECT_NE(file.problems[0].reason.find("nested"), std::string::npos) << file.problems[0].reason;
    ASSERT_EQ(file.vectors.size(), 1u);
}

TEST(VectorLoaderFile, ReportsADeeplyNestedFormatWithoutShowingIt) {
    expect_file_problem(R"({"format": )" + std::string(100000, '[') + std::string(100000, ']') +
                            R"(, "vectors": []})",
                        "field 'format' must be the string");
}

TEST(VectorLoaderFile, ReportsVectorsGivenTwiceRatherThanRunningOnlyTheFirst) {
    expect_file_problem(R"({"format": "matrix-conformance-vectors/1", "vectors": [)" +
                            std::string(kValidVector) + R"(], "vectors": []})",
                        "field 'vectors' is given twice");
}

// --- malformed vectors ------------------------------------------------------------------------

TEST(VectorLoaderVector, ReportsAVectorThatIsNotAnObjectByPosition) {
    expect_vector_problem("42", "#1", "must be an object, got number");
    expect_vector_problem("[]", "#1", "must be an object, got array");
}

TEST(VectorLoaderVector, ReportsAMissingId) {
    expect_vector_problem(R"({"endpoint": "whoami", "args": {}, "expect_error": "x"})", "#1",
                          "missing field 'id'");
}

TEST(VectorLoaderVector, ReportsAnEmptyId) {
    expect_vector_problem(R"({"id": "", "endpoint": "whoami", "args": {}, "expect_error": "x"})",
                          "#1", "'id' must not be empty");
}

TEST(VectorLoaderVector, ReportsAnIdThatIsNotAString) {
    expect_vector_problem(R"({"id": 7, "endpoint": "whoami", "args": {}, "expect_error": "x"})",
                          "#1", "field 'id' must be a string, got number");
}

TEST(VectorLoaderVector, ReportsAMissingEndpoint) {
    expect_vector_problem(R"({"id": "bad", "args": {}, "expect_error": "x"})", "bad",
                          "missing field 'endpoint'");
}

TEST(VectorLoaderVector, ReportsAnEndpointThatIsNotAString) {
    expect_vector_problem(R"({"id": "bad", "endpoint": ["whoami"], "args": {},
                              "expect_error": "x"})",
                          "bad", "field 'endpoint' must be a string, got array");
}

TEST(VectorLoaderVector, ReportsMissingArgs) {
    expect_vector_problem(R"({"id": "bad", "endpoint": "whoami", "expect_error": "x"})", "bad",
                          "missing field 'args'");
}

TEST(VectorLoaderVector, ReportsArgsThatAreNotAnObject) {
    expect_vector_problem(
        R"({"id": "bad", "endpoint": "whoami", "args": ["https://matrix.org", "token"],
            "expect_error": "x"})",
        "bad", "field 'args' must be an object, got array");
}

TEST(VectorLoaderVector, ReportsAnUnknownEndpointByName) {
    expect_vector_problem(with_args("room_kik", kKickArgs), "bad", "room_kik");
}

TEST(VectorLoaderVector, ReportsAnUnknownArgument) {
    expect_vector_problem(
        with_args("whoami", R"({"base_url": "https://matrix.org", "token": "t", "colour": "red"})"),
        "bad", "unknown argument 'colour'");
}

TEST(VectorLoaderVector, ReportsAnArgumentOfTheWrongType) {
    expect_vector_problem(with_args("room_kick", R"({"base_url": "https://matrix.org", "token": "t",
                                   "room_id": 12, "user_id": "@u:m.org"})"),
                          "bad", "'room_id'");
    expect_vector_problem(
        with_args("sync", R"({"base_url": "https://matrix.org", "token": "t", "timeout": "10"})"),
        "bad", "'timeout'");
}

TEST(VectorLoaderVector, ReportsAMissingRequiredArgument) {
    expect_vector_problem(with_args("room_kick", R"({"base_url": "https://matrix.org", "token": "t",
                                   "room_id": "!r:m.org"})"),
                          "bad", "missing required argument 'user_id'");
}

TEST(VectorLoaderVector, ReportsBothExpectAndExpectError) {
    expect_vector_problem(R"({"id": "bad", "endpoint": "room_kick", "args": )" +
                              std::string(kKickArgs) + R"(, "expect": )" + kick_expect_plus("") +
                              R"(, "expect_error": "x"})",
                          "bad", "exclude each other");
}

TEST(VectorLoaderVector, ReportsNeitherExpectNorExpectError) {
    expect_vector_problem(
        R"({"id": "bad", "endpoint": "room_kick", "args": )" + std::string(kKickArgs) + "}", "bad",
        "missing field 'expect'");
}

TEST(VectorLoaderVector, ReportsAnExpectErrorThatIsNotAString) {
    expect_vector_problem(R"({"id": "bad", "endpoint": "room_kick", "args": )" +
                              std::string(kKickArgs) + R"(, "expect_error": true})",
                          "bad", "field 'expect_error' must be a string or an object, got boolean");
}

// An "expect_error" object whose members are `members`.
std::string refusal_with(const std::string& members) {
    return R"({"id": "bad", "endpoint": "room_kick", "args": )" + std::string(kKickArgs) +
           R"(, "expect_error": {)" + members + "}}";
}

TEST(VectorLoaderVector, ReportsAnExpectErrorArgumentThatIsNotAString) {
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "argument": 7)"), "bad",
                          "field 'expect_error.argument' must be a string, got number");
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "argument": ["room_id"])"),
                          "bad", "field 'expect_error.argument' must be a string, got array");
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "argument": null)"), "bad",
                          "field 'expect_error.argument' must be a string, got null");
}

TEST(VectorLoaderVector, ReportsAnEmptyExpectErrorArgument) {
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "argument": "")"), "bad",
                          "field 'expect_error.argument' must not be empty");
}

TEST(VectorLoaderVector, ReportsAnExpectErrorObjectWithoutAKnownKind) {
    expect_vector_problem(refusal_with(R"("argument": "room_id")"), "bad",
                          "missing field 'expect_error.kind'");
    expect_vector_problem(refusal_with(R"("kind": "schema", "argument": "room_id")"), "bad",
                          "field 'expect_error.kind' is \"schema\", expected \"invalid_argument\"");
}

TEST(VectorLoaderVector, ReportsAMisspeltOrRepeatedExpectErrorField) {
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "argumnet": "room_id")"),
                          "bad",
                          "unknown field 'expect_error.argumnet' (fields: kind, argument, reason)");
    expect_vector_problem(
        refusal_with(R"("kind": "invalid_argument", "argument": "a", "argument": "b")"), "bad",
        "field 'expect_error.argument' is given twice");
    expect_vector_problem(refusal_with(R"("kind": "invalid_argument", "reason": false)"), "bad",
                          "field 'expect_error.reason' must be a string, got boolean");
}

TEST(VectorLoaderVector, ReportsAnExpectThatIsNotAnObject) {
    expect_vector_problem(with_expect("[]"), "bad", "field 'expect' must be an object, got array");
}

TEST(VectorLoaderVector, ReportsAnUnknownKeyInsideExpectSoATypoIsNotASkippedCheck) {
    expect_vector_problem(with_expect(R"({"method": "POST",
        "path": "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick", "query": [],
        "headers": {}, "heders": {"Authorization": "Bearer token"}})"),
                          "bad", "unknown field 'expect.heders'");
}

TEST(VectorLoaderVector, ReportsEachMissingFieldOfExpect) {
    expect_vector_problem(with_expect(R"({"path": "/a", "query": [], "headers": {}})"), "bad",
                          "missing field 'expect.method'");
    expect_vector_problem(with_expect(R"({"method": "GET", "query": [], "headers": {}})"), "bad",
                          "missing field 'expect.path'");
    expect_vector_problem(with_expect(R"({"method": "GET", "path": "/a", "headers": {}})"), "bad",
                          "missing field 'expect.query'");
    expect_vector_problem(with_expect(R"({"method": "GET", "path": "/a", "query": []})"), "bad",
                          "missing field 'expect.headers'");
}

TEST(VectorLoaderVector, ReportsAMethodThatIsNotAString) {
    expect_vector_problem(with_expect(R"({"method": 1, "path": "/a", "query": [], "headers": {}})"),
                          "bad", "field 'expect.method' must be a string, got number");
}

TEST(VectorLoaderVector, ReportsALowerCaseMethod) {
    expect_vector_problem(
        with_expect(R"({"method": "post", "path": "/a", "query": [], "headers": {}})"), "bad",
        "upper-case");
    expect_vector_problem(
        with_expect(R"({"method": "", "path": "/a", "query": [], "headers": {}})"), "bad",
        "'expect.method'");
}

TEST(VectorLoaderVector, ReportsAPathWithoutALeadingSlash) {
    expect_vector_problem(
        with_expect(R"({"method": "POST", "path": "_matrix/client/r0/rooms/x/kick", "query": [],
                        "headers": {}})"),
        "bad", "'expect.path' must start with '/'");
    expect_vector_problem(
        with_expect(R"({"method": "POST", "path": "", "query": [], "headers": {}})"), "bad",
        "'expect.path'");
}

TEST(VectorLoaderVector, ReportsAPathHoldingAQuery) {
    expect_vector_problem(
        with_expect(R"({"method": "POST", "path": "/_matrix/client/r0/sync?since=s1",
                        "query": [], "headers": {}})"),
        "bad", "hold no query");
}

TEST(VectorLoaderVector, ReportsAQueryThatIsNotAnArray) {
    expect_vector_problem(
        with_expect(R"({"method": "GET", "path": "/a", "query": {"since": "s1"}, "headers": {}})"),
        "bad", "field 'expect.query' must be an array");
}

TEST(VectorLoaderVector, ReportsAQueryPairOfThreeElements) {
    expect_vector_problem(with_expect(R"({"method": "GET", "path": "/a", "query": [["a", "1", "2"]],
                        "headers": {}})"),
                          "bad", "'expect.query[0]' must be a [name, value] pair");
}

TEST(VectorLoaderVector, ReportsAQueryPairThatIsNotAPair) {
    expect_vector_problem(
        with_expect(R"({"method": "GET", "path": "/a", "query": [["a", "1"], "b=2"],
                        "headers": {}})"),
        "bad", "'expect.query[1]'");
    expect_vector_problem(
        with_expect(R"({"method": "GET", "path": "/a", "query": [[1, "1"]], "headers": {}})"),
        "bad", "string name");
}

TEST(VectorLoaderVector, ReportsAQueryValueThatIsAnObject) {
    expect_vector_problem(
        with_expect(R"({"method": "GET", "path": "/a", "query": [["filter", {"limit": 1}]],
                        "headers": {}})"),
        "bad", "'expect.query[0]' value must be a string, integer or boolean, got object");
    expect_vector_problem(
        with_expect(R"({"method": "GET", "path": "/a", "query": [["a", null]], "headers": {}})"),
        "bad", "got null");
}

TEST(VectorLoaderVector, ReportsHeadersThatAreNotAnObject) {
    expect_vector_problem(with_expect(R"({"method": "GET", "path": "/a", "query": [],
                        "headers": [["Authorization", "Bearer token"]]})"),
                          "bad", "field 'expect.headers' must be an object, got array");
}

TEST(VectorLoaderVector, ReportsAHeaderValueThatIsANumber) {
    expect_vector_problem(with_expect(R"({"method": "GET", "path": "/a", "query": [],
                        "headers": {"Content-Length": 12}})"),
                          "bad",
                          "field 'expect.headers.Content-Length' must be a string, got number");
}

TEST(VectorLoaderVector, ReportsARawBodyThatIsNotAString) {
    expect_vector_problem(with_expect(kick_expect_plus(R"(, "body_raw": 12)")), "bad",
                          "field 'expect.body_raw' must be a string, got number");
}

TEST(VectorLoaderVector, ReportsBothBodyAndRawBody) {
    expect_vector_problem(with_expect(kick_expect_plus(R"(, "body": {}, "body_raw": "{}")")), "bad",
                          "exclude each other");
}

TEST(VectorLoaderVector, ReportsAFieldOfTheFormatGivenTwice) {
    // Only the first of two equal keys would be read: the second expectation never checked.
    expect_vector_problem(R"({"id": "bad", "endpoint": "room_kick", "args": )" +
                              std::string(kKickArgs) + R"(, "expect": )" + kick_expect_plus("") +
                              R"(, "expect": )" + kick_expect_plus(R"(, "body": {"x": 1})") + "}",
                          "bad", "field 'expect' is given twice");
    expect_vector_problem(with_expect(kick_expect_plus(R"(, "query": [["a", "1"]])")), "bad",
                          "field 'expect.query' is given twice");
}

TEST(VectorLoaderVector, AcceptsAnInformationalKeyGivenTwice) {
    const VectorFile file = parse_vector_file(
        kFile, file_of({R"({"id": "notes", "note": "one", "note": "two", "endpoint": "whoami",
                            "args": {"base_url": "https://matrix.org", "token": "token"},
                            "expect_error": "x"})"}));
    EXPECT_TRUE(file.problems.empty()) << describe(file);
}

TEST(VectorLoaderVector, ReportsADuplicateIdAndKeepsTheFirst) {
    const VectorFile file = parse_vector_file(kFile, file_of({kValidVector, kValidVector}));
    ASSERT_EQ(file.problems.size(), 1u) << describe(file);
    EXPECT_EQ(file.problems[0].file, kFile);
    EXPECT_EQ(file.problems[0].vector_id, "ok");
    EXPECT_NE(file.problems[0].reason.find("duplicate id 'ok'"), std::string::npos);
    ASSERT_EQ(file.vectors.size(), 1u);
    EXPECT_EQ(file.vectors[0].index, 0u);
}

TEST(VectorLoaderVector, ReportsEveryBadVectorOfAFileAndKeepsEveryGoodOne) {
    const std::string good2 = R"({"id": "ok2", "endpoint": "whoami",
        "args": {"base_url": "https://matrix.org", "token": "token"},
        "expect_error": "not really, but the loader does not build"})";
    const VectorFile file =
        parse_vector_file(kFile, file_of({"null", kValidVector, with_args("nope", "{}"), good2,
                                          with_expect(R"({"method": "get", "path": "/", "query": [],
                                        "headers": {}})")}));
    ASSERT_EQ(file.problems.size(), 3u) << describe(file);
    EXPECT_EQ(file.problems[0].vector_id, "#0");
    EXPECT_EQ(file.problems[1].vector_id, "bad");
    EXPECT_EQ(file.problems[2].vector_id, "bad");
    ASSERT_EQ(file.vectors.size(), 2u);
    EXPECT_EQ(file.vectors[0].id, "ok");
    EXPECT_EQ(file.vectors[0].index, 1u);
    EXPECT_EQ(file.vectors[1].id, "ok2");
    EXPECT_EQ(file.vectors[1].index, 3u);
}

}  // namespace
}  // namespace matrix::conformance
