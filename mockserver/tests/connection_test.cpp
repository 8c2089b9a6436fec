// The HTTP layer as clients meet it: bodiless requests, pipelining, header order, HEAD,
// 100-continue, the connection limit, half-closed clients, and requests that wait (held syncs,
// admin waits, stub delays) without holding up anyone else.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_connection.hpp"
#include "raw_http.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using testing::add_user;
using testing::call;
using testing::create_room;
using testing::http_request;
using testing::keep_alive_request;
using testing::RawConnection;
using testing::RawResponse;
using testing::send_raw;
using namespace std::chrono_literals;

rapidjson::Document json_of(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    return document;
}

// A number from GET /__admin/health, e.g. member("connections", "refused").
std::int64_t health(const MockHomeserver& hs, const char* group, const char* key) {
    const RawResponse r = send_raw(hs.port(), http_request("GET", "/__admin/health"));
    const auto document = json_of(r.body);
    if (!document.IsObject() || !document.HasMember(group) || !document[group].IsObject() ||
        !document[group].HasMember(key)) {
        ADD_FAILURE() << "no " << group << "." << key << " in " << r.body;
        return -1;
    }
    return document[group][key].GetInt64();
}

std::int64_t held_syncs(const MockHomeserver& hs) {
    const auto document = json_of(send_raw(hs.port(), http_request("GET", "/__admin/health")).body);
    return document.HasMember("held_syncs") ? document["held_syncs"].GetInt64() : -1;
}

// Polls `condition` for up to `timeout`; true once it holds.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

using testing::simulated;

TEST(MockHomeserverFraming, ABodilessPostIsAnsweredAtOnceNotAfterTheReadTimeout) {
    MockHomeserver hs;
    // RFC 9112 6.3: neither Content-Length nor Transfer-Encoding means no body. The connection
    // stays open, so only the server's framing can end the request. The fastest of three
    // attempts must be well inside 100 ms (the old HTTP layer waited 30 s for the close).
    auto fastest = std::chrono::milliseconds::max();
    for (int attempt = 0; attempt < 3; ++attempt) {
        RawConnection connection(hs.port());
        const auto started = std::chrono::steady_clock::now();
        ASSERT_TRUE(connection.send_bytes("POST /__admin/reset HTTP/1.1\r\nHost: x\r\n\r\n"));
        const auto r = connection.read_response(5s);
        ASSERT_TRUE(r) << "no answer to a bodiless POST";
        EXPECT_EQ(r->status, 200) << r->bytes;
        fastest = std::min(fastest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - started));
    }
    EXPECT_LT(fastest, 100ms);
}

TEST(MockHomeserverFraming, EveryMethodWithoutABodyIsAnsweredAndJournaledWithAnEmptyBody) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"method": "ANY", "urlPath": "/any"},
                       "response": {"status": 200, "body": "ok"}})");
    RawConnection connection(hs.port());
    const std::vector<std::string> methods = {"GET",   "POST",    "PUT",     "DELETE",
                                              "PATCH", "OPTIONS", "PROPFIND"};
    for (const std::string& method : methods) {
        SCOPED_TRACE(method);
        ASSERT_TRUE(connection.send_bytes(method + " /any HTTP/1.1\r\nHost: x\r\n\r\n"));
        const auto r = connection.read_response(5s);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, "ok");
    }
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), methods.size());
    for (std::size_t i = 0; i < methods.size(); ++i) {
        EXPECT_EQ(entries[i].method, methods[i]);
        EXPECT_TRUE(entries[i].body.empty());
    }
}

TEST(MockHomeserverFraming, HeadGetsTheLengthOfTheBodyButNoBody) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"method": "HEAD", "urlPath": "/h"},
                       "response": {"status": 200, "body": "twelve bytes"}})");
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(connection.send_bytes("GET /versions-next HTTP/1.1\r\nHost: x\r\n\r\n"));
    // RawConnection reads a body by Content-Length, which a HEAD answer announces but does not
    // carry; so read the head alone, then check the next answer starts right after it.
    ASSERT_TRUE(eventually([&] {
        connection.closed_by_server(50ms);
        return connection.unread().find("HTTP/1.1 404") != std::string::npos;
    }));
    const std::string& bytes = connection.unread();
    EXPECT_EQ(bytes.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << bytes;
    EXPECT_NE(bytes.find("Content-Length: 12\r\n"), std::string::npos) << bytes;
    const std::size_t end = bytes.find("\r\n\r\n");
    EXPECT_EQ(bytes.substr(end + 4, 12), "HTTP/1.1 404") << "no body after a HEAD answer";
}

