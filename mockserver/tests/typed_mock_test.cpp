// Typed in-process mocks: endpoint constants, build-then-mount, the admin API's copy, guards
// that fail the test when their expectation is unmet, and the GoogleTest matchers and printer.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "matrix/endpoints.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/testing.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using namespace std::chrono_literals;
using testing::http_request;
using testing::RawResponse;
using testing::send_raw;

constexpr const char* kWhoamiV3 = "/_matrix/client/v3/account/whoami";
constexpr const char* kWhoamiR0 = "/_matrix/client/r0/account/whoami";

int get(const MockHomeserver& hs, const std::string& target, std::string_view headers = {}) {
    return send_raw(hs.port(), http_request("GET", target, {}, headers)).status;
}

TEST(TypedMock, AnswersItsEndpointOnEveryPathVersion) {
    MockHomeserver hs;
    const MockGuard guard =
        hs.mock(endpoints::whoami).ok(R"({"user_id":"@a:b"})").expect(exactly(2)).mount();
    const RawResponse v3 = send_raw(hs.port(), http_request("GET", kWhoamiV3));
    EXPECT_EQ(v3.status, 200);
    EXPECT_EQ(Json::parse(v3.body), Json::parse(R"({"user_id":"@a:b"})"));
    EXPECT_EQ(get(hs, kWhoamiR0), 200);
    EXPECT_EQ(get(hs, "/_matrix/client/v3/account/whoamx"), 404);
    EXPECT_EQ(guard.uses(), 2u);
    EXPECT_NO_THROW(guard.verify());
}

TEST(TypedMock, SpecAndSeedNamesOfOneOperationAreTheSameEndpoint) {
    MockHomeserver hs;
    const MockGuard guard = hs.mock(endpoints::get_token_owner).expect(exactly(1)).mount();
    EXPECT_EQ(get(hs, kWhoamiV3), 200);
    // A seed name with two forms covers both; a keyword's constant ends in '_'.
    const MockGuard login = hs.mock(endpoints::login).expect(exactly(2)).mount();
    EXPECT_EQ(get(hs, "/_matrix/client/v3/login"), 200);
    EXPECT_EQ(send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/login", "{}")).status,
              200);
    const MockGuard registration = hs.mock(endpoints::register_).expect(exactly(1)).mount();
    EXPECT_EQ(send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/register", "{}")).status,
              200);
}

TEST(TypedMock, NothingIsMountedUntilMountAndThenTheWholeStubAtOnce) {
    MockHomeserver hs;
    MockBuilder builder = hs.mock(endpoints::sync);
    builder.with_query("since", equal_to("s1")).error("M_UNKNOWN_TOKEN").priority(1).max_uses(3);
    // Built but not mounted: neither listed nor answering.
    EXPECT_TRUE(hs.stubs().list().empty());
    EXPECT_EQ(get(hs, "/_matrix/client/v3/sync?since=s1"), 404);

    const MockGuard guard = builder.mount();
    const std::vector<Stub> listed = hs.stubs().list();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, guard.id());
    EXPECT_EQ(listed[0].priority, 1);
    EXPECT_EQ(listed[0].max_uses, 3u);
    ASSERT_EQ(listed[0].responses.size(), 1u);
    EXPECT_EQ(listed[0].responses[0].status, 401);
    EXPECT_EQ(get(hs, "/_matrix/client/v3/sync?since=s2"), 404);
    EXPECT_EQ(get(hs, "/_matrix/client/v3/sync?since=s1"), 401);
}

TEST(TypedMock, AClientRunningMeanwhileNeverMeetsAHalfBuiltStub) {
    MockHomeserver hs;
    std::atomic<bool> stop = false;
    std::atomic<int> answered_404 = 0;
    std::atomic<int> answered_418 = 0;
    std::set<int> statuses;
    std::thread client([&] {
        while (!stop) {
            const int status = get(hs, kWhoamiV3);
            statuses.insert(status);
            if (status == 404) ++answered_404;
            if (status == 418) ++answered_418;
        }
    });
    // The client is running before set-up starts (its first answer can take a while under a
    // sanitizer), so it has every chance to meet a half-built stub if there were one.
    while (answered_404 < 1) std::this_thread::sleep_for(1ms);
    // Each step takes a while, as a test's setup may: a live stub would answer in between.
    MockBuilder builder = hs.mock(endpoints::whoami);
    std::this_thread::sleep_for(20ms);
    ResponseDefinition teapot;
    teapot.status = 418;
    builder.respond(teapot);
    std::this_thread::sleep_for(20ms);
    builder.with_header("X-Never", absent());
    std::this_thread::sleep_for(20ms);
    const MockGuard guard = builder.mount();
    while (answered_418 < 3) std::this_thread::sleep_for(1ms);
    stop = true;
    client.join();
    EXPECT_EQ(statuses, (std::set<int>{404, 418}));
}

