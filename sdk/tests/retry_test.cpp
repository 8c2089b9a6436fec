// The retry policy against the mock's canned errors, sequences and faults, waits measured.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "matrix/api.hpp"
#include "matrix/client.hpp"
#include "matrix/mock/homeserver.hpp"

namespace matrix {
namespace {

using mock::Fault;
using mock::MockHomeserver;
using mock::ResponseDefinition;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Waits = std::vector<milliseconds>;

constexpr std::string_view kToken = "retry_test_token";
// What a send adds to the wait itself: two round trips on loopback and thread wake-ups.
constexpr milliseconds kOverhead{50};

ResponseDefinition ok_json(std::string_view json = "{}") {
    return ResponseDefinition::json_body(200, Json::parse(json));
}

ResponseDefinition status_only(int status) {
    ResponseDefinition response;
    response.status = status;
    response.body = "try again later";
    return response;
}

ResponseDefinition fault(Fault kind) {
    ResponseDefinition response;
    response.fault = kind;
    return response;
}

ResponseDefinition rate_limited(std::int64_t retry_after_ms) {
    return ResponseDefinition::matrix_error("M_LIMIT_EXCEEDED", "slow down", retry_after_ms);
}

ClientOptions retrying(int max_attempts = 3) {
    ClientOptions options;
    options.retry.enabled = true;
    options.retry.max_attempts = max_attempts;
    return options;
}

// A client whose waits are recorded instead of slept.
struct RecordingClient {
    Waits slept;
    HttpClient client;
    explicit RecordingClient(ClientOptions options)
        : client(with_hook(std::move(options), slept)) {}

    static ClientOptions with_hook(ClientOptions options, Waits& slept) {
        options.sleep = [&slept](milliseconds wait) { slept.push_back(wait); };
        return options;
    }
};

milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

// The acceptance: the measured wait is within 20% of what was asked, plus loopback overhead.
void expect_waited(milliseconds elapsed, milliseconds asked) {
    std::cout << "[ measured ] planned " << asked.count() << " ms, send() took " << elapsed.count()
              << " ms\n";
    EXPECT_GE(elapsed, asked);
    EXPECT_LE(elapsed, asked + asked / 5 + kOverhead);
}

TEST(RetryPolicy, IsOffByDefaultSoA429ComesBackAtOnce) {
    MockHomeserver hs;
    hs.on("whoami").respond(rate_limited(300)).then_respond(ok_json());
    HttpClient client;
    const auto start = Clock::now();
    const Response response = client.send(api::whoami(hs.url(), kToken));
    EXPECT_LT(since(start), milliseconds(250));
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(response.attempts, 1);
    EXPECT_TRUE(response.retry_waits.empty());
    EXPECT_EQ(hs.journal().size(), 1u);
}

TEST(RetryPolicy, WaitsTheRetryAfterMsA429AsksForThenRetriesOnce) {
    MockHomeserver hs;
    // The canned error also says Retry-After: 1; retry_after_ms is the more precise and wins.
    hs.on("whoami").respond(rate_limited(300)).then_respond(ok_json(R"({"user_id":"@a:x"})"));
    HttpClient client(retrying());
    const auto start = Clock::now();
    const Response response = client.send(api::whoami(hs.url(), kToken));
    const milliseconds elapsed = since(start);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 2);
    EXPECT_EQ(response.retry_waits, Waits{milliseconds(300)});
    EXPECT_EQ(hs.journal().size(), 2u);
    expect_waited(elapsed, milliseconds(300));
}

TEST(RetryPolicy, WaitsTheRetryAfterHeaderWhenTheBodyGivesNoRetryAfterMs) {
    MockHomeserver hs;
    ResponseDefinition limited;
    limited.status = 429;
    limited.headers = {{"Retry-After", "1"}};
    limited.body = R"({"errcode":"M_LIMIT_EXCEEDED","error":"slow down"})";
    limited.json = true;
    hs.on("whoami").respond(limited).then_respond(ok_json());
    HttpClient client(retrying());
    const auto start = Clock::now();
    const Response response = client.send(api::whoami(hs.url(), kToken));
    const milliseconds elapsed = since(start);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.retry_waits, Waits{milliseconds(1000)});
    expect_waited(elapsed, milliseconds(1000));
}

TEST(RetryPolicy, BacksOffExponentiallyAfter5xxAndReallyWaits) {
    MockHomeserver hs;
    hs.on("whoami")
        .respond(status_only(503))
        .then_respond(status_only(502))
        .then_respond(ok_json());
    ClientOptions options = retrying();
    options.retry.initial_backoff = milliseconds(100);
    HttpClient client(options);
    const auto start = Clock::now();
    const Response response = client.send(api::whoami(hs.url(), kToken));
    const milliseconds elapsed = since(start);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 3);
    EXPECT_EQ(response.retry_waits, (Waits{milliseconds(100), milliseconds(200)}));
    expect_waited(elapsed, milliseconds(300));
}