TEST(MockHomeserverFraming, PipelinedRequestsAreAnsweredAndJournaledInOrder) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"method": "ANY", "urlPathPattern": "/p/.*"},
                       "response": {"status": 200, "body": "ok"}})");
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes(keep_alive_request("GET", "/p/1") +
                                      keep_alive_request("POST", "/p/2", R"({"n":2})") +
                                      "PUT /p/3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                      "3\r\nabc\r\n0\r\n\r\n" +
                                      keep_alive_request("GET", "/p/4")));
    for (int i = 0; i < 4; ++i) {
        const auto r = connection.read_response(5s);
        ASSERT_TRUE(r) << "answer " << i + 1;
        EXPECT_EQ(r->status, 200);
    }
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].target, "/p/1");
    EXPECT_EQ(entries[1].body, R"({"n":2})");
    EXPECT_EQ(entries[2].body, "abc");
    EXPECT_EQ(entries[3].target, "/p/4");
}

TEST(MockHomeserverFraming, HeadersAreJournaledInTheOrderAndCaseSent) {
    MockHomeserver hs;
    const RawResponse r =
        send_raw(hs.port(),
                 "GET /h HTTP/1.1\r\nX-Zeta: 1\r\nhost: x\r\nAuthorization: Bearer t\r\n"
                 "X-Alpha:  padded \t\r\nx-zeta: 2\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 404);
    ASSERT_EQ(hs.journal().size(), 1u);
    const std::vector<Header> expected = {
        {"X-Zeta", "1"},       {"host", "x"},   {"Authorization", "Bearer t"},
        {"X-Alpha", "padded"}, {"x-zeta", "2"}, {"Connection", "close"}};
    EXPECT_EQ(hs.journal().entries()[0].headers, expected);
}

TEST(MockHomeserverFraming, AClientExpecting100ContinueGetsItThenTheAnswer) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"method": "POST", "urlPath": "/c"},
                       "response": {"status": 200, "body": "done"}})");
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes(
        "POST /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
    const auto interim = connection.read_response(5s);
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    ASSERT_TRUE(connection.send_bytes("hello"));
    const auto r = connection.read_response(5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(hs.journal().entries().at(0).body, "hello");
}

TEST(MockHomeserverFraming, TooManyHeaderLinesOrAHeadOver64KiBGet431) {
    MockHomeserver hs(simulated());
    std::string many;
    for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    std::string large;
    for (int i = 0; i < 9; ++i)
        large += "X-Big-" + std::to_string(i) + ": " + std::string(8000, 'v') + "\r\n";
    for (const std::string& headers : {many, large}) {
        const RawResponse r =
            send_raw(hs.port(), http_request("GET", "/_matrix/client/versions", {}, headers));
        EXPECT_EQ(r.status, 431) << r.bytes.substr(0, 200);
        EXPECT_NE(r.body.find("M_UNRECOGNIZED"), std::string::npos) << r.body;
    }
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).status, 200);
}

TEST(MockHomeserverFraming, AStubsFramingHeadersAreReplacedByTheServersOwn) {
    MockHomeserver hs;
    hs.add_mapping(R"({"request": {"urlPath": "/f"},
                       "response": {"status": 200, "body": "abc", "headers": {
                         "Content-Length": "999", "Transfer-Encoding": "chunked",
                         "Connection": "close", "X-Kept": "yes"}}})");
    RawConnection connection(hs.port());
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(connection.send_bytes(keep_alive_request("GET", "/f")));
        const auto r = connection.read_response(5s);
        ASSERT_TRUE(r) << "the connection must survive the stub's Connection: close";
        EXPECT_EQ(r->header("Content-Length"), "3");
        EXPECT_EQ(r->header("Transfer-Encoding"), "");
        EXPECT_EQ(r->header("X-Kept"), "yes");
        EXPECT_EQ(r->body, "abc");
    }
}

