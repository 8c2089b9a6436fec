// Hostile input to the mock homeserver: each bad request gets a status and a Matrix errcode,
// is journaled, and the server still serves a normal request afterwards.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_connection.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::keep_alive_request;
using testing::RawConnection;
using testing::RawResponse;
using testing::send_raw;

std::string errcode_of(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject())
        return "(not a JSON object: " + body + ")";
    if (!document.HasMember("errcode") || !document["errcode"].IsString())
        return "(no errcode: " + body + ")";
    return document["errcode"].GetString();
}

// After each bad request: a normal one is still answered, on a fresh connection.
void expect_still_serves(const MockHomeserver& hs) {
    const RawResponse ok = send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(ok.status, 200) << "the server stopped serving: " << ok.bytes;
}

MockHomeserverOptions simulated() {
    MockHomeserverOptions options;
    options.simulation = true;
    return options;
}

std::string nested(std::size_t depth, std::string_view open = "[", std::string_view close = "]") {
    std::string text;
    text.reserve(depth * (open.size() + close.size()));
    for (std::size_t i = 0; i < depth; ++i) text += open;
    for (std::size_t i = 0; i < depth; ++i) text += close;
    return text;
}

TEST(MockHomeserverLimits, BodyOverTheLimitGets413MTooLargeAndIsJournaled) {
    MockHomeserverOptions options = simulated();
    options.max_body_bytes = 1024;
    MockHomeserver hs(options);
    const RawResponse r = send_raw(
        hs.port(), http_request("POST", "/_matrix/client/v3/login", std::string(2000, 'x')));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(errcode_of(r.body), "M_TOO_LARGE");
    EXPECT_NE(r.body.find("1024"), std::string::npos) << "names the limit: " << r.body;
    ASSERT_EQ(hs.journal().size(), 1u);
    EXPECT_EQ(hs.journal().entries()[0].status, 413);
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, DefaultLimitIs32MiBAndAHugeContentLengthIsRefusedWithoutWaiting) {
    MockHomeserver hs(simulated());
    RawConnection connection(hs.port());
    // Announces 32 MiB + 1 but sends a few bytes: answered at once, not after a read timeout.
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(connection.send_bytes(
        "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\nContent-Length: 33554433\r\n\r\n{}"));
    const auto r = connection.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(errcode_of(r->body), "M_TOO_LARGE");
    EXPECT_NE(r->body.find("33554432"), std::string::npos) << r->body;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    EXPECT_TRUE(connection.closed_by_server()) << "the unread body must not be read as a request";
    expect_still_serves(hs);
}

// `body` in chunks of `chunk` bytes; with `last`, the zero-size chunk that ends the body.
std::string chunked(std::string_view body, std::size_t chunk, bool last = true) {
    std::string out;
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        const std::string_view piece = body.substr(at, chunk);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        out += size;
        out += piece;
        out += "\r\n";
    }
    return last ? out + "0\r\n\r\n" : out;
}

