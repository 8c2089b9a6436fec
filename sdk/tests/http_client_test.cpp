// HttpClient against a real mock homeserver: wire bytes, connections, every failure.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "matrix/api.hpp"
#include "matrix/auth.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/homeserver.hpp"

namespace matrix {
namespace {

using mock::Fault;
using mock::JournalEntry;
using mock::MockHomeserver;
using mock::RequestPattern;
using mock::ResponseDefinition;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kToken = "syt_c2VjcmV0_tokenvalue_1234";

// The value of the first header named `name` (case-insensitive) the server received.
std::optional<std::string> received_header(const JournalEntry& entry, std::string_view name) {
    for (const Header& header : entry.headers) {
        if (header.name.size() == name.size() &&
            std::equal(header.name.begin(), header.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return header.value;
        }
    }
    return std::nullopt;
}

// The error a send threw, or a failure when it returned.
TransportError send_failure(HttpClient& client, const Request& request) {
    try {
        const Response response = client.send(request);
        ADD_FAILURE() << "expected a TransportError, got HTTP " << response.status;
    } catch (const TransportError& e) {
        return e;
    }
    return TransportError(TransportErrorKind::other, "<no error>");
}

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

ResponseDefinition fault(Fault kind) {
    ResponseDefinition response;
    response.fault = kind;
    return response;
}

// A base URL where nothing listens: a port a server just gave back.
std::string refused_base_url() {
    MockHomeserver hs;
    const std::string url = hs.url();
    hs.stop();
    return url;
}

// ---- Bytes on the wire -------------------------------------------------------------------------

TEST(HttpClientWire, SendsEachBuiltTargetByteForByte) {
    MockHomeserver hs;
    hs.on(RequestPattern());  // answers everything
    const std::string base = hs.url();
    const std::vector<Request> requests = {
        api::room_state_event(base, kToken, "!room with space:example.org", "m.room/name%",
                              "key/with:colon"),
        api::room_messages(base, kToken, "!r%25:example.org", "s1&next=2+3 4", "b",
                           {.limit = 5, .filter = R"({"types":["m.room.message"],"é":"ü"})"}),
        api::sync(base, kToken, {.filter = "a=b&c", .since = "s 72+x", .timeout = 0}),
        api::send_room_event(base, kToken,
                             RoomEvent{"!abc:example.org", "com.example/custom type", "txn/1 2",
                                       Json::parse(R"({"body":"hi"})")}),
        api::resolve_room_alias(base, "#café:example.org"),
        api::user_directory_search(base, kToken, "ünïcode & more", {.limit = 3}),
    };
    HttpClient client;
    for (const Request& request : requests) client.send(request);

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const WireRequest built = render(requests[i]);
        EXPECT_EQ(entries[i].method, built.method);
        EXPECT_EQ(entries[i].target, built.target) << "request #" << i;
        EXPECT_EQ(entries[i].body, built.body) << "request #" << i;
    }
}

TEST(HttpClientWire, SendsTheEncodersTargetBodyAndHeadersAsTheyAre) {
    MockHomeserver hs;
    hs.on(RequestPattern());  // answers everything
    const std::string base = hs.url();
    const std::vector<EncodedRequest> requests = {
        api::room_messages<EncodedRequest>(base, kToken, "!r%25:example.org", "s1&next=2+3 4", "b",
                                           {.limit = 5}),
        api::send_room_event<EncodedRequest>(
            base, kToken,
            RoomEvent{"!abc:example.org", "m.room.message", "txn/1 2",
                      Json::parse(R"({"body":"hi é"})")},
            {.version = PathVersion::v3}),
        api::upload<EncodedRequest>(base, kToken, "raw\r\nbytes", {.content_type = "text/plain"}),
    };
    HttpClient client;
    for (const EncodedRequest& request : requests) client.send(base, request);

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const WireRequest received = entries[i].wire();
        EXPECT_EQ(received.method, requests[i].method());
        EXPECT_EQ(received.target, requests[i].target());
        EXPECT_EQ(received.body, requests[i].body());
        for (const HeaderView header : requests[i].headers()) {
            bool seen = false;
            for (const Header& got : received.headers) {
                seen = seen || (got.name == header.name && got.value == header.value);
            }
            EXPECT_TRUE(seen) << header.name << " of request " << i;
        }
    }
    bool json_labelled = false;
    for (const Header& header : entries[1].headers) {
        json_labelled =
            json_labelled || (header.name == "Content-Type" && header.value == "application/json");
    }
    EXPECT_TRUE(json_labelled);
}

TEST(HttpClientWire, SendsAJsonBodyLabelledApplicationJson) {
    MockHomeserver hs;
    hs.on("login").respond_json(200, R"({"user_id":"@a:x","access_token":"t","device_id":"D"})");
    HttpClient client;
    const Request request =
        api::login(hs.url(), Auth::login_user("alice", "pw"), {.device_id = "DEV"});
    ASSERT_EQ(request.body_kind, BodyKind::json);
    client.send(request);

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].method, "POST");
    EXPECT_EQ(entries[0].body, request.body);
    EXPECT_EQ(received_header(entries[0], "Content-Type"), "application/json");
    EXPECT_EQ(received_header(entries[0], "Content-Length"), std::to_string(request.body.size()));
}

