// Unit tests of the builder-level runner: outcomes of single vectors, whole runs and report lines.
#include "matrix/conformance/runner.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace matrix::conformance {
namespace {

constexpr const char* kKickPath = "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick";

std::string kick_args(const std::string& room_id) {
    return R"({"base_url":"https://matrix.org","token":"token","room_id":")" + room_id +
           R"(","user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
}

ExpectedRequest kick_expected() {
    ExpectedRequest expected;
    expected.method = "POST";
    expected.path = kKickPath;
    expected.headers = {{"Authorization", "Bearer token"}};
    expected.body_kind = ExpectedBody::json;
    expected.body = R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    return expected;
}

// The format's own room_kick example.
Vector kick_vector() {
    Vector vector;
    vector.file = "kick.json";
    vector.id = "room_kick/with-reason";
    vector.endpoint = "room_kick";
    vector.args_json = kick_args("!someroom:matrix.org");
    vector.expect = kick_expected();
    return vector;
}

Vector refusal_vector(const std::string& room_id) {
    Vector vector = kick_vector();
    vector.id = "room_kick/refuse-empty-room-id";
    vector.args_json = kick_args(room_id);
    vector.expect.reset();
    vector.expect_error = ExpectedRefusal{"empty room_id", std::nullopt};
    return vector;
}

std::string describe(const VectorResult& result) {
    std::string text = result.detail + "\n";
    for (const Mismatch& m : result.mismatches) {
        text += m.field + ": expected " + m.expected + ", actual " + m.actual + "\n";
    }
    return text;
}

// --- one vector -------------------------------------------------------------------------------

TEST(CheckAtBuilderLevel, PassesACorrectVector) {
    const VectorResult result = check_at_builder_level(kick_vector());
    EXPECT_EQ(result.outcome, Outcome::passed) << describe(result);
    EXPECT_EQ(result.file, "kick.json");
    EXPECT_EQ(result.vector_id, "room_kick/with-reason");
    EXPECT_TRUE(result.mismatches.empty());
}

TEST(CheckAtBuilderLevel, FailsAVectorExpectingAnotherPathWithAPathMismatch) {
    Vector vector = kick_vector();
    vector.expect->path = "/_matrix/client/r0/rooms/!someroom:matrix.org/kick";
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u) << describe(result);
    EXPECT_EQ(result.mismatches[0].field, "path");
    EXPECT_EQ(result.mismatches[0].expected,
              "\"/_matrix/client/r0/rooms/!someroom:matrix.org/kick\"");
    EXPECT_EQ(result.mismatches[0].actual, "\"" + std::string(kKickPath) + "\"");
}

TEST(CheckAtBuilderLevel, PassesAnExpectErrorVectorThatTheBuilderRefusesAndKeepsTheReason) {
    const VectorResult result = check_at_builder_level(refusal_vector(""));
    EXPECT_EQ(result.outcome, Outcome::passed) << describe(result);
    EXPECT_TRUE(result.mismatches.empty());
    EXPECT_NE(result.detail.find("room_id"), std::string::npos) << result.detail;
}

TEST(CheckAtBuilderLevel, PassesARefusalOfTheArgumentTheVectorNames) {
    Vector vector = refusal_vector("");
    vector.expect_error->argument = "room_id";
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::passed) << describe(result);
    EXPECT_TRUE(result.mismatches.empty());
}

TEST(CheckAtBuilderLevel, FailsARefusalOfAnotherArgumentThanTheVectorNames) {
    Vector vector = refusal_vector("");
    vector.expect_error->argument = "user_id";
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u) << describe(result);
    EXPECT_EQ(result.mismatches[0].field, "expect_error.argument");
    EXPECT_EQ(result.mismatches[0].expected, "refusal of argument 'user_id'");
    EXPECT_EQ(result.mismatches[0].actual, "refusal of argument 'room_id'");
    // The report line says both and keeps the builder's own message.
    const std::vector<std::string> lines = failure_lines(RunReport{{result}});
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("expect_error.argument: expected refusal of argument 'user_id', "
                            "actual refusal of argument 'room_id'"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find("[argument 'room_id'"), std::string::npos) << lines[0];
}

TEST(CheckAtBuilderLevel, NamesTheExpectedArgumentWhenTheArgumentsBuild) {
    Vector vector = refusal_vector("!someroom:matrix.org");
    vector.expect_error->argument = "room_id";
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u) << describe(result);
    EXPECT_EQ(result.mismatches[0].expected, "refusal of argument 'room_id' (empty room_id)");
}