TEST(MockHomeserverLimits, AChunkedBodyOverTheLimitGets413WhileItStreams) {
    MockHomeserverOptions options = simulated();
    options.max_body_bytes = 4096;
    MockHomeserver hs(options);
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes(
        "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
        chunked(std::string(3000, 'x'), 1000, false)));
    // Not finished: the server refuses as soon as the limit is passed, not at the end.
    ASSERT_TRUE(
        connection.send_bytes(chunked(std::string(3000, 'y'), 1000, false).substr(0, 1500)));
    const auto r = connection.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(errcode_of(r->body), "M_TOO_LARGE");
    EXPECT_TRUE(connection.closed_by_server());
    ASSERT_EQ(hs.journal().size(), 1u);
    EXPECT_EQ(hs.journal().entries()[0].status, 413);
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, AChunkedBodyWithinTheLimitIsServedAndJournaledWhole) {
    MockHomeserver hs;
    hs.on(RequestPattern::for_path("POST", "/c"));
    const std::string body = "{\"a\":\"" + std::string(10'000, 'z') + "\"}";
    const RawResponse r = send_raw(hs.port(),
                                   "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                   "Connection: close\r\n\r\n" +
                                       chunked(body, 777));
    EXPECT_EQ(r.status, 200);
    ASSERT_EQ(hs.journal().size(), 1u);
    EXPECT_EQ(hs.journal().entries()[0].body, body);
}

TEST(MockHomeserverLimits, AMalformedChunkedBodyGets400WithAMatrixError) {
    MockHomeserver hs(simulated());
    const RawResponse r =
        send_raw(hs.port(),
                 "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\n"
                 "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nab\r\n0\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(errcode_of(r.body), "M_UNRECOGNIZED");
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, AGetWithABodyGets400SoItsBodyCannotBecomeARequest) {
    MockHomeserver hs(simulated());
    RawConnection connection(hs.port());
    const std::string smuggled = "GET /_matrix/client/v3/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_TRUE(
        connection.send_bytes("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n"
                              "Content-Length: " +
                              std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled));
    const auto r = connection.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(errcode_of(r->body), "M_UNRECOGNIZED");
    EXPECT_TRUE(connection.closed_by_server());
    EXPECT_EQ(connection.unread(), "");
    for (const JournalEntry& entry : hs.journal().entries())
        EXPECT_EQ(entry.target.find("smuggled"), std::string::npos) << "the smuggled request ran";
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, AClientExpecting100ContinueHearsTheRefusalInstead) {
    MockHomeserverOptions options = simulated();
    options.max_body_bytes = 1024;
    MockHomeserver hs(options);
    RawConnection connection(hs.port());
    ASSERT_TRUE(
        connection.send_bytes("POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\n"
                              "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n"));
    const auto r = connection.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413) << "no 100 Continue first: " << r->bytes;
    EXPECT_EQ(errcode_of(r->body), "M_TOO_LARGE");
    EXPECT_TRUE(connection.closed_by_server());
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, RequestLineOver8KiBGets414WithAMatrixError) {
    MockHomeserver hs(simulated());
    const RawResponse r = send_raw(
        hs.port(), http_request("GET", "/_matrix/client/versions?x=" + std::string(9000, 'a')));
    EXPECT_EQ(r.status, 414);
    EXPECT_EQ(errcode_of(r.body), "M_UNRECOGNIZED");
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, HeaderLineOver8KiBGets431WithAMatrixError) {
    MockHomeserver hs(simulated());
    const RawResponse r =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/versions", {},
                                         "X-Big: " + std::string(9000, 'b') + "\r\n"));
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(errcode_of(r.body), "M_UNRECOGNIZED");
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, MalformedRequestLineGets400WithAMatrixError) {
    MockHomeserver hs(simulated());
    const RawResponse r = send_raw(hs.port(), "NONSENSE\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(errcode_of(r.body), "M_UNRECOGNIZED");
    expect_still_serves(hs);
}

struct BadJsonCase {
    const char* name;
    std::string body;
};

std::vector<BadJsonCase> bad_json_bodies() {
    return {{"deep_arrays", nested(100'000)},
            {"deep_objects_in_an_object", "{\"a\":" + nested(100'000, "{\"a\":", "}") + "1}"},
            {"deep_arrays_in_an_object", "{\"content\":" + nested(600) + "}"},
            {"invalid_utf8_in_a_string", "{\"type\":\"m.login.password\",\"x\":\"\xC3\x28\"}"},
            {"lone_continuation_byte", "{\"a\":\"\x80\"}"},
            {"overlong_encoding", "{\"a\":\"\xC0\xAF\"}"},
            {"truncated", "{\"a\":"}};
}

TEST(MockHomeserverLimits, HostileJsonBodiesGet400MNotJsonFromTheSimulationAndAreJournaled) {
    MockHomeserver hs(simulated());
    for (const BadJsonCase& bad : bad_json_bodies()) {
        SCOPED_TRACE(bad.name);
        hs.journal().clear();
        for (const char* target : {"/_matrix/client/v3/login", "/_matrix/client/v3/register",
                                   "/_matrix/client/r0/login"}) {
            const RawResponse r = send_raw(hs.port(), http_request("POST", target, bad.body));
            EXPECT_EQ(r.status, 400) << target;
            EXPECT_EQ(errcode_of(r.body), "M_NOT_JSON") << target;
        }
        const auto entries = hs.journal().entries();
        ASSERT_EQ(entries.size(), 3u);
        EXPECT_EQ(entries[0].body, bad.body) << "journaled byte for byte";
        EXPECT_EQ(entries[0].status, 400);
        expect_still_serves(hs);
    }
}

TEST(MockHomeserverLimits, HostileJsonBodiesGet400WhenAStubBodyPatternWouldParseThem) {
    MockHomeserver hs;  // stubs only
    hs.add_mapping(R"({"request": {"method": "POST", "urlPath": "/m",
                                   "bodyPatterns": [{"equalToJson": {"a": [[1]]}}]},
                       "response": {"status": 200}})");
    hs.add_mapping(R"({"request": {"method": "POST", "urlPath": "/p",
                                   "bodyPatterns": [{"matchesJsonPath": "$.a"}]},
                       "response": {"status": 200}})");
    for (const BadJsonCase& bad : bad_json_bodies()) {
        SCOPED_TRACE(bad.name);
        for (const char* target : {"/m", "/p"}) {
            const RawResponse r = send_raw(hs.port(), http_request("POST", target, bad.body));
            EXPECT_EQ(r.status, 400) << target;
            EXPECT_EQ(errcode_of(r.body), "M_NOT_JSON") << target;
        }
    }
    EXPECT_EQ(send_raw(hs.port(), http_request("POST", "/m", R"({"a":[[1]]})")).status, 200);
}

TEST(MockHomeserverLimits, HostileJsonBodiesToTheAdminApiGet400) {
    MockHomeserver hs(simulated());
    for (const BadJsonCase& bad : bad_json_bodies()) {
        SCOPED_TRACE(bad.name);
        for (const char* target :
             {"/__admin/mappings", "/__admin/requests/count", "/__admin/requests/wait",
              "/__admin/sim/users", "/__admin/sim/rooms"}) {
            const RawResponse r = send_raw(hs.port(), http_request("POST", target, bad.body));
            EXPECT_EQ(r.status, 400) << target;
            const std::string errcode = errcode_of(r.body);
            EXPECT_TRUE(errcode == "M_NOT_JSON" || errcode == "M_BAD_JSON")
                << target << ": " << errcode;
        }
    }
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, MediaUploadsAreNotCheckedAsJson) {
    MockHomeserver hs(simulated());
    const RawResponse r =
        send_raw(hs.port(), http_request("POST", "/_matrix/media/v3/upload", nested(10'000),
                                         "Content-Type: application/octet-stream\r\n"));
    EXPECT_NE(r.status, 400) << r.bytes;
}

struct BadPathCase {
    const char* target;
    int status;
    const char* errcode;
};

TEST(MockHomeserverLimits, InvalidPercentEncodingInThePathGets400AndIsJournaled) {
    for (const bool simulation : {true, false}) {
        SCOPED_TRACE(simulation ? "simulation" : "stubs only");
        MockHomeserverOptions options;
        options.simulation = simulation;
        MockHomeserver hs(options);
        const std::vector<BadPathCase> cases = {
            {"/_matrix/client/v3/rooms/%zz/state", 400, "M_UNRECOGNIZED"},
            {"/_matrix/client/v3/rooms/%/state", 400, "M_UNRECOGNIZED"},
            {"/_matrix/client/v3/profile/%", 400, "M_UNRECOGNIZED"},
            {"/_matrix/client/v3/profile/%4", 400, "M_UNRECOGNIZED"},
            {"/_matrix/client/v3/profile/%C3", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/profile/%C3%28", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/profile/%00", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/profile/a%00b?x=1", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/profile/\xff", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/profile/a?x=\xff", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/sync?since=\xC3", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/sync?since=%ff", 400, "M_INVALID_PARAM"},
            {"/_matrix/client/v3/publicRooms?since=%C3%28&limit=1", 400, "M_INVALID_PARAM"},
        };
        for (const BadPathCase& bad : cases) {
            SCOPED_TRACE(bad.target);
            hs.journal().clear();
            const RawResponse r = send_raw(hs.port(), http_request("GET", bad.target));
            EXPECT_EQ(r.status, bad.status) << r.bytes;
            EXPECT_EQ(errcode_of(r.body), bad.errcode);
            ASSERT_EQ(hs.journal().size(), 1u);
            EXPECT_EQ(hs.journal().entries()[0].target, bad.target);
        }
        if (simulation) expect_still_serves(hs);
    }
}

TEST(MockHomeserverLimits, AStubStillAnswersAPathWithAMalformedEscapeWhenItMatchesIt) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"method": "GET", "url": "/raw%zz"},
                       "response": {"status": 200}})");
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/raw%zz")).status, 200);
}

