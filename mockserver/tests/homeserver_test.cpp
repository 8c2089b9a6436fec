// The in-process mock homeserver over real sockets: journal bytes, stubs, faults, start-up.
#include "matrix/mock/homeserver.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::send_raw;

TEST(MockHomeserver, ListensOnItsOwnEphemeralPort) {
    MockHomeserver first;
    MockHomeserver second;
    EXPECT_GT(first.port(), 0);
    EXPECT_NE(first.port(), second.port());
    EXPECT_EQ(first.url(), "http://127.0.0.1:" + std::to_string(first.port()));
}

TEST(MockHomeserver, RefusesToStartOnAPortAlreadyTaken) {
    MockHomeserver first;
    MockHomeserverOptions options;
    options.port = first.port();
    EXPECT_THROW(MockHomeserver second(options), StartError);
    // The first server still answers.
    EXPECT_EQ(send_raw(first.port(), http_request("GET", "/x")).status, 404);
}

TEST(MockHomeserver, RecordsTheRawTargetByteForByte) {
    MockHomeserver hs;
    const std::string target =
        "/_matrix/client/r0/rooms/%21room%3Aexample.org/state/m.room.name/%20a%2Fb"
        "?since=s%201&since=x+y&dir=b&q=%C3%A9!&flag";
    send_raw(hs.port(), http_request("GET", target));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].target, target);
    EXPECT_EQ(entries[0].raw_path,
              "/_matrix/client/r0/rooms/%21room%3Aexample.org/state/m.room.name/%20a%2Fb");
    const std::vector<QueryParam> expected = {
        {"since", "s 1"}, {"since", "x y"}, {"dir", "b"}, {"q", "\xC3\xA9!"}, {"flag", ""}};
    EXPECT_EQ(entries[0].query, expected);
}

TEST(MockHomeserver, RecordsUnencodedBangAndUtf8PathBytesAsSent) {
    MockHomeserver hs;
    const std::string target =
        "/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/t\xC3\xA9";
    send_raw(hs.port(), http_request("PUT", target, "{}"));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].target, target);
    EXPECT_EQ(entries[0].body, "{}");
}

TEST(MockHomeserver, RecordsHeadersMethodBodyAndArrival) {
    MockHomeserver hs;
    const auto before = std::chrono::system_clock::now();
    send_raw(hs.port(),
             http_request("POST", "/_matrix/client/r0/login", R"({"type":"m.login.dummy"})",
                          "Authorization: Bearer abc\r\nX-Custom: 1\r\n"));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    const JournalEntry& entry = entries[0];
    EXPECT_EQ(entry.method, "POST");
    EXPECT_EQ(entry.body, R"({"type":"m.login.dummy"})");
    EXPECT_GE(entry.arrived, before);
    bool saw_authorization = false;
    for (const Header& header : entry.headers) {
        saw_authorization =
            saw_authorization || (header.name == "Authorization" && header.value == "Bearer abc");
        EXPECT_NE(header.name, "REMOTE_ADDR") << "cpp-httplib's own pseudo-headers are not sent";
    }
    EXPECT_TRUE(saw_authorization);
    EXPECT_EQ(entry.remote.rfind("127.0.0.1:", 0), 0u);
}

TEST(MockHomeserver, AnswersUnmatchedRequestsWithMUnrecognizedAndNamesTheNearestStub) {
    MockHomeserver hs;
    hs.on(RequestPattern::for_path("GET", "/_matrix/client/versions"));
    const auto response = send_raw(hs.port(), http_request("GET", "/_matrix/client/version"));
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("\"errcode\":\"M_UNRECOGNIZED\""), std::string::npos);
    const auto unmatched = hs.journal().unmatched();
    ASSERT_EQ(unmatched.size(), 1u);
    EXPECT_FALSE(unmatched[0].matched_stub.has_value());
    EXPECT_EQ(unmatched[0].status, 404);
    ASSERT_FALSE(unmatched[0].near_misses.empty());
    EXPECT_NE(unmatched[0].near_misses[0].failed_predicate.find("urlPath"), std::string::npos)
        << unmatched[0].near_misses[0].failed_predicate;
}

TEST(MockHomeserver, KeepsTheNearestStubsWhenTheSimulationAnswersInstead) {
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    // Meant for GET /versions, but the path has a typo: the simulation answers the request,
    // and the journal still says which stub nearly took it, and why it did not.
    hs.on(RequestPattern::for_path("GET", "/_matrix/client/version"));
    const auto response = send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(response.status, 200) << response.body;
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].answerer, Answerer::simulation);
    EXPECT_FALSE(entries[0].matched_stub.has_value());
    ASSERT_EQ(entries[0].near_misses.size(), 1u);
    EXPECT_NE(entries[0].near_misses[0].failed_predicate.find("urlPath"), std::string::npos)
        << entries[0].near_misses[0].failed_predicate;
}