TEST(TypedMock, RespondsInSequenceAndTheLastRepeats) {
    MockHomeserver hs;
    const MockGuard guard =
        hs.mock(endpoints::whoami).error("M_LIMIT_EXCEEDED").then_ok(Json::object({})).mount();
    EXPECT_EQ(get(hs, kWhoamiV3), 429);
    EXPECT_EQ(get(hs, kWhoamiV3), 200);
    EXPECT_EQ(get(hs, kWhoamiV3), 200);
}

TEST(TypedMock, TheGuardUnmountsItsStub) {
    MockHomeserver hs;
    {
        const MockGuard guard = hs.mock(endpoints::whoami).mount();
        EXPECT_EQ(get(hs, kWhoamiV3), 200);
    }
    EXPECT_TRUE(hs.stubs().list().empty());
    EXPECT_EQ(get(hs, kWhoamiV3), 404);
}

TEST(TypedMock, APersistentMockStaysAndOnlyExactCountsAreVerifiedWithoutAGuard) {
    MockHomeserver hs;
    const std::string id = hs.mock(endpoints::whoami).expect(exactly(1)).mount_as_persistent();
    EXPECT_THROW(hs.verify(), VerificationError);
    EXPECT_EQ(get(hs, kWhoamiV3), 200);
    EXPECT_NO_THROW(hs.verify());
    EXPECT_TRUE(hs.stubs().find(id).has_value());
    EXPECT_THROW(hs.mock(endpoints::sync).expect(at_least(1)).mount_as_persistent(),
                 std::logic_error);
}

TEST(TypedMock, RefusesABadRangeAndBadJson) {
    MockHomeserver hs;
    EXPECT_THROW(between(3, 1), std::invalid_argument);
    EXPECT_THROW(hs.mock(endpoints::whoami).ok("{not json"), std::invalid_argument);
    EXPECT_THROW(hs.mock(endpoints::whoami).max_uses(0), std::invalid_argument);
}

// --- the admin API's copy ------------------------------------------------------------------------

Stub admin_copy(const MockHomeserver& hs, const std::string& id) {
    const RawResponse response =
        send_raw(hs.port(), http_request("GET", "/__admin/mappings/" + id));
    EXPECT_EQ(response.status, 200) << response.body;
    return parse_mapping(response.body, "");
}

void expect_same_stub(const Stub& copy, const Stub& stub) {
    EXPECT_EQ(copy.id, stub.id);
    EXPECT_EQ(copy.name, stub.name);
    EXPECT_EQ(copy.priority, stub.priority);
    EXPECT_EQ(copy.max_uses, stub.max_uses);
    EXPECT_EQ(copy.request.to_json(), stub.request.to_json());
    ASSERT_EQ(copy.responses.size(), stub.responses.size());
    for (std::size_t i = 0; i < stub.responses.size(); ++i) {
        EXPECT_EQ(copy.responses[i].status, stub.responses[i].status) << i;
        EXPECT_EQ(copy.responses[i].body, stub.responses[i].body) << i;
        EXPECT_EQ(copy.responses[i].headers, stub.responses[i].headers) << i;
        EXPECT_EQ(copy.responses[i].json, stub.responses[i].json) << i;
        EXPECT_EQ(copy.responses[i].fixed_delay, stub.responses[i].fixed_delay) << i;
        EXPECT_EQ(copy.responses[i].fault, stub.responses[i].fault) << i;
    }
}

TEST(TypedMock, TheAdminCopyIsTheMountedStub) {
    MockHomeserver hs;
    const MockGuard guard = hs.mock(endpoints::send_message)
                                .named("send")
                                .with_query("a", equal_to("1"))
                                .with_query("a", matching("[0-9]+"))
                                .with_header("Authorization", matching("Bearer .*"))
                                .with_body(equal_to_json(Json::parse(R"({"body":"hi"})"), true))
                                .ok(R"({"event_id":"$e"})")
                                .then_error("M_LIMIT_EXCEEDED")
                                .priority(2)
                                .max_uses(4)
                                .mount();
    const std::optional<Stub> stub = hs.stubs().find(guard.id());
    ASSERT_TRUE(stub.has_value());
    expect_same_stub(admin_copy(hs, guard.id()), *stub);
}