TEST(MockHomeserverLimits, ContentLengthWithTransferEncodingGets400AndTheConnectionCloses) {
    MockHomeserver hs(simulated());
    RawConnection connection(hs.port());
    // A front end honouring Content-Length would see one request; one honouring chunked would
    // see a second, smuggled one. The server must not pick either.
    const std::string smuggled = "GET /_matrix/client/v3/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_TRUE(connection.send_bytes(
        "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
        smuggled));
    const auto r = connection.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(errcode_of(r->body), "M_UNRECOGNIZED");
    EXPECT_NE(r->body.find("Transfer-Encoding"), std::string::npos) << r->body;
    EXPECT_TRUE(connection.closed_by_server());
    EXPECT_EQ(connection.unread(), "") << "nothing after the 400";
    for (const JournalEntry& entry : hs.journal().entries())
        EXPECT_EQ(entry.target.find("smuggled"), std::string::npos) << "the smuggled request ran";
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, ConflictingFramingHeadersGet400) {
    MockHomeserver hs(simulated());
    const std::vector<std::string> heads = {
        "Content-Length: 2\r\nContent-Length: 3\r\n",
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: chunked, identity\r\n",
        "Content-Length: -1\r\n",
        "Content-Length: 1e3\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
    };
    for (const std::string& head : heads) {
        SCOPED_TRACE(head);
        const RawResponse r =
            send_raw(hs.port(), "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: x\r\n" + head +
                                    "Connection: close\r\n\r\n{}");
        EXPECT_EQ(r.status, 400) << r.bytes;
        EXPECT_EQ(errcode_of(r.body), "M_UNRECOGNIZED");
    }
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, IdleAndHalfSentConnectionsDoNotDelayAFreshRequest) {
    MockHomeserverOptions options = simulated();
    MockHomeserver hs(options);
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 40; ++i) {
        idle.push_back(std::make_unique<RawConnection>(hs.port()));
        ASSERT_TRUE(idle.back()->connected());
    }
    const std::vector<std::string> halves = {
        "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n",  // no blank line
        "GET /_matrix/client/ver",                               // half a request line
        "POST /_matrix/client/v3/login HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"ty",  // half a
                                                                                       // body
        "PUT /_matrix/client/v3/rooms/x/send/m/1 HTTP/1.1\r\nTransfer-Encoding: "
        "chunked\r\n\r\n10\r\nab",
    };
    for (int i = 0; i < 12; ++i) {
        idle.push_back(std::make_unique<RawConnection>(hs.port()));
        ASSERT_TRUE(idle.back()->send_bytes(halves[static_cast<std::size_t>(i) % halves.size()]));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the server take them all
    for (int attempt = 0; attempt < 3; ++attempt) {
        const auto started = std::chrono::steady_clock::now();
        const RawResponse r = send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
        const auto took = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(r.status, 200);
        EXPECT_LT(took, std::chrono::seconds(1))
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    }
}

