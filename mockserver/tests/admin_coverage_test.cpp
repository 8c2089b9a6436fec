// GET /__admin/coverage and GET /__admin/stubs over HTTP: every spec operation with its verdict
// and the ids of its requests, and the stubs with the uses they have left.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>

#include "matrix/endpoint.hpp"
#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;

const rapidjson::Value* operation_named(const rapidjson::Document& coverage, std::string_view id) {
    for (const auto& operation : coverage["operations"].GetArray()) {
        if (operation["operation"].GetString() == id) return &operation;
    }
    return nullptr;
}

std::uint64_t last_id(int port) {
    const auto page = parse(send_raw(port, http_request("GET", "/__admin/requests?limit=1")));
    return page["requests"][0]["id"].GetUint64();
}

TEST(AdminCoverage, ListsEverySpecOperationOnceWithOneOfFourVerdicts) {
    MockHomeserver hs;
    const RawResponse response = send_raw(hs.port(), http_request("GET", "/__admin/coverage"));
    ASSERT_EQ(response.status, 200) << response.bytes;
    EXPECT_EQ(response.header("Content-Type"), "application/json");
    const auto coverage = parse(response);
    std::set<std::string> listed;
    for (const auto& operation : coverage["operations"].GetArray()) {
        listed.insert(operation["operation"].GetString());
        EXPECT_STREQ(operation["verdict"].GetString(), "never");
        EXPECT_TRUE(operation["request_ids"].Empty());
    }
    std::set<std::string> declared;
    for (const EndpointSpec& operation : spec_operations())
        declared.emplace(operation.operation_id);
    EXPECT_EQ(listed, declared);
    EXPECT_EQ(coverage["totals"]["operations"].GetUint64(), declared.size());
    EXPECT_EQ(coverage["totals"]["never"].GetUint64(), declared.size());
}

TEST(AdminCoverage, AConformantAnsweredRequestIsConformantAndAViolatingOneViolating) {
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    const std::uint64_t versions_id = last_id(hs.port());
    send_raw(hs.port(),
             http_request("POST", "/_matrix/client/v3/createRoom", R"({"preset":"nonsense"})",
                          "Content-Type: application/json\r\n"));
    const std::uint64_t create_id = last_id(hs.port());

    const auto coverage = parse(send_raw(hs.port(), http_request("GET", "/__admin/coverage")));
    const auto* versions = operation_named(coverage, "getVersions");
    ASSERT_NE(versions, nullptr);
    EXPECT_STREQ((*versions)["verdict"].GetString(), "conformant");
    ASSERT_EQ((*versions)["request_ids"].Size(), 1u);
    EXPECT_EQ((*versions)["request_ids"][0].GetUint64(), versions_id);
    const auto* create = operation_named(coverage, "createRoom");
    ASSERT_NE(create, nullptr);
    EXPECT_STREQ((*create)["verdict"].GetString(), "violating");
    EXPECT_EQ((*create)["violating"].GetUint64(), 1u);
    EXPECT_EQ((*create)["request_ids"][0].GetUint64(), create_id);
    EXPECT_STREQ((*operation_named(coverage, "getPushRules"))["verdict"].GetString(), "never");
    EXPECT_EQ(coverage["totals"]["conformant"].GetUint64(), 1u);
    EXPECT_EQ(coverage["totals"]["violating"].GetUint64(), 1u);
}

TEST(AdminCoverage, ARequestThatConformsButNobodyAnsweredIsOnlyExercised) {
    MockHomeserver hs;  // no simulation, no stub: the request gets the 404 of an unmatched one
    send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    const auto coverage = parse(send_raw(hs.port(), http_request("GET", "/__admin/coverage")));
    EXPECT_STREQ((*operation_named(coverage, "getVersions"))["verdict"].GetString(), "exercised");
    EXPECT_EQ(coverage["totals"]["exercised"].GetUint64(), 1u);
}

TEST(AdminStubs, ListsEachStubWithTheUsesItHasLeft) {
    MockHomeserver hs;
    const auto limited = parse(send_raw(
        hs.port(),
        http_request("POST", "/__admin/mappings",
                     R"({"name":"three times","request":{"method":"GET","urlPath":"/limited"},)"
                     R"("response":{"status":200},"maxUses":3})")));
    send_raw(hs.port(),
             http_request(
                 "POST", "/__admin/mappings",
                 R"({"request":{"method":"GET","urlPath":"/free"},"response":{"status":204}})"));
    send_raw(hs.port(), http_request("GET", "/limited"));
    send_raw(hs.port(), http_request("GET", "/free"));

    const RawResponse response = send_raw(hs.port(), http_request("GET", "/__admin/stubs"));
    ASSERT_EQ(response.status, 200) << response.bytes;
    const auto stubs = parse(response);
    ASSERT_EQ(stubs["stubs"].Size(), 2u);
    EXPECT_EQ(stubs["meta"]["total"].GetUint64(), 2u);
    const auto& first = stubs["stubs"][0];
    EXPECT_STREQ(first["id"].GetString(), limited["id"].GetString());
    EXPECT_STREQ(first["name"].GetString(), "three times");
    EXPECT_EQ(first["uses"].GetUint64(), 1u);
    EXPECT_EQ(first["max_uses"].GetUint64(), 3u);
    EXPECT_EQ(first["remaining"].GetUint64(), 2u);
    EXPECT_NE(std::string(first["request"].GetString()).find("/limited"), std::string::npos);
    const auto& second = stubs["stubs"][1];
    EXPECT_TRUE(second["max_uses"].IsNull());
    EXPECT_STREQ(second["remaining"].GetString(), "unlimited");

    send_raw(hs.port(), http_request("GET", "/limited"));
    send_raw(hs.port(), http_request("GET", "/limited"));
    send_raw(hs.port(), http_request("GET", "/limited"));  // used up: unmatched
    const auto after = parse(send_raw(hs.port(), http_request("GET", "/__admin/stubs")));
    EXPECT_EQ(after["stubs"][0]["uses"].GetUint64(), 3u);
    EXPECT_EQ(after["stubs"][0]["remaining"].GetUint64(), 0u);
}

}  // namespace
}  // namespace matrix::mock