TEST(HttpClientWire, SendsAnUploadsRawBytesWithItsOwnContentType) {
    MockHomeserver hs;
    hs.on("upload").respond_json(200, R"({"content_uri":"mxc://x/y"})");
    HttpClient client;
    const std::string bytes("\x89PNG\r\n\x1a\n\0\xff binary", 17);
    client.send(
        api::upload(hs.url(), kToken, bytes, {.filename = "a b.png", .content_type = "image/png"}));

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].body, bytes);
    EXPECT_EQ(received_header(entries[0], "Content-Type"), "image/png");
}

TEST(HttpClientWire, SendsAnUploadWithoutContentTypeWhenTheRequestHasNone) {
    MockHomeserver hs;
    hs.on("upload").respond_json(200, R"({"content_uri":"mxc://x/y"})");
    HttpClient client;
    const Request request = api::upload(hs.url(), kToken, "plain bytes");
    ASSERT_EQ(request.header("Content-Type"), nullptr);
    client.send(request);

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].body, "plain bytes");
    EXPECT_EQ(received_header(entries[0], "Content-Type"), std::nullopt)
        << "cpp-httplib would label a string body text/plain";
    EXPECT_EQ(received_header(entries[0], "Content-Length"), "11");
}

TEST(HttpClientWire, SendsTheAuthorizationHeaderAsBuilt) {
    MockHomeserver hs;
    hs.on("whoami").respond_json(200, R"({"user_id":"@a:x"})");
    HttpClient client;
    client.send(api::whoami(hs.url(), kToken));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(received_header(entries[0], "Authorization"), "Bearer " + std::string(kToken));
}

TEST(HttpClientWire, IdentifiesItselfWithTheConfiguredUserAgent) {
    MockHomeserver hs;
    ClientOptions options;
    options.user_agent = "conformance-tests/9.9";
    HttpClient client(options);
    client.send(api::spec_versions(hs.url()));
    HttpClient default_client;
    default_client.send(api::spec_versions(hs.url()));

    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(received_header(entries[0], "User-Agent"), "conformance-tests/9.9");
    EXPECT_EQ(received_header(entries[1], "User-Agent"), ClientOptions{}.user_agent);
}

TEST(HttpClientWire, SendsAGetWithoutBodyOrContentType) {
    MockHomeserver hs;
    HttpClient client;
    client.send(api::joined_rooms(hs.url(), kToken));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].method, "GET");
    EXPECT_EQ(entries[0].body, "");
    EXPECT_EQ(received_header(entries[0], "Content-Type"), std::nullopt);
    EXPECT_EQ(received_header(entries[0], "Content-Length"), std::nullopt);
    EXPECT_EQ(received_header(entries[0], "Transfer-Encoding"), std::nullopt);
}