TEST(RetryPolicy, CapsTheBackoffAtMaxBackoff) {
    MockHomeserver hs;
    hs.on("whoami")
        .respond(status_only(500))
        .then_respond(status_only(500))
        .then_respond(status_only(500))
        .then_respond(status_only(500))
        .then_respond(ok_json());
    ClientOptions options = retrying(5);
    options.retry.initial_backoff = milliseconds(100);
    options.retry.backoff_multiplier = 2.0;
    options.retry.max_backoff = milliseconds(300);
    RecordingClient recording(options);
    const Response response = recording.client.send(api::whoami(hs.url(), kToken));
    EXPECT_EQ(response.status, 200);
    const Waits expected = {milliseconds(100), milliseconds(200), milliseconds(300),
                            milliseconds(300)};
    EXPECT_EQ(response.retry_waits, expected);
    EXPECT_EQ(recording.slept, expected) << "the sleep hook sees every planned wait";
}

TEST(RetryPolicy, NeverSendsMoreThanMaxAttempts) {
    MockHomeserver hs;
    hs.on("whoami").respond(status_only(503));
    RecordingClient recording(retrying(3));
    const Response response = recording.client.send(api::whoami(hs.url(), kToken));
    EXPECT_EQ(response.status, 503) << "the last answer is returned";
    EXPECT_EQ(response.attempts, 3);
    EXPECT_EQ(response.retry_waits.size(), 2u);
    EXPECT_EQ(hs.journal().size(), 3u);
}

TEST(RetryPolicy, ThrowsAfterTheLastAttemptSayingHowManyWereMade) {
    MockHomeserver hs;
    hs.on("whoami").respond(fault(Fault::connection_reset));
    RecordingClient recording(retrying(3));
    try {
        recording.client.send(api::whoami(hs.url(), kToken));
        FAIL() << "expected a TransportError";
    } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), TransportErrorKind::connection_reset);
        EXPECT_NE(std::string(e.what()).find("(after 3 attempts)"), std::string::npos) << e.what();
    }
    EXPECT_EQ(hs.journal().size(), 3u);
    EXPECT_EQ(recording.slept.size(), 2u);
}

TEST(RetryPolicy, RetriesARefusedConnectionAndThenReportsIt) {
    std::string base;
    {
        MockHomeserver gone;
        base = gone.url();
    }
    RecordingClient recording(retrying(2));
    try {
        recording.client.send(api::whoami(base, kToken));
        FAIL() << "expected a TransportError";
    } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), TransportErrorKind::connection_refused) << e.what();
        EXPECT_NE(std::string(e.what()).find("(after 2 attempts)"), std::string::npos) << e.what();
    }
    EXPECT_EQ(recording.slept, Waits{milliseconds(500)}) << "the default initial backoff";
}

TEST(RetryPolicy, DoesNotRetryAPostAfterA503ByDefault) {
    MockHomeserver hs;
    hs.on("create_room").respond(status_only(503)).then_respond(ok_json(R"({"room_id":"!r:x"})"));
    RecordingClient recording(retrying());
    const Response response = recording.client.send(api::create_room(hs.url(), kToken));
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.attempts, 1);
    EXPECT_EQ(hs.journal().size(), 1u) << "a POST may have been applied; sending it again "
                                          "could create a second room";
}

TEST(RetryPolicy, RetriesAPostAfterA503WhenNonIdempotentRetriesAreAllowed) {
    MockHomeserver hs;
    hs.on("create_room").respond(status_only(503)).then_respond(ok_json(R"({"room_id":"!r:x"})"));
    ClientOptions options = retrying();
    options.retry.retry_non_idempotent = true;
    RecordingClient recording(options);
    const Response response = recording.client.send(api::create_room(hs.url(), kToken));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 2);
    EXPECT_EQ(hs.journal().size(), 2u);
}

TEST(RetryPolicy, DoesNotRetryAPostAfterAConnectionResetByDefault) {
    MockHomeserver hs;
    hs.on("create_room").respond(fault(Fault::connection_reset)).then_respond(ok_json());
    RecordingClient recording(retrying());
    EXPECT_THROW(recording.client.send(api::create_room(hs.url(), kToken)), TransportError);
    EXPECT_EQ(hs.journal().size(), 1u);
}

TEST(RetryPolicy, RetriesA429ForAPostBecauseTheServerDidNotProcessIt) {
    MockHomeserver hs;
    hs.on("create_room").respond(rate_limited(40)).then_respond(ok_json(R"({"room_id":"!r:x"})"));
    RecordingClient recording(retrying());
    const Response response = recording.client.send(api::create_room(hs.url(), kToken));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(recording.slept, Waits{milliseconds(40)});
}

