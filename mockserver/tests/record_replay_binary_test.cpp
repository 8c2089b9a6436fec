// Record and replay with the binary: an upstream matrix-mockserver (the simulation), a second
// one in front of it with --proxy-to and --record, then a third with --no-simulation
// --mappings on the recorded folder giving the same answers.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "mockserver_process.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

namespace fs = std::filesystem;
using testing::finish;
using testing::http_request;
using testing::Process;
using testing::read_file;
using testing::scratch_dir;
using testing::send_raw;
using testing::start;
using testing::wait_for_port;

// The string member `key` of a JSON answer ("" when it has none).
std::string member(const testing::RawResponse& response, const char* key) {
    const rapidjson::Document body = testing::parse(response);
    return body.IsObject() && body.HasMember(key) && body[key].IsString() ? body[key].GetString()
                                                                          : "";
}

// `json` with each user, room and event id renamed by order of first appearance: equal for two
// answers that hold the same things with consistently renamed ids.
std::string ids_renamed(const std::string& json) {
    static const std::regex id(R"([@!$][A-Za-z0-9._=/+~-]+:[A-Za-z0-9.-]+(:[0-9]+)?)");
    std::map<std::string, std::string> names;
    std::string out;
    auto copied = json.cbegin();
    for (std::sregex_iterator it(json.begin(), json.end(), id), end; it != end; ++it) {
        out.append(copied, (*it)[0].first);
        auto [name, added] = names.emplace(it->str(), "");
        if (added) name->second = "<id" + std::to_string(names.size()) + ">";
        out += name->second;
        copied = (*it)[0].second;
    }
    out.append(copied, json.cend());
    return out;
}

struct Server {
    Process process;
    int port = -1;
};

Server run(std::vector<std::string> arguments, const fs::path& dir) {
    fs::create_directories(dir);
    const fs::path port_file = dir / "port";
    arguments.insert(arguments.begin(), {"--port", "0", "--port-file", port_file.string()});
    Server server{start(arguments, dir), -1};
    server.port = wait_for_port(port_file);
    return server;
}

int stop(Server& server) {
    kill(server.process.pid, SIGTERM);
    return finish(server.process);
}

// What the flow below observed: each answer's status and the values it compares.
struct Observed {
    std::vector<int> statuses;
    std::string user_id, token, room_id, event_id, sync;
};

// Logs in, creates a room, sends to it and syncs, each request using what the one before
// answered, as a client does.
Observed flow(int port, const std::string& password) {
    Observed seen;
    const auto call = [&](const std::string& method, const std::string& target,
                          const std::string& body = {}) {
        const std::string auth =
            seen.token.empty() ? "" : "Authorization: Bearer " + seen.token + "\r\n";
        testing::RawResponse response = send_raw(port, http_request(method, target, body, auth));
        seen.statuses.push_back(response.status);
        return response;
    };
    const testing::RawResponse login = call(
        "POST", "/_matrix/client/v3/login",
        R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":")" +
            password + R"("})");
    seen.user_id = member(login, "user_id");
    seen.token = member(login, "access_token");
    seen.room_id =
        member(call("POST", "/_matrix/client/v3/createRoom", R"({"name":"recorded"})"), "room_id");
    seen.event_id = member(call("PUT",
                                "/_matrix/client/v3/rooms/" + seen.room_id +
                                    "/send/m.room.message/txn-" + std::to_string(::getpid()),
                                R"({"msgtype":"m.text","body":"hello through the proxy"})"),
                           "event_id");
    seen.sync = call("GET", "/_matrix/client/v3/sync?timeout=0").body;
    return seen;
}