TEST(HttpClientWire, ReturnsTheStatusHeadersAndBodyOfANon2xxResponseWithoutThrowing) {
    MockHomeserver hs;
    ResponseDefinition teapot;
    teapot.status = 418;
    teapot.headers = {{"X-Reason", "short and stout"}};
    teapot.body = "I'm a teapot";
    hs.on("whoami").respond(teapot);
    HttpClient client;
    const Response response = client.send(api::whoami(hs.url(), kToken));
    EXPECT_EQ(response.status, 418);
    EXPECT_FALSE(response.ok());
    EXPECT_EQ(response.body, "I'm a teapot");
    ASSERT_NE(response.header("x-reason"), nullptr) << "header lookup ignores case";
    EXPECT_EQ(*response.header("X-REASON"), "short and stout");
    EXPECT_EQ(response.attempts, 1);
    EXPECT_TRUE(response.retry_waits.empty());
}

// ---- Connections and base URLs -----------------------------------------------------------------

TEST(HttpClientConnection, ReusesOneKeepAliveConnectionForConsecutiveRequests) {
    MockHomeserver hs;
    HttpClient client;
    for (int i = 0; i < 5; ++i) client.send(api::whoami(hs.url(), kToken));
    client.send(api::create_room(hs.url(), kToken, {.name = "after GETs"}));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 6u);
    for (const JournalEntry& entry : entries)
        EXPECT_EQ(entry.remote, entries[0].remote) << "a new connection was opened";
}

TEST(HttpClientConnection, OpensANewConnectionAfterAFailedOne) {
    MockHomeserver hs;
    hs.on("whoami")
        .respond(fault(Fault::connection_reset))
        .then_respond(ResponseDefinition::json_body(200, Json::parse(R"({"user_id":"@a:x"})")));
    HttpClient client;
    EXPECT_THROW(client.send(api::whoami(hs.url(), kToken)), TransportError);
    EXPECT_EQ(client.send(api::whoami(hs.url(), kToken)).status, 200);
}

TEST(HttpClientConnection, PrependsTheBaseUrlsPathPrefixToEveryTarget) {
    MockHomeserver hs;
    HttpClient client;
    client.send(api::whoami(hs.url() + "/matrix/proxy", kToken));
    client.send(api::sync(hs.url() + "/prefix/", kToken, {.since = "a b"}));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].target, "/matrix/proxy/_matrix/client/r0/account/whoami");
    EXPECT_EQ(entries[1].target, "/prefix/_matrix/client/r0/sync?since=a%20b");
}

TEST(HttpClientConnection, AcceptsAnUpperCaseSchemeAndATrailingSlash) {
    MockHomeserver hs;
    hs.on(RequestPattern());
    HttpClient client;
    const std::string url = "HTTP://127.0.0.1:" + std::to_string(hs.port()) + "/";
    EXPECT_EQ(client.send(api::spec_versions(url)).status, 200);
    EXPECT_EQ(hs.journal().entries().at(0).target, "/_matrix/client/versions");
}

TEST(HttpClientConnection, RefusesUnusableBaseUrlsAsInvalidUrlSayingWhy) {
    HttpClient client;
    struct Case {
        std::string base_url;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"", "is empty"},
        {"ftp://example.org", "only http and https"},
        {"example.org:8008", "no scheme"},
        {"http://", "no host"},
        {"http://:8008", "no host"},
        {"http://example.org:0", "port"},
        {"http://example.org:99999", "port"},
        {"http://example.org:80a", "port"},
        {"http://example.org:", "empty port"},
        {"http://user:pw@example.org", "user info"},
        {"http://example.org/?x=1", "query or fragment"},
        {"http://exa mple.org", "space"},
        {"http://[::1", "IPv6"},
    };
    for (const Case& c : cases) {
        Request request = api::spec_versions("http://placeholder");
        request.base_url = c.base_url;  // past the builder, which refuses some of these itself
        const TransportError error = send_failure(client, request);
        EXPECT_EQ(error.kind(), TransportErrorKind::invalid_url) << c.base_url;
        EXPECT_NE(std::string(error.what()).find(c.says), std::string::npos)
            << c.base_url << " -> " << error.what();
    }
    Request injected = api::spec_versions("http://placeholder");
    injected.base_url = "http://example.org\r\nX-Injected: 1";
    const TransportError error = send_failure(client, injected);
    EXPECT_EQ(error.kind(), TransportErrorKind::invalid_url);
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos)
        << "a CR/LF must not reach the message either: " << error.what();
}