TEST(MockHomeserver, RecordsTheSpecOperationOfEveryRequestWhoeverAnswersIt) {
    MockHomeserver hs;
    const StubHandle stub = hs.on("whoami").respond_json(200, R"({"user_id":"@a:b"})");
    send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/account/whoami"));
    send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    send_raw(hs.port(), http_request("PUT", "/_matrix/client/v3/rooms/%21r%3Ax/state/m.room.name"));
    send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/no/such/thing"));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 4u);
    ASSERT_NE(entries[0].operation, nullptr);
    EXPECT_EQ(entries[0].operation->operation_id, "getTokenOwner");  // answered by the stub
    EXPECT_EQ(entries[0].path_version, PathVersion::r0);
    ASSERT_NE(entries[1].operation, nullptr);
    EXPECT_EQ(entries[1].operation->operation_id, "getVersions");  // answered by no one
    EXPECT_FALSE(entries[1].path_version.has_value());
    ASSERT_NE(entries[2].operation, nullptr);
    EXPECT_EQ(entries[2].operation->operation_id, "setRoomStateWithKey");
    EXPECT_EQ(entries[2].path_version, PathVersion::v3);
    EXPECT_EQ(entries[3].operation, nullptr);
    EXPECT_NE(to_json(entries[0]).find(R"("operation":"getTokenOwner","path_version":"r0")"),
              std::string::npos);
    EXPECT_NE(to_json(entries[3]).find(R"("operation":null,"path_version":null)"),
              std::string::npos);
}

TEST(MockHomeserver, AnswersFromAStubMountedByEndpointNameOnEveryPathVersion) {
    MockHomeserver hs;
    const StubHandle stub = hs.on("whoami").respond_json(200, R"({"user_id":"@a:b"})");
    for (const char* target :
         {"/_matrix/client/r0/account/whoami", "/_matrix/client/v3/account/whoami"}) {
        const auto response = send_raw(hs.port(), http_request("GET", target));
        EXPECT_EQ(response.status, 200) << target;
        EXPECT_EQ(response.body, R"({"user_id":"@a:b"})");
        EXPECT_EQ(response.header("Content-Type"), "application/json");
    }
    EXPECT_EQ(stub.uses(), 2u);
    EXPECT_EQ(hs.journal().entries()[0].matched_stub, stub.id());
}

TEST(MockHomeserver, ServesASequenceInOrderAndRepeatsTheLast) {
    MockHomeserver hs;
    hs.on("sync")
        .respond_error("M_LIMIT_EXCEEDED")
        .then_respond(ResponseDefinition::json_body(200, Json::parse(R"({"next_batch":"s1"})")));
    const std::string target = "/_matrix/client/r0/sync";
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).status, 429);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).status, 200);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).status, 200);
}

TEST(MockHomeserver, LowerPriorityNumberWinsAndNewestWinsTies) {
    MockHomeserver hs;
    hs.on("whoami").respond_json(200, R"({"n":1})").priority(1);
    hs.on("whoami").respond_json(200, R"({"n":2})").priority(5);
    const std::string target = "/_matrix/client/r0/account/whoami";
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).body, R"({"n":1})");
    hs.on("whoami").respond_json(200, R"({"n":3})").priority(1);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).body, R"({"n":3})");
}

TEST(MockHomeserver, VerifyPassesWhenTimesIsMetAndNamesTheStubWhenNot) {
    MockHomeserver hs;
    hs.on("logout").times(1);
    EXPECT_THROW(hs.verify(), VerificationError);
    send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/logout", "{}"));
    EXPECT_NO_THROW(hs.verify());
    send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/logout", "{}"));
    try {
        hs.verify();
        FAIL() << "two uses passed times(1)";
    } catch (const VerificationError& e) {
        EXPECT_NE(std::string(e.what()).find("expected 1 uses, got 2"), std::string::npos)
            << e.what();
    }
}

TEST(MockHomeserver, MaxUsesStopsAStubFromMatching) {
    MockHomeserver hs;
    hs.on("whoami").max_uses(1);
    const std::string target = "/_matrix/client/r0/account/whoami";
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).status, 200);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", target)).status, 404);
}

TEST(MockHomeserver, ConnectionResetFaultAbortsTheConnection) {
    MockHomeserver hs;
    hs.on("whoami").respond([] {
        ResponseDefinition response;
        response.fault = Fault::connection_reset;
        return response;
    }());
    const auto response =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/account/whoami"));
    EXPECT_TRUE(response.reset);
    EXPECT_TRUE(response.bytes.empty());
    EXPECT_EQ(hs.journal().size(), 1u);
}

