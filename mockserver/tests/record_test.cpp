// Recording proxied exchanges (--record): secrets scrubbed, ids pseudonymised consistently, one
// mapping file per distinct request, and the files replay the requests a client makes again.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exchange_recorder.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/stub.hpp"
#include "matrix/operation_match.hpp"
#include "proxy_forwarder.hpp"
#include "record_pseudonyms.hpp"
#include "record_secrets.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;

TEST(Pseudonyms, ReplaceUserRoomAndEventIdsTheSameWayEverywhere) {
    Pseudonyms pseudonyms;
    EXPECT_EQ(pseudonyms.in_text("@alice:hs.example.org"), "@user-1:hs.example.org");
    EXPECT_EQ(pseudonyms.in_text("!AbCdEf:hs.example.org"), "!room-1:hs.example.org");
    EXPECT_EQ(pseudonyms.in_text("$ev3nt:hs.example.org"), "$event-1:hs.example.org");
    EXPECT_EQ(pseudonyms.in_text("@bob:localhost:8448 invited @alice:hs.example.org."),
              "@user-2:localhost:8448 invited @user-1:hs.example.org.");
    EXPECT_EQ(pseudonyms.in_text("https://matrix.to/#/!AbCdEf:hs.example.org?via=hs.example.org"),
              "https://matrix.to/#/!room-1:hs.example.org?via=hs.example.org");
    // A room version 3+ event id has no server name.
    EXPECT_EQ(pseudonyms.in_text("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"), "$event-2");
    EXPECT_EQ(pseudonyms.size(), 5u);
}

TEST(Pseudonyms, LeaveWhatIsNoIdAlone) {
    Pseudonyms pseudonyms;
    for (const std::string text : {"mail bob@example.org", "costs $5", "$.type", "hello!", "@alice",
                                   "the session s72_0_1", "mail a@b.c:8080"}) {
        EXPECT_EQ(pseudonyms.in_text(text), text);
    }
    EXPECT_EQ(pseudonyms.size(), 0u);
}

TEST(Pseudonyms, ReplaceIdsInObjectKeysAndNestedValues) {
    Pseudonyms pseudonyms;
    const Json sync = Json::parse(
        R"({"rooms":{"join":{"!r:hs":{"timeline":{"events":[{"sender":"@a:hs","event_id":"$e:hs",
            "origin_server_ts":1.50,"content":{"body":"hi @a:hs"}}]}}}},"next_batch":"s1"})");
    EXPECT_EQ(
        pseudonyms.in_json(sync).text(),
        R"({"rooms":{"join":{"!room-1:hs":{"timeline":{"events":[{"sender":"@user-1:hs",)"
        R"("event_id":"$event-1:hs","origin_server_ts":1.50,"content":{"body":"hi @user-1:hs"}}]}}}},)"
        R"("next_batch":"s1"})");
}

TEST(RecordSecrets, RequestBodiesLoseEverySecretMemberAtAnyDepth) {
    const Json body = Json::parse(
        R"({"auth":{"type":"m.login.password","password":"hunter2","session":"S1"},
            "new_password":"n3w","logout_devices":false,"token":"t"})");
    EXPECT_EQ(without_secrets(body).text(),
              R"({"auth":{"type":"m.login.password","session":"S1"},"logout_devices":false})");
}

TEST(RecordSecrets, AnswersGetOnePlaceholderPerSecret) {
    SecretPlaceholders placeholders;
    const Json first = placeholders.in_json(
        Json::parse(R"({"access_token":"syt_A","refresh_token":"r","device_id":"D"})"));
    EXPECT_EQ(
        first.text(),
        R"({"access_token":"scrubbed-access_token-1","refresh_token":"scrubbed-refresh_token-1","device_id":"D"})");
    const Json again = placeholders.in_json(Json::parse(R"([{"access_token":"syt_A"},
        {"access_token":"syt_B"},{"password":{"not":"a string"}}])"));
    EXPECT_EQ(
        again.text(),
        R"([{"access_token":"scrubbed-access_token-1"},{"access_token":"scrubbed-access_token-2"},{"password":null}])");
}

TEST(UpstreamUrl, AcceptsHttpWithPortAndPrefixAndRefusesHttpsClearly) {
    const UpstreamUrl url = parse_upstream_url("http://127.0.0.1:8008/matrix/");
    EXPECT_EQ(url.host, "127.0.0.1");
    EXPECT_EQ(url.port, 8008);
    EXPECT_EQ(url.path_prefix, "/matrix");
    EXPECT_EQ(url.text, "http://127.0.0.1:8008/matrix");
    EXPECT_EQ(parse_upstream_url("http://[::1]").port, 80);
    try {
        parse_upstream_url("https://matrix.org");
        FAIL() << "https accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("https is not supported"), std::string::npos);
    }
    EXPECT_THROW(parse_upstream_url("http://host:99999"), std::invalid_argument);
    EXPECT_THROW(parse_upstream_url("ftp://host"), std::invalid_argument);
    EXPECT_THROW(parse_upstream_url("http://"), std::invalid_argument);
}