TEST(CheckAtBuilderLevel, ReportsTheQueryPerNameAtTheBuilderLevel) {
    Vector vector;
    vector.file = "sync.json";
    vector.id = "sync/query";
    vector.endpoint = "sync";
    vector.args_json =
        R"({"base_url":"https://matrix.org","token":"token","since":"s1","timeout":10})";
    ExpectedRequest expected;
    expected.method = "GET";
    expected.path = "/_matrix/client/r0/sync";
    expected.query = {{"since", "s2"}, {"full_state", "false"}};
    expected.headers = {{"Authorization", "Bearer token"}};
    vector.expect = expected;
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    std::vector<std::string> fields;
    for (const Mismatch& m : result.mismatches)
        fields.push_back(m.field + ": " + m.expected + " / " + m.actual);
    EXPECT_EQ(fields, (std::vector<std::string>{R"(query "since": "s2" / "s1")",
                                                R"(query "full_state": "false" / (absent))",
                                                R"(query "timeout": (absent) / "10")"}))
        << describe(result);
}

TEST(CheckAtBuilderLevel, FailsAnExpectErrorVectorWhoseArgumentsBuild) {
    const VectorResult result = check_at_builder_level(refusal_vector("!someroom:matrix.org"));
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u) << describe(result);
    EXPECT_EQ(result.mismatches[0].field, "expect_error");
    EXPECT_NE(result.mismatches[0].expected.find("empty room_id"), std::string::npos);
    EXPECT_EQ(result.mismatches[0].actual, "built POST \"" + std::string(kKickPath) + "\"");
}

TEST(CheckAtBuilderLevel, FailsAnExpectVectorWhoseArgumentsTheBuilderRefusesWithABuildMismatch) {
    Vector vector = kick_vector();
    vector.args_json = kick_args("");
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u) << describe(result);
    EXPECT_EQ(result.mismatches[0].field, "build");
    EXPECT_EQ(result.mismatches[0].actual.rfind("refused: ", 0), 0u) << result.mismatches[0].actual;
    EXPECT_NE(result.mismatches[0].actual.find("room_id"), std::string::npos);
}

TEST(CheckAtBuilderLevel, CallsArgumentsThatFitNoFormMalformedNotFailedOrPassed) {
    // The loader refuses these first; a Vector built by hand must still not pass.
    Vector vector = kick_vector();
    vector.args_json = R"({"base_url":"https://matrix.org","colour":"red"})";
    const VectorResult result = check_at_builder_level(vector);
    EXPECT_EQ(result.outcome, Outcome::malformed);
    EXPECT_NE(result.detail.find("colour"), std::string::npos) << result.detail;

    vector.endpoint = "no_such_endpoint";
    EXPECT_EQ(check_at_builder_level(vector).outcome, Outcome::malformed);
}

// --- whole runs over files --------------------------------------------------------------------

// A scratch directory of vector files, removed when the test ends.
class RunBuilderLevel : public testing::Test {
  protected:
    void SetUp() override {
        // Random, so that test processes run in parallel (or from two build trees) never share.
        const auto* info = testing::UnitTest::GetInstance()->current_test_info();
        directory_ =
            std::filesystem::temp_directory_path() / ("runner_test_" + std::string(info->name()) +
                                                      "_" + std::to_string(std::random_device()()));
        std::filesystem::create_directories(directory_);
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::string write(const std::string& name, const std::string& text) {
        const std::string path = (directory_ / name).string();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    std::filesystem::path directory_;
};

std::string vector_file(const std::vector<std::string>& vectors) {
    std::string text = R"({"format": "matrix-conformance-vectors/1", "vectors": [)";
    for (std::size_t i = 0; i < vectors.size(); ++i) text += (i ? ", " : "") + vectors[i];
    return text + "]}";
}

std::string whoami(const std::string& id, const std::string& path) {
    return R"({"id": ")" + id + R"(", "endpoint": "whoami",
               "args": {"base_url": "https://matrix.org", "token": "token"},
               "expect": {"method": "GET", "path": ")" +
           path + R"(", "query": [], "headers": {"Authorization": "Bearer token"}}})";
}

constexpr const char* kWhoamiPath = "/_matrix/client/r0/account/whoami";