TEST(MockHomeserver, EmptyResponseFaultClosesWithoutSendingAByte) {
    MockHomeserver hs;
    hs.on("whoami").respond([] {
        ResponseDefinition response;
        response.fault = Fault::empty_response;
        return response;
    }());
    const auto response =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/account/whoami"));
    EXPECT_TRUE(response.connected);
    EXPECT_FALSE(response.reset);
    EXPECT_TRUE(response.bytes.empty());
    // The server keeps serving afterwards.
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/nothing")).status, 404);
}

TEST(MockHomeserver, FixedDelayHoldsTheResponseAtLeastThatLong) {
    MockHomeserver hs;
    ResponseDefinition slow = ResponseDefinition::json_body(200, Json::object({}));
    slow.fixed_delay = std::chrono::milliseconds(200);
    hs.on("whoami").respond(slow);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/account/whoami")).status,
              200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(MockHomeserver, CannedLimitExceededCarriesRetryAfter) {
    MockHomeserver hs;
    hs.on("sync").respond(ResponseDefinition::matrix_error("M_LIMIT_EXCEEDED", "slow down", 1500));
    const auto response = send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/sync"));
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(response.header("Retry-After"), "2");
    EXPECT_NE(response.body.find("\"retry_after_ms\":1500"), std::string::npos) << response.body;
}

TEST(MockHomeserver, ServesTheShippedDefaultMappings) {
    MockHomeserver hs;
    hs.load_mappings(MATRIX_DEFAULT_MAPPINGS);
    const auto get = [&](const char* target) {
        return send_raw(hs.port(), http_request("GET", target));
    };
    EXPECT_EQ(get("/_matrix/client/versions").status, 200);
    EXPECT_EQ(get("/_matrix/client/v3/login").status, 200);
    EXPECT_EQ(get("/_matrix/client/v3/account/whoami").status, 200);
    EXPECT_EQ(get("/_matrix/client/v3/capabilities").status, 200);
    EXPECT_EQ(get("/.well-known/matrix/client").status, 200);
    const auto login = send_raw(
        hs.port(),
        http_request(
            "POST", "/_matrix/client/v3/login",
            R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"a"},"password":"p"})"));
    EXPECT_EQ(login.status, 200);
    EXPECT_NE(login.body.find("access_token"), std::string::npos);
}

TEST(MockHomeserver, ResetKeepsFileMappingsAndDropsTheRest) {
    MockHomeserver hs;
    hs.load_mappings(MATRIX_DEFAULT_MAPPINGS);
    const std::size_t from_files = hs.stubs().list().size();
    hs.on("sync");
    send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    hs.reset();
    EXPECT_EQ(hs.stubs().list().size(), from_files);
    EXPECT_EQ(hs.journal().size(), 0u);
}

TEST(MockHomeserver, ABadMappingFileNamesTheFileTheMappingAndTheKey) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("mock-bad-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "bad.json")
        << R"({"mappings": [{"request": {"urlPath": "/a"}, "response": {}},
        {"request": {"urlPaht": "/b"}, "response": {}}]})";
    MockHomeserver hs;
    try {
        hs.load_mappings(dir.string());
        FAIL() << "a misspelt key was accepted";
    } catch (const MappingFileError& e) {
        EXPECT_NE(e.file.find("bad.json"), std::string::npos);
        EXPECT_EQ(e.index, std::optional<std::size_t>(1));
        EXPECT_NE(e.key.find("urlPaht"), std::string::npos) << e.key;
    }
    std::filesystem::remove_all(dir);
}

TEST(MockHomeserver, ConcurrentKeepAliveClientsLoseNoRequest) {
    MockHomeserver hs;
    hs.on(RequestPattern::for_path("POST", "/echo"));
    constexpr int kClients = 8;
    constexpr int kRequestsEach = 250;
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            for (int i = 0; i < kRequestsEach; ++i) {
                const std::string body =
                    "{\"client\":" + std::to_string(c) + ",\"i\":" + std::to_string(i) + "}";
                if (send_raw(hs.port(), http_request("POST", "/echo", body)).status == 200) ++ok;
            }
        });
    }
    for (std::thread& client : clients) client.join();
    EXPECT_EQ(ok.load(), kClients * kRequestsEach);
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(kClients * kRequestsEach));
    std::set<std::string> bodies;
    for (const JournalEntry& entry : entries) bodies.insert(entry.body.str());
    EXPECT_EQ(bodies.size(), entries.size()) << "every request recorded once, body intact";
}

}  // namespace
}  // namespace matrix::mock