TEST(TypedMock, TheAdminCopyHasDelaysFaultsAndSaysWhatABinaryBodyWas) {
    MockHomeserver hs;
    ResponseDefinition slow;
    slow.status = 503;
    slow.body = "busy";
    slow.fixed_delay = 5ms;
    ResponseDefinition reset;
    reset.fault = Fault::connection_reset;
    const MockGuard guard =
        hs.mock(RequestPattern::for_path("GET", "/slow")).respond(slow).then(reset).mount();
    const std::optional<Stub> stub = hs.stubs().find(guard.id());
    ASSERT_TRUE(stub.has_value());
    expect_same_stub(admin_copy(hs, guard.id()), *stub);

    ResponseDefinition binary;
    binary.body = std::string("\xFF\x00\x01", 3);
    const MockGuard bytes =
        hs.mock(RequestPattern::for_path("GET", "/bytes")).respond(binary).mount();
    const Json copy = Json::parse(
        send_raw(hs.port(), http_request("GET", "/__admin/mappings/" + bytes.id())).body);
    EXPECT_THAT(
        copy.text(),
        ::testing::HasSubstr(R"x("binaryBody0":"3 bytes that are not UTF-8 text (not shown)")x"));
}

TEST(TypedMock, OnStubEditsKeepTheAdminCopyInStep) {
    MockHomeserver hs;
    StubHandle handle = hs.on("whoami");
    handle.respond_json(201, R"({"user_id":"@a:b"})").with_header("X-Test", absent()).priority(3);
    const std::optional<Stub> stub = hs.stubs().find(handle.id());
    ASSERT_TRUE(stub.has_value());
    const Stub copy = admin_copy(hs, handle.id());
    expect_same_stub(copy, *stub);
    EXPECT_EQ(copy.responses[0].status, 201);
    EXPECT_EQ(copy.priority, 3);
}

// --- guard verification ------------------------------------------------------------------------

TEST(MockGuardCheck, ASatisfiedExpectationPasses) {
    MockHomeserver hs;
    const MockGuard guard = hs.mock(endpoints::whoami).expect(at_least(1)).mount();
    get(hs, kWhoamiV3);
    get(hs, kWhoamiV3);
    EXPECT_EQ(guard.failure(), std::nullopt);
}

TEST(MockGuardCheck, AnUnmetExpectationFailsTheTestNamingTheNearestRequests) {
    MockHomeserver hs;
    EXPECT_NONFATAL_FAILURE(
        {
            const MockGuard guard = hs.mock(endpoints::whoami).expect(at_least(1)).mount();
            get(hs, "/_matrix/client/v3/account/whoamx");
        },
        "mock whoami (GET endpoint whoami, stub");
    EXPECT_NONFATAL_FAILURE(
        {
            const MockGuard guard = hs.mock(endpoints::whoami).expect(at_least(1)).mount();
            get(hs, "/_matrix/client/v3/account/whoamx");
        },
        "expected at least 1 request, got 0\n  nearest requests:\n    #");
    EXPECT_NONFATAL_FAILURE(
        {
            const MockGuard guard = hs.mock(endpoints::whoami).expect(at_least(1)).mount();
            get(hs, "/_matrix/client/v3/account/whoamx");
        },
        "GET /_matrix/client/v3/account/whoamx -> 404");
    // The guard is gone with its stub either way.
    EXPECT_TRUE(hs.stubs().list().empty());
}

TEST(MockGuardCheck, NeverFailsWhenHitAndListsTheRequestsItAnswered) {
    MockHomeserver hs;
    EXPECT_NONFATAL_FAILURE(
        {
            const MockGuard guard = hs.mock(endpoints::whoami).expect(never()).mount();
            get(hs, kWhoamiR0);
        },
        "expected no request, got 1\n  requests it answered:\n    #1 GET "
        "/_matrix/client/r0/account/whoami -> 200");
}