TEST(MockHomeserverLimits, ASilentClientMidRequestIsDisconnectedAfterTheReadTimeout) {
    MockHomeserverOptions options = simulated();
    options.read_timeout = std::chrono::seconds(1);
    MockHomeserver hs(options);
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n"));
    EXPECT_TRUE(connection.closed_by_server(std::chrono::seconds(15)));
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, MediaPathsCannotLeaveTheMediaStore) {
    MockHomeserver hs(simulated());
    for (const char* target : {
             "/_matrix/media/v3/download/localhost/..%2f..%2f..%2fetc%2fpasswd",
             "/_matrix/media/v3/download/localhost/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
             "/_matrix/media/v3/download/../../../../etc/passwd",
             "/_matrix/media/v3/download/localhost/%2fetc%2fpasswd",
             "/_matrix/media/r0/thumbnail/localhost/..?width=1&height=1",
         }) {
        SCOPED_TRACE(target);
        const RawResponse r = send_raw(hs.port(), http_request("GET", target));
        EXPECT_EQ(r.status, 404) << r.bytes;
        EXPECT_EQ(r.body.find("root:"), std::string::npos);
        const std::string errcode = errcode_of(r.body);
        EXPECT_TRUE(errcode == "M_NOT_FOUND" || errcode == "M_UNRECOGNIZED") << errcode;
    }
    expect_still_serves(hs);
}