TEST(HttpClientConnection, SendsFromFourThreadsToOneBaseUrlWithoutLosingARequest) {
    MockHomeserver hs;
    hs.on("whoami").respond_json(200, R"({"user_id":"@a:x"})");
    HttpClient client;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                try {
                    if (client.send(api::whoami(hs.url(), kToken)).status == 200) ++ok;
                } catch (const std::exception&) {
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 100);
    EXPECT_EQ(hs.journal().size(), 100u);
}

// ---- Transport failures -----------------------------------------------------------------------

TEST(HttpClientFailure, ReportsConnectionRefusedWhenNothingListens) {
    const std::string base = refused_base_url();
    HttpClient client;
    const TransportError error = send_failure(client, api::sync(base, kToken));
    EXPECT_EQ(error.kind(), TransportErrorKind::connection_refused) << error.what();
    const std::string message = error.what();
    EXPECT_NE(message.find("GET " + base + "/_matrix/client/r0/sync: connection refused"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("is a server listening at " + base.substr(7) + "?"), std::string::npos)
        << message;
}

TEST(HttpClientFailure, ReportsAnUnresolvableHostAsConnectionFailed) {
    HttpClient client;
    const TransportError error =
        send_failure(client, api::spec_versions("http://no-such-host.invalid"));
    EXPECT_EQ(error.kind(), TransportErrorKind::connection_failed) << error.what();
    EXPECT_NE(std::string(error.what()).find("no-such-host.invalid"), std::string::npos)
        << error.what();
}

TEST(HttpClientFailure, ReportsAConnectionResetFaultAsConnectionReset) {
    MockHomeserver hs;
    hs.on("whoami").respond(fault(Fault::connection_reset));
    HttpClient client;
    const TransportError error = send_failure(client, api::whoami(hs.url(), kToken));
    EXPECT_EQ(error.kind(), TransportErrorKind::connection_reset) << error.what();
    EXPECT_NE(std::string(error.what()).find("closed the connection without a response"),
              std::string::npos)
        << error.what();
}

TEST(HttpClientFailure, ReportsAnEmptyResponseFaultAsConnectionReset) {
    MockHomeserver hs;
    hs.on("whoami").respond(fault(Fault::empty_response));
    HttpClient client;
    const TransportError error = send_failure(client, api::whoami(hs.url(), kToken));
    EXPECT_EQ(error.kind(), TransportErrorKind::connection_reset) << error.what();
}

TEST(HttpClientFailure, GivesUpWithATimeoutWhenTheServerAnswersAfterTheReadTimeout) {
    MockHomeserver hs;
    ResponseDefinition slow = ResponseDefinition::json_body(200, Json::parse("{}"));
    slow.fixed_delay = std::chrono::milliseconds(1500);
    hs.on("sync").respond(slow);
    ClientOptions options;
    options.read_timeout = std::chrono::milliseconds(200);
    HttpClient client(options);

    const auto start = Clock::now();
    const TransportError error = send_failure(client, api::sync(hs.url(), kToken));
    const auto elapsed = since(start);
    EXPECT_EQ(error.kind(), TransportErrorKind::timeout) << error.what();
    EXPECT_NE(std::string(error.what()).find("no response within 200 ms (read timeout)"),
              std::string::npos)
        << error.what();
    EXPECT_GE(elapsed, std::chrono::milliseconds(200));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1000)) << "loosely: under 5x the timeout";
}

TEST(HttpClientFailure, ReportsTlsWhenHttpsMeetsAPlainHttpServer) {
    MockHomeserver hs;
    ClientOptions options;
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.read_timeout = std::chrono::milliseconds(2000);
    HttpClient client(options);
    const std::string https = "https://127.0.0.1:" + std::to_string(hs.port());
    const auto start = Clock::now();
    const TransportError error = send_failure(client, api::spec_versions(https));
    EXPECT_EQ(error.kind(), TransportErrorKind::tls) << error.what();
    EXPECT_NE(std::string(error.what()).find("TLS"), std::string::npos) << error.what();
    EXPECT_LT(since(start), std::chrono::milliseconds(5000));
}