TEST(MockGuardCheck, BetweenHoldsInsideItsBoundsOnly) {
    MockHomeserver hs;
    {
        const MockGuard guard = hs.mock(endpoints::whoami).expect(between(1, 2)).mount();
        get(hs, kWhoamiV3);
        get(hs, kWhoamiV3);
        EXPECT_EQ(guard.failure(), std::nullopt);
    }
    EXPECT_NONFATAL_FAILURE(
        {
            const MockGuard guard = hs.mock(endpoints::whoami).expect(between(1, 2)).mount();
            for (int i = 0; i < 3; ++i) get(hs, kWhoamiV3);
        },
        "expected between 1 and 2 requests, got 3");
}

TEST(MockGuardCheck, VerifyThrowsTheSameReportAtOnce) {
    MockHomeserver hs;
    const MockGuard guard = hs.mock(endpoints::whoami).expect(exactly(1)).mount();
    try {
        guard.verify();
        ADD_FAILURE() << "verify() should have thrown";
    } catch (const VerificationError& error) {
        EXPECT_THAT(error.what(), ::testing::HasSubstr("expected exactly 1 request, got 0"));
        EXPECT_THAT(error.what(), ::testing::HasSubstr("the journal is empty"));
    }
    get(hs, kWhoamiV3);
    EXPECT_NO_THROW(guard.verify());
}

TEST(MockGuardCheck, AMovedGuardChecksOnce) {
    MockHomeserver hs;
    EXPECT_NONFATAL_FAILURE(
        {
            MockGuard first = hs.mock(endpoints::whoami).expect(exactly(1)).mount();
            const MockGuard second = std::move(first);
        },
        "expected exactly 1 request, got 0");
}

TEST(MockGuardCheck, AGuardOutlivingItsServerSaysSoInsteadOfChecking) {
    EXPECT_NONFATAL_FAILURE(
        {
            std::optional<MockGuard> guard;
            {
                MockHomeserver hs;
                guard.emplace(hs.mock(endpoints::whoami).expect(exactly(1)).mount());
            }
            EXPECT_THROW(static_cast<void>(guard->uses()), std::logic_error);
        },
        "mock whoami expected exactly 1 request, but its MockHomeserver was destroyed before the "
        "guard, so nothing was checked");
}

TEST(MockGuardCheckDeathTest, WithoutGoogleTestsHandlerAnUnmetGuardAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            set_mock_failure_handler({});
            MockHomeserver hs;
            const MockGuard guard = hs.mock(endpoints::whoami).expect(at_least(1)).mount();
        },
        "typed_mock_test.cpp:[0-9]+: mock whoami .* expected at least 1 request, got 0");
}

// --- matchers, printer, wait -------------------------------------------------------------------

class JournalSupport : public ::testing::Test {
  protected:
    JournalEntry invite_entry() {
        send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/rooms/!r:x/invite",
                                         R"({"user_id":"@b:x","reason":"hi"})",
                                         "Authorization: Bearer tok\r\n"));
        const auto entries = hs.journal().entries();
        EXPECT_EQ(entries.size(), 1u);
        return entries.at(0);
    }

    MockHomeserver hs;
};

template <typename M>
std::string explain(const M& matcher, const JournalEntry& entry) {
    ::testing::StringMatchResultListener listener;
    EXPECT_FALSE(matcher.MatchAndExplain(entry, &listener));
    return listener.str();
}

TEST_F(JournalSupport, HasHeaderMatchesByNameAndValue) {
    const MockGuard guard = hs.mock(endpoints::invite_user).mount();
    const JournalEntry entry = invite_entry();
    EXPECT_THAT(entry, HasHeader("authorization"));
    EXPECT_THAT(entry, HasHeader("Authorization", ::testing::StartsWith("Bearer ")));
    EXPECT_THAT(entry, ::testing::Not(HasHeader("X-Missing")));
    EXPECT_EQ(explain(HasHeader("X-Missing"), entry), "which has no X-Missing header");
    EXPECT_EQ(explain(HasHeader("Authorization", ::testing::Eq("Bearer other")), entry),
              "whose Authorization is \"Bearer tok\"");
    EXPECT_EQ(::testing::DescribeMatcher<const JournalEntry&>(
                  HasHeader("Authorization", ::testing::Eq(std::string("x")))),
              "has a Authorization header that is equal to \"x\"");
}