// --- the recorder -------------------------------------------------------------------------

fs::path fresh_dir(const std::string& name) {
    const fs::path dir =
        fs::temp_directory_path() / ("record-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    return dir;
}

JournalEntry request(std::string method, std::string target, std::string body = {},
                     std::vector<Header> headers = {}) {
    JournalEntry entry;
    entry.method = std::move(method);
    entry.target = std::move(target);
    entry.headers = std::move(headers);
    entry.body = SharedBytes(std::move(body));
    split_target(entry);
    if (const auto match = match_operation(entry.method, std::string_view(entry.raw_path)))
        entry.operation = match->operation;
    return entry;
}

UpstreamAnswer json_answer(int status, std::string body) {
    return {status, {{"Content-Type", "application/json"}, {"Date", "today"}}, std::move(body)};
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The stub, among `stubs`, that a replay server picks for `entry`: the matching one with the
// lowest priority, as the registry picks.
const Stub* pick(const std::vector<Stub>& stubs, const JournalEntry& entry) {
    const Stub* best = nullptr;
    for (const Stub& stub : stubs) {
        if (stub.request.matches(entry) && (best == nullptr || stub.priority < best->priority))
            best = &stub;
    }
    return best;
}

class ExchangeRecorderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

TEST_F(ExchangeRecorderTest, WritesOneFilePerDistinctRequestThatReplaysWithoutSecrets) {
    ExchangeRecorder recorder(dir.string());
    const std::string room = "!RealRoom:hs.org";
    EXPECT_EQ(
        recorder.record(
            request(
                "POST", "/_matrix/client/v3/login",
                R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"hunter2"})"),
            json_answer(
                200,
                R"({"user_id":"@alice:hs.org","access_token":"syt_SECRET","device_id":"D1"})")),
        std::nullopt);
    const std::vector<Header> auth = {{"Authorization", "Bearer syt_SECRET"}};
    EXPECT_EQ(
        recorder.record(request("POST", "/_matrix/client/v3/createRoom", R"({"name":"x"})", auth),
                        json_answer(200, R"({"room_id":")" + room + R"("})")),
        std::nullopt);
    EXPECT_EQ(
        recorder.record(
            request("PUT", "/_matrix/client/v3/rooms/%21RealRoom%3Ahs.org/send/m.room.message/txn1",
                    R"({"msgtype":"m.text","body":"hi"})", auth),
            json_answer(200, R"({"event_id":"$RealEvent:hs.org"})")),
        std::nullopt);
    // The same /sync twice, answered differently: one file, the answers in sequence.
    const std::string sync =
        "/_matrix/client/v3/sync?since=s1&timeout=30000&access_token=syt_SECRET&_cacheBuster=1";
    EXPECT_EQ(recorder.record(request("GET", sync), json_answer(200, R"({"next_batch":"s1"})")),
              std::nullopt);
    EXPECT_EQ(
        recorder.record(
            request("GET", "/_matrix/client/v3/sync?since=s1&timeout=30000&_cacheBuster=2"),
            json_answer(200, R"({"next_batch":"s2","rooms":{"join":{")" + room + R"(":{}}}})")),
        std::nullopt);

    std::vector<std::string> files;
    std::string all_text;
    for (const auto& entry : fs::directory_iterator(dir)) {
        files.push_back(entry.path().filename().string());
        all_text += read_all(entry.path());
    }
    std::ranges::sort(files);
    EXPECT_EQ(files, (std::vector<std::string>{"createRoom-1.json", "login-1.json",
                                               "sendMessage-1.json", "sync-1.json"}));
    for (const std::string secret : {"hunter2", "syt_SECRET", "RealRoom", "RealEvent", "@alice:"})
        EXPECT_EQ(all_text.find(secret), std::string::npos) << secret << " in\n" << all_text;
    EXPECT_NE(all_text.find("scrubbed-access_token-1"), std::string::npos);
    EXPECT_EQ(all_text.find("Date"), std::string::npos);

    // What a client replaying the session sends: the pseudonyms it was answered with, its own
    // password and transaction id, the placeholder token.
    const std::vector<Stub> stubs = load_mapping_dir(dir.string());
    ASSERT_EQ(stubs.size(), 4u);
    const Stub* login = pick(stubs, request("POST", "/_matrix/client/v3/login",
                                            R"({"type":"m.login.password","password":"other",
                                                "identifier":{"type":"m.id.user","user":"alice"}})"));
    ASSERT_NE(login, nullptr);
    EXPECT_NE(login->responses.at(0).body.find("@user-1:hs.org"), std::string::npos);
    const Stub* send = pick(
        stubs, request("PUT", "/_matrix/client/v3/rooms/!room-1:hs.org/send/m.room.message/m42",
                       R"({"msgtype":"m.text","body":"hi"})",
                       {{"Authorization", "Bearer scrubbed-access_token-1"}}));
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->responses.at(0).body, R"({"event_id":"$event-1:hs.org"})");
    EXPECT_EQ(
        pick(stubs,
             request("PUT", "/_matrix/client/v3/rooms/%21other%3Ahs.org/send/m.room.message/m42",
                     R"({"msgtype":"m.text","body":"hi"})")),
        nullptr);
    const Stub* synced = pick(
        stubs, request("GET", "/_matrix/client/v3/sync?since=s1&timeout=30000&_cacheBuster=9"));
    ASSERT_NE(synced, nullptr);
    ASSERT_EQ(synced->responses.size(), 2u);
    EXPECT_EQ(synced->responses[1].body,
              R"({"next_batch":"s2","rooms":{"join":{"!room-1:hs.org":{}}}})");
    EXPECT_EQ(pick(stubs, request("GET", "/_matrix/client/v3/sync?since=s2&timeout=30000")),
              nullptr);
}

