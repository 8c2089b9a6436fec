// The conformance report's JSON: every key, in the documented order, and texts kept valid.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "matrix/mock/conformance_report.hpp"
#include "report_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::report_entry;
using testing_support::violation;

std::vector<std::string> keys_of(const rapidjson::Value& object) {
    std::vector<std::string> keys;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it)
        keys.emplace_back(it->name.GetString(), it->name.GetStringLength());
    return keys;
}

ConformanceReport sample() {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/v3/sync", "sync"));
    report.add(report_entry(2, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                            {violation("body.preset", "enum", "preset is \"privat\"")}, false));
    report.add(report_entry(3, "GET", "/nowhere", nullptr));
    return report;
}

TEST(ConformanceReportJson, HasEveryKeyInTheDocumentedOrder) {
    const std::string json = to_json(sample());
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    ASSERT_FALSE(document.HasParseError()) << json;

    EXPECT_EQ(keys_of(document), (std::vector<std::string>{"format", "totals", "operations",
                                                           "unidentified", "never_exercised"}));
    EXPECT_STREQ(document["format"].GetString(), "matrix-spec-conformance-report/1");
    EXPECT_EQ(keys_of(document["totals"]),
              (std::vector<std::string>{"requests", "identified", "conformant", "violating",
                                        "unidentified", "non_canonical_paths", "operations_total",
                                        "operations_exercised", "operations_conformant",
                                        "operations_never_exercised"}));
    EXPECT_EQ(document["totals"]["requests"].GetUint64(), 3u);
    EXPECT_EQ(document["totals"]["violating"].GetUint64(), 1u);
    EXPECT_EQ(document["totals"]["non_canonical_paths"].GetUint64(), 1u);

    const auto& operations = document["operations"];
    ASSERT_EQ(operations.Size(), 2u);
    EXPECT_EQ(
        keys_of(operations[0]),
        (std::vector<std::string>{"operation", "method", "path_template", "seen", "conformant",
                                  "violating", "non_canonical_paths", "violations"}));
    EXPECT_STREQ(operations[0]["operation"].GetString(), "createRoom");
    EXPECT_STREQ(operations[0]["method"].GetString(), "POST");
    EXPECT_STREQ(operations[0]["path_template"].GetString(),
                 "/_matrix/client/{path_version}/createRoom");
    const auto& group = operations[0]["violations"][0];
    EXPECT_EQ(keys_of(group),
              (std::vector<std::string>{"rule", "where", "requests", "message", "example_ids"}));
    EXPECT_STREQ(group["message"].GetString(), "preset is \"privat\"");
    EXPECT_EQ(group["example_ids"][0].GetUint64(), 2u);
    EXPECT_EQ(operations[1]["violations"].Size(), 0u);

    EXPECT_EQ(keys_of(document["unidentified"]),
              (std::vector<std::string>{"count", "example_ids", "examples"}));
    EXPECT_EQ(keys_of(document["unidentified"]["examples"][0]),
              (std::vector<std::string>{"method", "path", "count"}));
    EXPECT_STREQ(document["unidentified"]["examples"][0]["path"].GetString(), "/nowhere");

    EXPECT_EQ(document["never_exercised"].Size(), spec_operations().size() - 2);
    EXPECT_TRUE(document["never_exercised"][0].IsString());
}

TEST(ConformanceReportJson, AnUndeclaredOperationHasANullPathTemplate) {
    ConformanceReport report;
    ReportObservation observation;
    observation.entry_id = 1;
    observation.operation_id = "notInTheSpec";
    observation.method = "GET";
    observation.path = "/x";
    report.add(observation);
    const std::string json = to_json(report);
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    ASSERT_FALSE(document.HasParseError()) << json;
    EXPECT_TRUE(document["operations"][0]["path_template"].IsNull());
}

TEST(ConformanceReportJson, ReplacesMalformedUtf8SoTheDocumentStaysValid) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/caf\xE9", nullptr));
    report.add(report_entry(2, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                            {violation("body.na\xFFme", "type", "bad \xC3")}));
    const std::string json = to_json(report);
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    ASSERT_FALSE(document.HasParseError()) << json;
    EXPECT_STREQ(document["unidentified"]["examples"][0]["path"].GetString(), "/caf\xEF\xBF\xBD");
    EXPECT_STREQ(document["operations"][0]["violations"][0]["where"].GetString(),
                 "body.na\xEF\xBF\xBDme");
}

TEST(ConformanceReportJson, AnEmptyReportStillNamesEveryOperationAsNeverExercised) {
    const std::string json = to_json(ConformanceReport());
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    ASSERT_FALSE(document.HasParseError()) << json;
    EXPECT_EQ(document["totals"]["requests"].GetUint64(), 0u);
    EXPECT_EQ(document["operations"].Size(), 0u);
    EXPECT_EQ(document["never_exercised"].Size(), spec_operations().size());
}

}  // namespace
}  // namespace matrix::mock