TEST_F(JournalSupport, HasJsonBodyMatchesASubsetOrAJsonMatcher) {
    const JournalEntry entry = invite_entry();
    EXPECT_THAT(entry, HasJsonBody(Json::parse(R"({"user_id":"@b:x"})")));
    EXPECT_EQ(explain(HasJsonBody(Json::parse(R"({"user_id":"@c:x"})")), entry),
              "whose body differs at $.user_id: expected \"@c:x\", got \"@b:x\"");
    EXPECT_THAT(entry, HasJsonBody(::testing::ResultOf(
                           [](const Json& body) { return body.is_object(); }, true)));
    EXPECT_EQ(
        ::testing::DescribeMatcher<const JournalEntry&>(HasJsonBody(Json::parse(R"({"a":1})"))),
        "has a JSON body holding {\"a\":1}");
    JournalEntry not_json = entry;
    not_json.body = SharedBytes(std::string("nope"));
    EXPECT_THAT(explain(HasJsonBody(Json::parse("{}")), not_json),
                ::testing::StartsWith("whose body is not JSON"));
}

TEST_F(JournalSupport, IsOperationNamesTheSpecOperation) {
    const JournalEntry entry = invite_entry();
    EXPECT_THAT(entry, IsOperation(endpoints::invite_user));
    EXPECT_THAT(entry, IsOperation("inviteUser"));
    EXPECT_THAT(entry, IsOperation(endpoints::room_invite));  // the seed's name for it
    EXPECT_EQ(explain(IsOperation(endpoints::whoami), entry), "which is inviteUser");
    EXPECT_EQ(::testing::DescribeMatcher<const JournalEntry&>(IsOperation(endpoints::whoami)),
              "is getTokenOwner (whoami)");
    EXPECT_THROW(IsOperation("inviteUsr"), std::invalid_argument);
}

TEST_F(JournalSupport, PrintsAnEntryWithItsOperationAnswerHeadersAndBody) {
    const MockGuard guard = hs.mock(endpoints::invite_user).mount();
    const std::string printed = ::testing::PrintToString(invite_entry());
    EXPECT_THAT(printed, ::testing::StartsWith("#1 POST /_matrix/client/v3/rooms/!r:x/invite -> "
                                               "200 (inviteUser, stub " +
                                               guard.id() + ")"));
    EXPECT_THAT(printed, ::testing::HasSubstr("\n    Authorization: Bearer tok"));
    EXPECT_THAT(printed, ::testing::HasSubstr(
                             "\n    body (32 bytes): {\"user_id\":\"@b:x\",\"reason\":\"hi\"}"));
    JournalEntry long_body;
    long_body.body = SharedBytes(std::string(500, 'x'));
    EXPECT_THAT(::testing::PrintToString(long_body),
                ::testing::HasSubstr("body (500 bytes): " + std::string(200, 'x') + "..."));
}

TEST_F(JournalSupport, ReceivedRequestsShowsTheJournalWhenTheyDoNotCome) {
    invite_entry();
    EXPECT_TRUE(ReceivedRequests(hs, endpoints::invite_user, 1, 1s));
    const ::testing::AssertionResult missing = ReceivedRequests(hs, endpoints::sync, 1, 50ms);
    EXPECT_FALSE(missing);
    EXPECT_THAT(
        missing.message(),
        ::testing::HasSubstr("expected 1 request(s) matching GET endpoint sync within 50 ms, "
                             "got 0; the journal holds 1:\n  #1 POST "
                             "/_matrix/client/v3/rooms/!r:x/invite -> 404"));
}

// --- the 404 when nothing answers ----------------------------------------------------------------

TEST(UnmatchedRequest, SaysHowToTurnTheSimulationOnWhenItIsOff) {
    MockHomeserver hs;
    const RawResponse response = send_raw(hs.port(), http_request("GET", kWhoamiV3));
    EXPECT_EQ(response.status, 404);
    EXPECT_THAT(response.body, ::testing::HasSubstr("no stubs are mounted"));
    EXPECT_THAT(response.body,
                ::testing::HasSubstr("The simulation is off: turn it on with "
                                     "MockHomeserverOptions::simulation = true in-process, or run "
                                     "matrix-mockserver without --no-simulation"));
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver simulating(options);
    const RawResponse unknown = send_raw(simulating.port(), http_request("GET", "/nowhere"));
    EXPECT_EQ(unknown.status, 404);
    EXPECT_THAT(unknown.body, ::testing::Not(::testing::HasSubstr("simulation is off")));
}

}  // namespace
}  // namespace matrix::mock