TEST_F(ExchangeRecorderTest, TheRequestsOwnRecordingWinsOverALooserOne) {
    ExchangeRecorder recorder(dir.string());
    EXPECT_EQ(recorder.record(request("GET", "/_matrix/client/v3/sync?timeout=0"),
                              json_answer(200, R"({"next_batch":"first"})")),
              std::nullopt);
    EXPECT_EQ(recorder.record(request("GET", "/_matrix/client/v3/sync?timeout=0&since=first"),
                              json_answer(200, R"({"next_batch":"second"})")),
              std::nullopt);
    const std::vector<Stub> stubs = load_mapping_dir(dir.string());
    const Stub* later =
        pick(stubs, request("GET", "/_matrix/client/v3/sync?since=first&timeout=0"));
    ASSERT_NE(later, nullptr);
    EXPECT_EQ(later->responses.at(0).body, R"({"next_batch":"second"})");
    const Stub* initial = pick(stubs, request("GET", "/_matrix/client/v3/sync?timeout=0"));
    ASSERT_NE(initial, nullptr);
    EXPECT_EQ(initial->responses.at(0).body, R"({"next_batch":"first"})");
}

TEST_F(ExchangeRecorderTest, ALongPollIsHeldOnReplayAsLongAsItWasLive) {
    ExchangeRecorder recorder(dir.string());
    UpstreamAnswer held = json_answer(200, R"({"next_batch":"s2"})");
    held.elapsed = std::chrono::milliseconds(1200);
    EXPECT_EQ(
        recorder.record(request("GET", "/_matrix/client/v3/sync?since=s1&timeout=30000"), held),
        std::nullopt);
    UpstreamAnswer quick = json_answer(200, R"({"next_batch":"s1"})");
    quick.elapsed = std::chrono::milliseconds(1200);
    EXPECT_EQ(recorder.record(request("GET", "/_matrix/client/v3/sync?timeout=0"), quick),
              std::nullopt);
    const std::vector<Stub> stubs = load_mapping_dir(dir.string());
    const Stub* long_poll =
        pick(stubs, request("GET", "/_matrix/client/v3/sync?since=s1&timeout=30000"));
    ASSERT_NE(long_poll, nullptr);
    EXPECT_EQ(long_poll->responses.at(0).fixed_delay, std::chrono::milliseconds(1200));
    const Stub* initial = pick(stubs, request("GET", "/_matrix/client/v3/sync?timeout=0"));
    ASSERT_NE(initial, nullptr);
    EXPECT_EQ(initial->responses.at(0).fixed_delay, std::chrono::milliseconds(0));
}

TEST_F(ExchangeRecorderTest, RefusesAFolderThatHoldsMappingsAlready) {
    fs::create_directories(dir);
    std::ofstream(dir / "old.json") << "{}";
    try {
        ExchangeRecorder recorder(dir.string());
        FAIL() << "a folder with mappings accepted";
    } catch (const RecordFolderError& e) {
        EXPECT_NE(std::string(e.what()).find("old.json"), std::string::npos) << e.what();
    }
}

TEST_F(ExchangeRecorderTest, AFailedWriteNamesTheFileAndBinaryAnswersAreNotRecorded) {
    ExchangeRecorder recorder(dir.string());
    const std::optional<std::string> binary =
        recorder.record(request("GET", "/_matrix/client/v1/media/download/hs/abc"),
                        {200, {{"Content-Type", "image/png"}}, std::string("\x89PNG\xff\xfe", 6)});
    ASSERT_TRUE(binary);
    EXPECT_NE(binary->find("not UTF-8 text"), std::string::npos) << *binary;
    // The folder turns into a file: nothing can be written into it any more.
    fs::remove_all(dir);
    std::ofstream(dir) << "not a folder";
    const std::optional<std::string> failed = recorder.record(
        request("GET", "/_matrix/client/versions"), json_answer(200, R"({"versions":["v1.11"]})"));
    ASSERT_TRUE(failed);
    EXPECT_NE(failed->find("getVersions-1.json"), std::string::npos) << *failed;
    fs::remove(dir);
}

}  // namespace
}  // namespace matrix::mock