TEST(HttpClientFailure, NeverPutsTheAccessTokenInAnErrorMessage) {
    std::vector<std::string> messages;
    {
        HttpClient client;
        messages.push_back(send_failure(client, api::whoami(refused_base_url(), kToken)).what());
        Request bad_url = api::whoami("http://placeholder", kToken);
        bad_url.base_url = "ftp://x";
        messages.push_back(send_failure(client, bad_url).what());
        // The token as a query parameter, as old clients send it.
        Request in_query = api::whoami(refused_base_url(), kToken);
        in_query.query.push_back({"access_token", std::string(kToken)});
        messages.push_back(send_failure(client, in_query).what());
    }
    {
        MockHomeserver hs;
        hs.on("whoami")
            .respond(fault(Fault::connection_reset))
            .then_respond(ResponseDefinition::matrix_error("M_UNKNOWN_TOKEN"));
        HttpClient client;
        messages.push_back(send_failure(client, api::whoami(hs.url(), kToken)).what());
        const Response response = client.send(api::whoami(hs.url(), kToken));
        messages.push_back(MatrixApiError(*response.matrix_error()).what());
    }
    for (const std::string& message : messages)
        EXPECT_EQ(message.find(kToken), std::string::npos) << message;
}

// ---- Reading responses ------------------------------------------------------------------------

TEST(HttpClientResponse, ParsesAJsonBodyOnDemand) {
    MockHomeserver hs;
    hs.on("whoami").respond_json(200, R"({"user_id":"@a:x","extra":[1,2]})");
    HttpClient client;
    const Response response = client.send(api::whoami(hs.url(), kToken));
    EXPECT_EQ(response.json(), Json::parse(R"({"extra":[1,2],"user_id":"@a:x"})"));
    EXPECT_EQ(response.matrix_error(), std::nullopt) << "a 2xx carries no Matrix error";
}

TEST(HttpClientResponse, JsonOfANonJsonBodyThrowsResponseErrorSayingWhereAndWhat) {
    MockHomeserver hs;
    ResponseDefinition html;
    html.status = 200;
    html.body = "<html>\n<body>Bad gateway</body></html>";
    hs.on("whoami").respond(html);
    HttpClient client;
    const Response response = client.send(api::whoami(hs.url(), kToken));
    try {
        response.json();
        FAIL() << "expected ResponseError";
    } catch (const ResponseError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("HTTP 200"), std::string::npos) << message;
        EXPECT_NE(message.find("is not JSON: Invalid value at byte 0"), std::string::npos)
            << message;
        EXPECT_NE(message.find("<html>\\n<body>"), std::string::npos) << message;
    }
}

TEST(HttpClientResponse, JsonOfAnEmptyOrTruncatedBodyThrowsResponseError) {
    Response empty;
    empty.status = 200;
    EXPECT_THROW(empty.json(), ResponseError);
    Response truncated;
    truncated.status = 200;
    truncated.body = R"({"user_id": "@a:x")";
    try {
        truncated.json();
        FAIL() << "expected ResponseError";
    } catch (const ResponseError& e) {
        EXPECT_NE(std::string(e.what()).find("at byte 18"), std::string::npos) << e.what();
    }
}

struct CannedErrorCase {
    std::string errcode;
    int status;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const CannedErrorCase& c, std::ostream* out) { *out << c.errcode; }

class HttpClientCannedError : public ::testing::TestWithParam<CannedErrorCase> {};