TEST(MockHomeserverFraming, AClientThatHalfClosesAfterItsRequestStillGetsTheAnswer) {
    MockHomeserver hs(simulated());
    RawConnection connection(hs.port());
    ASSERT_TRUE(connection.send_bytes(keep_alive_request("GET", "/_matrix/client/versions")));
    connection.shut_write();
    const auto r = connection.read_response(5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(connection.closed_by_server(5s));
}

TEST(MockHomeserverConnections, ConnectionsPastTheLimitGet429WithRetryAfterAndAreCounted) {
    MockHomeserverOptions options = simulated();
    options.max_connections = 3;
    MockHomeserver hs(options);
    ASSERT_EQ(hs.connection_limit(), 3u);
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<RawConnection>(hs.port()));
        // An answer on each proves the server has taken it.
        ASSERT_TRUE(open.back()->send_bytes(keep_alive_request("GET", "/_matrix/client/versions")));
        const auto r = open.back()->read_response(5s);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 200);
    }
    const RawResponse refused =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(refused.status, 429) << refused.bytes;
    EXPECT_EQ(refused.header("Retry-After"), "1");
    const auto body = json_of(refused.body);
    ASSERT_TRUE(body.IsObject()) << refused.body;
    EXPECT_STREQ(body["errcode"].GetString(), "M_LIMIT_EXCEEDED");
    EXPECT_EQ(body["retry_after_ms"].GetInt64(), 1000);
    EXPECT_NE(std::string(body["error"].GetString()).find("--max-connections"), std::string::npos);

    open.pop_back();  // one slot free again, once the server has seen the close
    int refusals = 1;
    std::string health_body;
    ASSERT_TRUE(eventually([&] {
        // The health request itself needs a slot; until the close is seen it is refused too.
        const RawResponse r = send_raw(hs.port(), http_request("GET", "/__admin/health"));
        refusals += r.status == 429;
        health_body = r.body;
        return r.status == 200;
    }));
    const auto reported = json_of(health_body);
    EXPECT_EQ(reported["connections"]["refused"].GetInt64(), refusals) << health_body;
    EXPECT_EQ(reported["connections"]["limit"].GetInt64(), 3) << health_body;
    // Each of these requests closes its connection; the server may not have seen the close
    // of the one before when the next arrives, so a 429 in between is allowed.
    EXPECT_TRUE(eventually([&] {
        return send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).status == 200;
    }));
}

TEST(MockHomeserverConnections, HundredsOfHeldSyncsHoldNoThreadAndOneMessageWakesThemAll) {
    // More held syncs than the old HTTP layer had threads (256), on a server with 4 workers.
    constexpr int kHeld = 300;
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < 2 * kHeld + 100) {
        files.rlim_cur = std::min<rlim_t>(files.rlim_max, 2 * kHeld + 100);
        setrlimit(RLIMIT_NOFILE, &files);
    }
    MockHomeserver hs(simulated());
    const auto alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const auto first = json_of(call(hs.port(), "GET", "/_matrix/client/v3/sync", alice.token).body);
    const std::string since = first["next_batch"].GetString();
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < kHeld; ++i) {
        held.push_back(std::make_unique<RawConnection>(hs.port()));
        ASSERT_TRUE(held.back()->send_bytes(
            "GET /_matrix/client/v3/sync?timeout=30000&since=" + since +
            " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token + "\r\n\r\n"));
    }
    ASSERT_TRUE(eventually([&] { return held_syncs(hs) == kHeld; }));
    // Everyone else is still served, by the same four workers.
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).status, 200);
    const RawResponse sent =
        call(hs.port(), "PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/t1",
             alice.token, R"({"msgtype":"m.text","body":"wake up"})");
    ASSERT_EQ(sent.status, 200) << sent.body;
    for (int i = 0; i < kHeld; ++i) {
        const auto r = held[static_cast<std::size_t>(i)]->read_response(10s);
        ASSERT_TRUE(r) << "held sync " << i << " was not answered";
        EXPECT_EQ(r->status, 200);
        EXPECT_NE(r->body.find("wake up"), std::string::npos) << "held sync " << i;
    }
    EXPECT_EQ(held_syncs(hs), 0);
}