TEST_F(RunBuilderLevel, CountsPassedAndFailedVectorsAcrossFiles) {
    const std::string first =
        write("first.json", vector_file({whoami("a", kWhoamiPath), whoami("b", "/wrong")}));
    const std::string second = write("second.json", vector_file({whoami("c", kWhoamiPath)}));
    const RunReport report = run_builder_level({first, second});
    EXPECT_EQ(report.passed(), 2u);
    EXPECT_EQ(report.failed(), 1u);
    ASSERT_EQ(report.results.size(), 3u);
    EXPECT_EQ(report.results[0].vector_id, "a");
    EXPECT_EQ(report.results[0].file, first);
    EXPECT_EQ(report.results[1].outcome, Outcome::failed);
    EXPECT_EQ(report.results[2].file, second);
    EXPECT_EQ(summary_line(report), "2 passed, 1 failed");
}

TEST_F(RunBuilderLevel, CountsMalformedVectorsAndFilesAsFailed) {
    const std::string mixed =
        write("mixed.json", vector_file({whoami("good", kWhoamiPath),
                                         R"({"id": "unknown", "endpoint": "whoareyou", "args": {},
                         "expect_error": "x"})"}));
    const std::string broken = write("broken.json", "{\"format\": ");
    const std::string empty = write("empty.json", vector_file({}));
    const RunReport report = run_builder_level({mixed, broken, empty});
    EXPECT_EQ(report.passed(), 1u);
    EXPECT_EQ(report.failed(), 3u);
    EXPECT_EQ(summary_line(report), "1 passed, 3 failed");
}

TEST_F(RunBuilderLevel, CountsAnUnreadableFileAsFailed) {
    const std::string missing = (directory_ / "missing.json").string();
    const RunReport report = run_builder_level({missing});
    EXPECT_EQ(report.passed(), 0u);
    EXPECT_EQ(report.failed(), 1u);
    EXPECT_EQ(summary_line(report), "0 passed, 1 failed");
    const auto lines = failure_lines(report);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "ERROR " + missing + ": cannot open the file for reading");
}

TEST_F(RunBuilderLevel, CountsAnUnreadableDirectoryGivenAsAFileAsFailed) {
    const RunReport report = run_builder_level({directory_.string()});
    EXPECT_EQ(report.passed(), 0u);
    EXPECT_EQ(report.failed(), 1u);
}

TEST_F(RunBuilderLevel, ReportsNothingAndZeroCountsForNoFiles) {
    const RunReport report = run_builder_level({});
    EXPECT_TRUE(report.results.empty());
    EXPECT_EQ(summary_line(report), "0 passed, 0 failed");
    EXPECT_TRUE(failure_lines(report).empty());
}

TEST_F(RunBuilderLevel, WritesOneFailLinePerMismatchAndOneErrorLinePerProblem) {
    const std::string file = write(
        "lines.json", vector_file({whoami("good", kWhoamiPath), whoami("wrong-path", "/whoami"),
                                   whoami("good", kWhoamiPath)}));
    const std::string broken = write("broken.json", "[]");
    const RunReport report = run_builder_level({file, broken});
    const std::vector<std::string> want = {
        "ERROR " + file + ": vector 'good': duplicate id 'good'",
        "FAIL wrong-path (" + file + ") path: expected \"/whoami\", actual \"" + kWhoamiPath + "\"",
        "ERROR " + broken + ": the top level must be an object, got array",
    };
    EXPECT_EQ(failure_lines(report), want);
    EXPECT_EQ(summary_line(report), "1 passed, 3 failed");
}

// --- report lines from a hand-made report -----------------------------------------------------

TEST(FailureLines, FormatsEachMismatchAsFailWithIdFileFieldExpectedAndActual) {
    RunReport report;
    report.results.push_back({"a.json", "v1", Outcome::passed, {}, {}});
    report.results.push_back({"a.json",
                              "v2",
                              Outcome::failed,
                              {{"method", "GET", "PUT"}, {"body", "(no body)", "\"{}\""}},
                              {}});
    report.results.push_back({"b.json", "v3", Outcome::malformed, {}, "unknown endpoint 'x'"});
    report.results.push_back({"c.json", "", Outcome::malformed, {}, "not valid JSON"});
    const std::vector<std::string> want = {
        "FAIL v2 (a.json) method: expected GET, actual PUT",
        "FAIL v2 (a.json) body: expected (no body), actual \"{}\"",
        "ERROR b.json: vector 'v3': unknown endpoint 'x'",
        "ERROR c.json: not valid JSON",
    };
    EXPECT_EQ(failure_lines(report), want);
    EXPECT_EQ(summary_line(report), "1 passed, 3 failed");
    EXPECT_EQ(report.passed(), 1u);
    EXPECT_EQ(report.failed(), 3u);
}

}  // namespace
}  // namespace matrix::conformance