TEST(MockHomeserverLimits, BodyFileNameCannotLeaveTheMappingsFolder) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("limits-mappings-" + std::to_string(getpid()));
    fs::create_directories(dir / "inner");
    std::ofstream(dir / "inner" / "ok.txt") << "fine";
    std::ofstream(dir / "base.json") << R"({"request": {"urlPath": "/base"}, "response": {}})";
    MockHomeserver hs;
    hs.load_mappings(dir.string());
    for (const char* name : {"../secret", "inner/../../secret", "/etc/passwd", "%2e%2e%2fsecret",
                             "inner/%2e%2e/%2e%2e/secret", "..\\\\secret", ""}) {
        SCOPED_TRACE(name);
        const std::string mapping = std::string(R"({"request": {"urlPath": "/f"},
                       "response": {"bodyFileName": ")") +
                                    name + "\"}}";
        EXPECT_THROW(hs.add_mapping(mapping), MappingError);
    }
    hs.add_mapping(
        R"({"request": {"urlPath": "/f"}, "response": {"bodyFileName": "inner/ok.txt"}})");
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/f")).body, "fine");
    fs::remove_all(dir);
}

// The first IPv4 address of this machine that is not loopback, if it has one.
std::optional<std::string> non_loopback_address() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::optional<std::string> found;
    for (const ifaddrs* it = list; it != nullptr && !found; it = it->ifa_next) {
        if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
        const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
        if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        found = text;
    }
    freeifaddrs(list);
    return found;
}

TEST(MockHomeserverLimits, TheAdminApiAnswersLoopbackClientsOnlyByDefault) {
    MockHomeserverOptions options = simulated();
    options.host = "0.0.0.0";
    MockHomeserver hs(options);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/__admin/requests")).status, 200);
    const std::optional<std::string> address = non_loopback_address();
    if (!address) GTEST_SKIP() << "this machine has no non-loopback IPv4 address";
    in_addr parsed{};
    ASSERT_EQ(inet_pton(AF_INET, address->c_str(), &parsed), 1);
    RawConnection outside(hs.port(), ntohl(parsed.s_addr));
    ASSERT_TRUE(outside.connected());
    ASSERT_TRUE(outside.send_bytes(keep_alive_request("GET", "/__admin/requests")));
    const auto refused = outside.read_response();
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(errcode_of(refused->body), "M_FORBIDDEN");
    // The client API itself answers from anywhere.
    ASSERT_TRUE(outside.send_bytes(keep_alive_request("GET", "/_matrix/client/versions")));
    const auto served = outside.read_response();
    ASSERT_TRUE(served);
    EXPECT_EQ(served->status, 200);
}

}  // namespace
}  // namespace matrix::mock
