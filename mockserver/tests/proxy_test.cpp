// --proxy-to in-process: what no stub matches is answered by the upstream homeserver, stubs
// still win, an unreachable upstream gives 502, and a request held upstream holds no worker.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::send_raw;

MockHomeserverOptions proxy_to(const std::string& url) {
    MockHomeserverOptions options;
    options.proxy_to = url;
    return options;
}

std::string header_value(const JournalEntry& entry, std::string_view name) {
    for (const Header& header : entry.headers) {
        if (header_name_equals(header.name, name)) return header.value;
    }
    return {};
}

TEST(Proxy, ForwardsWhatNoStubMatchesByteForByteAndJournalsWhoAnswered) {
    MockHomeserver upstream(MockHomeserverOptions{.simulation = true});
    const Session alice = upstream.add_user("alice", "secret");
    MockHomeserver front(proxy_to(upstream.url()));

    const std::string target = "/_matrix/client/v3/account/whoami?x=%41%2b";
    const testing::RawResponse answer = send_raw(
        front.port(), http_request("GET", target, {},
                                   "Authorization: Bearer " + alice.access_token +
                                       "\r\nConnection: X-Hop\r\nX-Hop: 1\r\nX-End: 2\r\n"));
    EXPECT_EQ(answer.status, 200) << answer.bytes;
    EXPECT_NE(answer.body.find(R"("user_id":"@alice:localhost")"), std::string::npos)
        << answer.body;
    EXPECT_EQ(answer.header("Content-Type"), "application/json");

    const std::vector<JournalEntry> arrived = upstream.journal().entries();
    ASSERT_EQ(arrived.size(), 1u);
    EXPECT_EQ(arrived[0].target, target);  // not re-encoded
    EXPECT_EQ(header_value(arrived[0], "Authorization"), "Bearer " + alice.access_token);
    EXPECT_EQ(header_value(arrived[0], "Host"), "127.0.0.1:" + std::to_string(upstream.port()));
    // The client's hop, not forwarded: Connection, and the headers it names.
    EXPECT_EQ(header_value(arrived[0], "Connection"), "");
    EXPECT_EQ(header_value(arrived[0], "X-Hop"), "");
    EXPECT_EQ(header_value(arrived[0], "X-End"), "2");

    const std::vector<JournalEntry> journaled = front.journal().entries();
    ASSERT_EQ(journaled.size(), 1u);
    EXPECT_EQ(journaled[0].proxied_to, upstream.url());
    EXPECT_EQ(journaled[0].answerer, Answerer::proxy);
    EXPECT_NE(to_json(journaled[0]).find(R"("answered_by":"proxy")"), std::string::npos);
    EXPECT_EQ(journaled[0].status, 200);
    EXPECT_NE(to_json(journaled[0]).find(R"("proxied_to":")" + upstream.url()), std::string::npos);
    EXPECT_TRUE(front.journal().unmatched().empty());
}

TEST(Proxy, StubsStillWinOverTheUpstream) {
    MockHomeserver upstream(MockHomeserverOptions{.simulation = true});
    MockHomeserver front(proxy_to(upstream.url()));
    front.on(RequestPattern::for_path("GET", "/_matrix/client/versions"))
        .respond_json(200, R"({"versions":["stubbed"]})");
    const testing::RawResponse answer =
        send_raw(front.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(answer.body, R"({"versions":["stubbed"]})");
    EXPECT_TRUE(upstream.journal().entries().empty());
}

TEST(Proxy, AnUnreachableUpstreamGives502NamingIt) {
    // A port nothing listens on: one a server just gave up.
    std::string gone;
    {
        MockHomeserver closed;
        gone = closed.url();
    }
    MockHomeserver front(proxy_to(gone));
    const testing::RawResponse answer =
        send_raw(front.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(answer.status, 502);
    EXPECT_NE(answer.body.find(R"("errcode":"M_UNKNOWN")"), std::string::npos) << answer.body;
    EXPECT_NE(answer.body.find("upstream " + gone + " unreachable"), std::string::npos)
        << answer.body;
}

TEST(Proxy, HttpsAndARecordFolderWithoutUpstreamAreRefusedAtStart) {
    try {
        MockHomeserver front(proxy_to("https://matrix.org"));
        FAIL() << "https accepted";
    } catch (const StartError& e) {
        EXPECT_NE(std::string(e.what()).find("https is not supported"), std::string::npos);
    }
    MockHomeserverOptions record_only;
    record_only.record_dir = "/tmp/never-written";
    EXPECT_THROW(MockHomeserver{record_only}, StartError);
}

// One worker: a /sync held upstream for seconds must not keep it from other clients.
TEST(Proxy, ARequestHeldUpstreamHoldsNoWorker) {
    MockHomeserver upstream(MockHomeserverOptions{.simulation = true});
    const Session alice = upstream.add_user("alice", "secret");
    MockHomeserverOptions options = proxy_to(upstream.url());
    options.worker_threads = 1;
    MockHomeserver front(options);
    const std::string auth = "Authorization: Bearer " + alice.access_token + "\r\n";
    const std::string first_batch = [&] {
        const auto body =
            send_raw(front.port(), http_request("GET", "/_matrix/client/v3/sync", {}, auth)).body;
        const std::size_t start = body.find(R"("next_batch":")") + 14;
        return body.substr(start, body.find('"', start) - start);
    }();
    auto held = std::async(std::launch::async, [&] {
        return send_raw(
            front.port(),
            http_request("GET", "/_matrix/client/v3/sync?timeout=3000&since=" + first_batch, {},
                         auth));
    });
    // Wait until upstream holds it.
    for (int i = 0; i < 200 && upstream.simulation()->held_count() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto started = std::chrono::steady_clock::now();
    const testing::RawResponse quick =
        send_raw(front.port(), http_request("GET", "/_matrix/client/versions"));
    EXPECT_EQ(quick.status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
    EXPECT_EQ(held.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "the held sync was answered before the other request";
    EXPECT_EQ(held.get().status, 200);
}

}  // namespace
}  // namespace matrix::mock
