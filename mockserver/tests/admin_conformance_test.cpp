// GET /__admin/conformance over HTTP: the report over the journal in each format. Only counts
// that do not depend on the spec validator's findings are checked here; the report's counting of
// violations is tested on entries built by hand (conformance_report_test.cpp).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::RawResponse;
using testing::send_raw;

class AdminConformance : public ::testing::Test {
  protected:
    RawResponse get(std::string_view target) {
        return send_raw(hs.port(), http_request("GET", target));
    }
    MockHomeserver hs;
};

TEST_F(AdminConformance, ReportsTheJournalsRequestsByOperationAsJson) {
    get("/_matrix/client/v3/sync?timeout=0");
    get("/_matrix/client/r0/sync");
    get("/not/matrix");

    const RawResponse response = get("/__admin/conformance");
    ASSERT_EQ(response.status, 200) << response.bytes;
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    ASSERT_FALSE(document.HasParseError()) << response.body;

    EXPECT_STREQ(document["format"].GetString(), "matrix-spec-conformance-report/1");
    const auto& totals = document["totals"];
    EXPECT_EQ(totals["requests"].GetUint64(), 3u);
    EXPECT_EQ(totals["identified"].GetUint64(), 2u);
    EXPECT_EQ(totals["unidentified"].GetUint64(), 1u);
    EXPECT_EQ(totals["operations_exercised"].GetUint64(), 1u);
    EXPECT_EQ(totals["operations_total"].GetUint64(), spec_operations().size());

    ASSERT_EQ(document["operations"].Size(), 1u);
    const auto& sync = document["operations"][0];
    EXPECT_STREQ(sync["operation"].GetString(), "sync");
    EXPECT_EQ(sync["seen"].GetUint64(), 2u);
    EXPECT_EQ(sync["conformant"].GetUint64() + sync["violating"].GetUint64(), 2u);

    const auto& unidentified = document["unidentified"];
    EXPECT_EQ(unidentified["count"].GetUint64(), 1u);
    EXPECT_EQ(unidentified["example_ids"][0].GetUint64(), 3u);
    EXPECT_STREQ(unidentified["examples"][0]["path"].GetString(), "/not/matrix");
    EXPECT_EQ(document["never_exercised"].Size(), spec_operations().size() - 1);
    // Asking for the report is an admin call, not a request of the client under test.
    EXPECT_EQ(hs.journal().size(), 3u);
}

TEST_F(AdminConformance, AnswersInMarkdownAndJunitWhenAsked) {
    get("/_matrix/client/v3/sync");

    const RawResponse markdown = get("/__admin/conformance?format=markdown");
    ASSERT_EQ(markdown.status, 200) << markdown.bytes;
    EXPECT_EQ(markdown.header("Content-Type"), "text/markdown; charset=utf-8");
    EXPECT_EQ(markdown.body.rfind("# Spec conformance report\n\n1 request: 1 identified", 0), 0u)
        << markdown.body;

    const RawResponse junit = get("/__admin/conformance?format=junit");
    ASSERT_EQ(junit.status, 200) << junit.bytes;
    EXPECT_EQ(junit.header("Content-Type"), "application/xml");
    EXPECT_NE(junit.body.find("<testcase classname=\"matrix.spec\" name=\"sync\""),
              std::string::npos)
        << junit.body;

    EXPECT_EQ(get("/__admin/conformance?format=json").header("Content-Type"), "application/json");
}

TEST_F(AdminConformance, RefusesAnUnknownFormatNamingTheChoices) {
    const RawResponse response = get("/__admin/conformance?format=pdf");
    EXPECT_EQ(response.status, 400);
    EXPECT_NE(response.body.find("M_INVALID_PARAM"), std::string::npos) << response.body;
    EXPECT_NE(response.body.find("'format' must be json, markdown or junit, got 'pdf'"),
              std::string::npos)
        << response.body;
}

TEST_F(AdminConformance, AnEmptyJournalReportsEveryOperationAsNeverExercised) {
    const RawResponse response = get("/__admin/conformance");
    ASSERT_EQ(response.status, 200);
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    ASSERT_FALSE(document.HasParseError()) << response.body;
    EXPECT_EQ(document["totals"]["requests"].GetUint64(), 0u);
    EXPECT_EQ(document["never_exercised"].Size(), spec_operations().size());
}

TEST_F(AdminConformance, TheUnknownRouteAnswerListsIt) {
    const RawResponse response = get("/__admin/nope");
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("GET /__admin/conformance"), std::string::npos) << response.body;
}

}  // namespace
}  // namespace matrix::mock