TEST(MockHomeserverConnections, AHeldSyncWhoseClientLeavesIsAnsweredIntoTheJournalAtOnce) {
    MockHomeserver hs(simulated());
    const auto alice = add_user(hs, "alice");
    const auto first = json_of(call(hs.port(), "GET", "/_matrix/client/v3/sync", alice.token).body);
    {
        RawConnection connection(hs.port());
        ASSERT_TRUE(connection.send_bytes("GET /_matrix/client/v3/sync?timeout=30000&since=" +
                                          std::string(first["next_batch"].GetString()) +
                                          " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                          alice.token + "\r\n\r\n"));
        ASSERT_TRUE(eventually([&] { return held_syncs(hs) == 1; }));
    }  // the client goes
    ASSERT_TRUE(eventually([&] { return held_syncs(hs) == 0; }, 5s))
        << "the sync stayed held after its client left";
    ASSERT_TRUE(eventually([&] {
        for (const JournalEntry& entry : hs.journal().entries()) {
            for (const std::string& flag : entry.flags) {
                if (flag.find("closed its connection") != std::string::npos) return true;
            }
        }
        return false;
    }));
}

TEST(MockHomeserverConnections, AdminWaitsAndStubDelaysHoldNoWorker) {
    MockHomeserverOptions options;
    options.worker_threads = 2;
    MockHomeserver hs(options);
    hs.add_mapping(R"({"request": {"urlPath": "/slow"},
                       "response": {"status": 200, "fixedDelayMilliseconds": 3000}})");
    std::vector<std::unique_ptr<RawConnection>> waiting;
    for (int i = 0; i < 4; ++i) {  // twice as many waits as workers
        waiting.push_back(std::make_unique<RawConnection>(hs.port()));
        ASSERT_TRUE(waiting.back()->send_bytes(keep_alive_request(
            "POST", "/__admin/requests/wait",
            R"({"request": {"urlPath": "/wanted"}, "count": 1, "timeoutMs": 20000})")));
    }
    for (int i = 0; i < 4; ++i) {
        waiting.push_back(std::make_unique<RawConnection>(hs.port()));
        ASSERT_TRUE(waiting.back()->send_bytes(keep_alive_request("GET", "/slow")));
    }
    std::this_thread::sleep_for(100ms);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/wanted")).status, 404);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "a worker was held";
    for (int i = 0; i < 4; ++i) {
        const auto r = waiting[static_cast<std::size_t>(i)]->read_response(5s);
        ASSERT_TRUE(r) << "wait " << i;
        EXPECT_EQ(r->status, 200);
    }
    for (int i = 4; i < 8; ++i) {
        const auto r = waiting[static_cast<std::size_t>(i)]->read_response(10s);
        ASSERT_TRUE(r) << "delayed " << i;
        EXPECT_EQ(r->status, 200);
    }
}

TEST(MockHomeserverConnections, TheJournalStaysWithinItsByteBoundAndHealthSaysSo) {
    MockHomeserverOptions options;
    options.journal_max_bytes = 100'000;
    MockHomeserver hs(options);
    RawConnection connection(hs.port());
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(connection.send_bytes(
            keep_alive_request("POST", "/blob", "\"" + std::string(20'000, 'a') + "\"")));
        ASSERT_TRUE(connection.read_response(5s));
    }
    EXPECT_LE(hs.journal().bytes(), 100'000u);
    EXPECT_EQ(health(hs, "journal", "max_bytes"), 100'000);
    EXPECT_GE(health(hs, "journal", "evicted"), 15);
    EXPECT_GT(health(hs, "journal", "evicted_bytes"), 15 * 20'000);
    EXPECT_LE(health(hs, "journal", "bytes"), 100'000 + 30'000);  // plus the health request
}

}  // namespace
}  // namespace matrix::mock