TEST(RecordReplayBinary, RecordsThroughTheProxyWithoutSecretsAndReplaysTheSameAnswers) {
    const fs::path dir = scratch_dir();
    const fs::path recorded = dir / "recorded";
    const std::string password = "pw-" + std::to_string(::getpid()) + "-not-in-any-file";

    Server upstream = run({"--user", "alice:" + password}, dir / "upstream");
    ASSERT_GT(upstream.port, 0) << read_file(upstream.process.output);
    const std::string upstream_url = "http://127.0.0.1:" + std::to_string(upstream.port);
    Server front = run({"--proxy-to", upstream_url, "--record", recorded.string()}, dir / "front");
    ASSERT_GT(front.port, 0) << read_file(front.process.output);

    const Observed live = flow(front.port, password);
    EXPECT_EQ(live.statuses, (std::vector<int>{200, 200, 200, 200}));
    ASSERT_EQ(live.user_id, "@alice:localhost");
    ASSERT_FALSE(live.room_id.empty());
    ASSERT_NE(live.sync.find("hello through the proxy"), std::string::npos);
    // Upstream answered: it journaled all four, the front none as its own.
    const std::string upstream_journal =
        send_raw(upstream.port, http_request("GET", "/__admin/requests")).body;
    EXPECT_NE(upstream_journal.find(R"("total":4)"), std::string::npos) << upstream_journal;
    const std::string front_journal =
        send_raw(front.port, http_request("GET", "/__admin/requests")).body;
    std::size_t proxied = 0;
    for (std::size_t at = front_journal.find("\"proxied_to\":\"" + upstream_url + "\"");
         at != std::string::npos; at = front_journal.find("\"proxied_to\"", at + 1))
        ++proxied;
    EXPECT_EQ(proxied, 4u) << front_journal;
    EXPECT_EQ(stop(front), 0);

    // The files, and none of the session's secrets or real ids in them.
    std::string all_files;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(recorded)) {
        names.push_back(entry.path().filename().string());
        all_files += read_file(entry.path());
    }
    std::ranges::sort(names);
    EXPECT_EQ(names, (std::vector<std::string>{"createRoom-1.json", "login-1.json",
                                               "sendMessage-1.json", "sync-1.json"}));
    for (const std::string& secret :
         {password, live.token, live.user_id, live.room_id, live.event_id}) {
        EXPECT_EQ(all_files.find(secret), std::string::npos) << secret << " was recorded";
    }

    // Replayed from the files alone: the same answers, with the pseudonyms in place of ids.
    Server replay = run({"--no-simulation", "--mappings", recorded.string()}, dir / "replay");
    ASSERT_GT(replay.port, 0) << read_file(replay.process.output);
    const Observed again = flow(replay.port, "another password");
    EXPECT_EQ(again.statuses, live.statuses);
    EXPECT_EQ(again.user_id, "@user-1:localhost");
    EXPECT_EQ(again.token, "scrubbed-access_token-1");
    EXPECT_EQ(again.room_id, "!room-1:localhost");
    EXPECT_EQ(again.event_id.rfind("$event-", 0), 0u) << again.event_id;
    EXPECT_EQ(ids_renamed(again.sync), ids_renamed(live.sync));
    EXPECT_NE(again.sync.find(R"("body":"hello through the proxy")"), std::string::npos);
    EXPECT_NE(again.sync.find(again.event_id), std::string::npos);
    EXPECT_NE(again.sync.find(R"("join":{")" + again.room_id), std::string::npos) << again.sync;
    EXPECT_EQ(stop(replay), 0);
    EXPECT_EQ(stop(upstream), 0);
    fs::remove_all(dir);
}

TEST(RecordReplayBinary, HelpNamesTheOptionsRecordNeedsProxyToAndHttpsIsRefused) {
    const fs::path dir = scratch_dir();
    Process help = start({"--help"}, dir);
    EXPECT_EQ(finish(help), 0);
    const std::string usage = read_file(help.output);
    EXPECT_NE(usage.find("--proxy-to URL"), std::string::npos);
    EXPECT_NE(usage.find("https is not supported"), std::string::npos);
    EXPECT_NE(usage.find("--record DIR"), std::string::npos);
    Process alone = start({"--record", (dir / "r").string()}, dir);
    EXPECT_EQ(finish(alone), 2);
    EXPECT_NE(read_file(alone.output).find("--record DIR records what --proxy-to URL forwards"),
              std::string::npos)
        << read_file(alone.output);
    Process threads_alone = start({"--proxy-threads", "4"}, dir);
    EXPECT_EQ(finish(threads_alone), 2);
    Process https = start({"--port", "0", "--proxy-to", "https://matrix.org"}, dir);
    EXPECT_EQ(finish(https), 1);
    EXPECT_NE(read_file(https.output).find("https is not supported"), std::string::npos)
        << read_file(https.output);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace matrix::mock
