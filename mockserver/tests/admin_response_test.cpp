// The answer in the journal over HTTP: GET /__admin/requests/{id} and the list carry each
// request's response (status, headers, body) and who answered it: a stub, the simulation or none.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;

rapidjson::Document newest_entry(int port) {
    const auto page = parse(send_raw(port, http_request("GET", "/__admin/requests?limit=1")));
    const std::uint64_t id = page["requests"][0]["id"].GetUint64();
    return parse(send_raw(port, http_request("GET", "/__admin/requests/" + std::to_string(id))));
}

std::string header_of(const rapidjson::Value& response, std::string_view name) {
    for (const auto& pair : response["headers"].GetArray()) {
        if (pair[0].GetString() == name) return pair[1].GetString();
    }
    return {};
}

TEST(AdminResponse, AStubsAnswerIsJournaledWithItsHeadersAndBody) {
    MockHomeserver hs;
    const auto stub = parse(send_raw(
        hs.port(),
        http_request("POST", "/__admin/mappings",
                     R"({"request":{"method":"GET","urlPath":"/hello"},"response":{"status":201,)"
                     R"("headers":{"X-Reason":"test"},"jsonBody":{"greeting":"<b>hi</b>"}}})")));
    const RawResponse answered = send_raw(hs.port(), http_request("GET", "/hello"));
    ASSERT_EQ(answered.status, 201);

    const auto entry = newest_entry(hs.port());
    EXPECT_STREQ(entry["answered_by"].GetString(), stub["id"].GetString());
    const auto& response = entry["response"];
    EXPECT_EQ(response["status"].GetInt(), 201);
    EXPECT_EQ(header_of(response, "X-Reason"), "test");
    EXPECT_EQ(header_of(response, "Content-Type"), "application/json");
    // The very bytes the client got.
    EXPECT_EQ(std::string(response["body"].GetString()), answered.body);
}

TEST(AdminResponse, TheSimulationsAnswerNamesTheSimulation) {
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    const RawResponse answered =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    const auto entry = newest_entry(hs.port());
    EXPECT_STREQ(entry["answered_by"].GetString(), "simulation");
    EXPECT_EQ(entry["response"]["status"].GetInt(), 200);
    EXPECT_EQ(std::string(entry["response"]["body"].GetString()), answered.body);
    EXPECT_NE(answered.body.find("versions"), std::string::npos);
}

TEST(AdminResponse, AnUnmatchedRequestsErrorIsTheAnswerOfNone) {
    MockHomeserver hs;
    send_raw(hs.port(), http_request("GET", "/nothing/here"));
    const auto entry = newest_entry(hs.port());
    EXPECT_STREQ(entry["answered_by"].GetString(), "none");
    EXPECT_EQ(entry["response"]["status"].GetInt(), 404);
    EXPECT_NE(std::string(entry["response"]["body"].GetString()).find("M_UNRECOGNIZED"),
              std::string::npos);
}

TEST(AdminResponse, ABinaryAnswerIsKeptAsBase64) {
    MockHomeserver hs;
    ResponseDefinition bytes;
    bytes.body = "\xff";  // no UTF-8: base64 "/w=="
    hs.on(RequestPattern::for_path("GET", "/bytes")).respond(bytes);
    send_raw(hs.port(), http_request("GET", "/bytes"));
    const auto entry = newest_entry(hs.port());
    ASSERT_TRUE(entry["response"].HasMember("body_base64")) << "no base64 body";
    EXPECT_STREQ(entry["response"]["body_base64"].GetString(), "/w==");
    EXPECT_FALSE(entry["response"].HasMember("body"));
}

TEST(AdminResponse, AFaultHasNoAnswerBody) {
    MockHomeserver hs;
    send_raw(hs.port(),
             http_request(
                 "POST", "/__admin/mappings",
                 R"({"request":{"urlPath":"/reset"},"response":{"fault":"CONNECTION_RESET"}})"));
    send_raw(hs.port(), http_request("GET", "/reset"));
    const auto entry = newest_entry(hs.port());
    EXPECT_TRUE(entry["response"]["headers"].Empty());
    EXPECT_STREQ(entry["response"]["body"].GetString(), "");
}

}  // namespace
}  // namespace matrix::mock