TEST_P(HttpClientCannedError, ReadsTheErrcodeAndSentenceOfEachCannedError) {
    MockHomeserver hs;
    hs.on("whoami").respond(ResponseDefinition::matrix_error(GetParam().errcode, "it failed"));
    HttpClient client;
    const Response response = client.send(api::whoami(hs.url(), kToken));
    EXPECT_EQ(response.status, GetParam().status);
    const std::optional<MatrixError> error = response.matrix_error();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status, GetParam().status);
    EXPECT_EQ(error->errcode, GetParam().errcode);
    EXPECT_EQ(error->error, "it failed");
    EXPECT_EQ(MatrixApiError(*error).what(), "HTTP " + std::to_string(GetParam().status) + " " +
                                                 GetParam().errcode + ": it failed");
}

INSTANTIATE_TEST_SUITE_P(EachErrcode, HttpClientCannedError,
                         ::testing::Values(CannedErrorCase{"M_FORBIDDEN", 403},
                                           CannedErrorCase{"M_NOT_FOUND", 404},
                                           CannedErrorCase{"M_TOO_LARGE", 413},
                                           CannedErrorCase{"M_BAD_JSON", 400},
                                           CannedErrorCase{"M_UNKNOWN_TOKEN", 401},
                                           CannedErrorCase{"M_LIMIT_EXCEEDED", 429}),
                         [](const auto& param_info) { return param_info.param.errcode; });

TEST(HttpClientResponse, ReadsRetryAfterMsAndTheRetryAfterHeaderOfARateLimit) {
    MockHomeserver hs;
    hs.on("whoami").respond(ResponseDefinition::matrix_error("M_LIMIT_EXCEEDED", "", 1500));
    HttpClient client;
    const std::optional<MatrixError> error =
        client.send(api::whoami(hs.url(), kToken)).matrix_error();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status, 429);
    EXPECT_EQ(error->errcode, "M_LIMIT_EXCEEDED");
    EXPECT_EQ(error->retry_after_ms, 1500);
    EXPECT_EQ(error->retry_after, std::chrono::seconds(2)) << "the mock rounds seconds up";
}

TEST(HttpClientResponse, ReadsSoftLogoutOfAnUnknownToken) {
    MockHomeserver hs;
    hs.on("whoami").respond(
        ResponseDefinition::matrix_error("M_UNKNOWN_TOKEN", "expired", std::nullopt, true));
    HttpClient client;
    const std::optional<MatrixError> error =
        client.send(api::whoami(hs.url(), kToken)).matrix_error();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status, 401);
    EXPECT_EQ(error->soft_logout, true);
    EXPECT_EQ(error->retry_after_ms, std::nullopt);
    EXPECT_EQ(error->retry_after, std::nullopt);
}

TEST(HttpClientResponse, ReadsANonMatrix500AsMUnknownCarryingTheBody) {
    MockHomeserver hs;
    ResponseDefinition crash;
    crash.status = 500;
    crash.body = "Internal Server Error\n";
    hs.on("whoami").respond(crash);
    HttpClient client;
    const std::optional<MatrixError> error =
        client.send(api::whoami(hs.url(), kToken)).matrix_error();
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status, 500);
    EXPECT_EQ(error->errcode, "M_UNKNOWN");
    EXPECT_EQ(error->error, "Internal Server Error\\n");
}

TEST(HttpClientResponse, ReadsAJsonErrorWithoutErrcodeOrWithAnEmptyBodyAsMUnknown) {
    Response no_errcode;
    no_errcode.status = 502;
    no_errcode.body = R"({"message":"upstream down"})";
    EXPECT_EQ(no_errcode.matrix_error()->errcode, "M_UNKNOWN");
    EXPECT_EQ(no_errcode.matrix_error()->error, R"({"message":"upstream down"})");
    Response empty;
    empty.status = 503;
    EXPECT_EQ(empty.matrix_error()->errcode, "M_UNKNOWN");
    EXPECT_EQ(empty.matrix_error()->error, "HTTP 503 with an empty body");
}

TEST(HttpClientResponse, IgnoresARetryAfterHeaderThatIsAnHttpDate) {
    Response response;
    response.status = 503;
    response.headers = {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}};
    EXPECT_EQ(response.matrix_error()->retry_after, std::nullopt);
    response.headers = {{"retry-after", " 7 "}};
    EXPECT_EQ(response.matrix_error()->retry_after, std::chrono::seconds(7));
}

}  // namespace
}  // namespace matrix