TEST(RetryPolicy, ResendsAPutSendAfterAResetWithTheSameTransactionIdAndBody) {
    MockHomeserver hs;
    hs.on("send_room_event")
        .respond(fault(Fault::connection_reset))
        .then_respond(ok_json(R"({"event_id":"$e1"})"));
    RecordingClient recording(retrying());
    const Request request = api::send_room_event(
        hs.url(), kToken,
        RoomEvent::message("!room:example.org", MessageType::text, "hello", "txn-42"));
    const Response response = recording.client.send(request);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 2);
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].method, "PUT");
    EXPECT_NE(entries[0].target.find("/send/m.room.message/txn-42"), std::string::npos)
        << entries[0].target;
    EXPECT_EQ(entries[1].target, entries[0].target) << "the same transaction id";
    EXPECT_EQ(entries[1].body, entries[0].body);
}

TEST(RetryPolicy, ResendsARedactionAfterA502WithTheSameTransactionId) {
    MockHomeserver hs;
    hs.on("redact_room_event")
        .respond(status_only(502))
        .then_respond(ok_json(R"({"event_id":"$r"})"));
    RecordingClient recording(retrying());
    const Response response = recording.client.send(api::redact_room_event(
        hs.url(), kToken, "!room:x", "$event:x", "redact-7", {.reason = "spam"}));
    EXPECT_EQ(response.status, 200);
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].target, entries[0].target);
    EXPECT_EQ(entries[1].body, entries[0].body);
}

TEST(RetryPolicy, ReturnsA429AtOnceWhenTheServerAsksForMoreThanMaxRateLimitWait) {
    MockHomeserver hs;
    hs.on("whoami").respond(rate_limited(5000)).then_respond(ok_json());
    ClientOptions options = retrying();
    options.retry.max_rate_limit_wait = milliseconds(1000);
    HttpClient client(options);
    const auto start = Clock::now();
    const Response response = client.send(api::whoami(hs.url(), kToken));
    EXPECT_LT(since(start), milliseconds(250));
    EXPECT_EQ(response.status, 429);
    EXPECT_EQ(response.matrix_error()->retry_after_ms, 5000);
    EXPECT_EQ(response.attempts, 1);
    EXPECT_TRUE(response.retry_waits.empty());
    EXPECT_EQ(hs.journal().size(), 1u);
}

TEST(RetryPolicy, BacksOffOnA429ThatSaysNothingAboutWhen) {
    MockHomeserver hs;
    ResponseDefinition bare;
    bare.status = 429;
    bare.body = R"({"errcode":"M_LIMIT_EXCEEDED"})";
    hs.on("whoami").respond(bare).then_respond(ok_json());
    ClientOptions options = retrying();
    options.retry.initial_backoff = milliseconds(70);
    RecordingClient recording(options);
    EXPECT_EQ(recording.client.send(api::whoami(hs.url(), kToken)).status, 200);
    EXPECT_EQ(recording.slept, Waits{milliseconds(70)});
}

TEST(RetryPolicy, PassesEveryPlannedWaitToTheSleepHookInsteadOfSleeping) {
    MockHomeserver hs;
    hs.on("whoami")
        .respond(rate_limited(2500))
        .then_respond(status_only(500))
        .then_respond(ok_json());
    ClientOptions options = retrying();
    options.retry.initial_backoff = milliseconds(1200);
    RecordingClient recording(options);
    const auto start = Clock::now();
    const Response response = recording.client.send(api::whoami(hs.url(), kToken));
    EXPECT_LT(since(start), milliseconds(500)) << "the hook replaces the sleep";
    EXPECT_EQ(response.status, 200);
    const Waits expected = {milliseconds(2500), milliseconds(1200)};
    EXPECT_EQ(recording.slept, expected);
    EXPECT_EQ(response.retry_waits, expected);
}

TEST(RetryPolicy, DoesNotRetryOther4xxAnswers) {
    MockHomeserver hs;
    hs.on("whoami")
        .respond(ResponseDefinition::matrix_error("M_FORBIDDEN"))
        .then_respond(ok_json());
    RecordingClient recording(retrying());
    EXPECT_EQ(recording.client.send(api::whoami(hs.url(), kToken)).status, 403);
    EXPECT_EQ(hs.journal().size(), 1u);
    EXPECT_TRUE(recording.slept.empty());
}

TEST(RetryPolicy, DoesNotRetryATlsFailure) {
    MockHomeserver hs;
    RecordingClient recording(retrying());
    const std::string https = "https://127.0.0.1:" + std::to_string(hs.port());
    EXPECT_THROW(recording.client.send(api::spec_versions(https)), TransportError);
    EXPECT_TRUE(recording.slept.empty()) << "the same handshake would fail the same way";
}

}  // namespace
}  // namespace matrix
