// The matrix-mockserver program as a user runs it: options, start-up errors, journal file, signals.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mockserver_process.hpp"
#include "raw_http.hpp"

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

TEST(MockserverBinary, HelpAndVersionExitZero) {
    const fs::path dir = scratch_dir();
    Process help = start({"--help"}, dir);
    EXPECT_EQ(finish(help), 0);
    EXPECT_NE(read_file(help.output).find("Usage: matrix-mockserver"), std::string::npos);
    Process version = start({"--version"}, dir);
    EXPECT_EQ(finish(version), 0);
    EXPECT_NE(read_file(version.output).find("matrix-mockserver "), std::string::npos);
    fs::remove_all(dir);
}

TEST(MockserverBinary, UnknownOptionAndBadPortAreUsageErrors) {
    const fs::path dir = scratch_dir();
    Process unknown = start({"--prot", "1"}, dir);
    EXPECT_EQ(finish(unknown), 2);
    EXPECT_NE(read_file(unknown.output).find("unknown option --prot"), std::string::npos);
    Process bad_port = start({"--port", "70000"}, dir);
    EXPECT_EQ(finish(bad_port), 2);
    Process bad_profile = start({"--versions", "r9"}, dir);
    EXPECT_EQ(finish(bad_profile), 2);
    EXPECT_NE(read_file(bad_profile.output).find("r0, v1.1 or latest"), std::string::npos);
    fs::remove_all(dir);
}

TEST(MockserverBinary, ServesDefaultMappingsJournalsToAFileAndStopsOnSigterm) {
    const fs::path dir = scratch_dir();
    const fs::path port_file = dir / "port";
    const fs::path journal = dir / "journal.jsonl";
    Process server = start({"--port", "0", "--port-file", port_file.string(), "--journal-out",
                            journal.string(), "--no-simulation"},
                           dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    EXPECT_EQ(send_raw(port, http_request("GET", "/_matrix/client/versions")).status, 200);
    EXPECT_EQ(send_raw(port, http_request("GET", "/_matrix/client/v3/account/whoami")).status, 200);
    // Flushed as it goes: both lines are there while the server still runs.
    const std::string lines = read_file(journal);
    EXPECT_NE(lines.find("\"target\":\"/_matrix/client/versions\""), std::string::npos) << lines;
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2);

    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);
    const std::string output = read_file(server.output);
    EXPECT_NE(output.find("listening on http://127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << output;
    fs::remove_all(dir);
}

TEST(MockserverBinary, RefusesToStartOnATakenPort) {
    const fs::path dir = scratch_dir();
    const fs::path port_file = dir / "port";
    Process first = start({"--port", "0", "--port-file", port_file.string()}, dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0);
    const fs::path second_dir = dir / "second";
    fs::create_directories(second_dir);
    Process second = start({"--port", std::to_string(port)}, second_dir);
    EXPECT_EQ(finish(second), 1);
    EXPECT_NE(read_file(second.output).find("cannot listen"), std::string::npos);
    kill(first.pid, SIGINT);
    EXPECT_EQ(finish(first), 0);
    fs::remove_all(dir);
}

TEST(MockserverBinary, ABadMappingsFolderStopsStartUpNamingFileIndexAndKey) {
    const fs::path dir = scratch_dir();
    const fs::path mappings = dir / "mappings";
    fs::create_directories(mappings);
    std::ofstream(mappings / "broken.json")
        << R"({"mappings": [{"request": {"urlPath": "/ok"}, "response": {}},
                             {"request": {"urlPath": "/x"}, "response": {"stauts": 200}}]})";
    Process server = start({"--port", "0", "--mappings", mappings.string()}, dir);
    EXPECT_EQ(finish(server), 1);
    const std::string output = read_file(server.output);
    EXPECT_NE(output.find("broken.json"), std::string::npos) << output;
    EXPECT_NE(output.find("#1"), std::string::npos) << output;
    EXPECT_NE(output.find("stauts"), std::string::npos) << output;
    fs::remove_all(dir);
}

// POST /__admin/mappings/save writes into the folder given with --mappings, and never into the
// shipped fixtures --no-simulation loads by default.
TEST(MockserverBinary, SaveWritesAdminStubsToTheMappingsFolderOnly) {
    const fs::path dir = scratch_dir();
    const fs::path mappings = dir / "mappings";
    fs::create_directories(mappings);
    std::ofstream(mappings / "ok.json") << R"({"request": {"urlPath": "/ok"}, "response": {}})";
    const fs::path port_file = dir / "port";
    Process server = start(
        {"--port", "0", "--port-file", port_file.string(), "--mappings", mappings.string()}, dir);
    int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    EXPECT_EQ(send_raw(port, http_request("POST", "/__admin/mappings",
                                          R"({"id": "added", "request": {"urlPath": "/a"},
                                              "response": {"status": 204}})"))
                  .status,
              201);
    const testing::RawResponse saved =
        send_raw(port, http_request("POST", "/__admin/mappings/save"));
    EXPECT_EQ(saved.status, 200) << saved.body;
    EXPECT_TRUE(fs::exists(mappings / "added.json"));
    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);

    // Started again on the folder, the saved stub answers.
    fs::remove(port_file);
    Process again = start(
        {"--port", "0", "--port-file", port_file.string(), "--mappings", mappings.string()}, dir);
    port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(again.output);
    EXPECT_EQ(send_raw(port, http_request("GET", "/a")).status, 204);
    kill(again.pid, SIGTERM);
    EXPECT_EQ(finish(again), 0);

    fs::remove(port_file);
    Process fixtures =
        start({"--port", "0", "--port-file", port_file.string(), "--no-simulation"}, dir);
    port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(fixtures.output);
    const testing::RawResponse refused =
        send_raw(port, http_request("POST", "/__admin/mappings/save"));
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_NE(refused.body.find("--mappings DIR"), std::string::npos) << refused.body;
    kill(fixtures.pid, SIGTERM);
    EXPECT_EQ(finish(fixtures), 0);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace matrix::mock

namespace matrix::mock {
namespace {

TEST(MockserverBinary, MaxBodyBytesAndReadTimeoutAreFlags) {
    const fs::path dir = scratch_dir();
    const fs::path port_file = dir / "port";
    Process server = start({"--port", "0", "--port-file", port_file.string(), "--max-body-bytes",
                            "100", "--read-timeout", "2"},
                           dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    const testing::RawResponse refused =
        send_raw(port, http_request("POST", "/_matrix/client/v3/login", std::string(101, 'x')));
    EXPECT_EQ(refused.status, 413);
    EXPECT_NE(refused.body.find("M_TOO_LARGE"), std::string::npos) << refused.body;
    EXPECT_NE(refused.body.find("--max-body-bytes"), std::string::npos) << refused.body;
    EXPECT_EQ(send_raw(port, http_request("GET", "/_matrix/client/versions")).status, 200);
    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);

    Process bad_size = start({"--max-body-bytes", "lots"}, dir);
    EXPECT_EQ(finish(bad_size), 2);
    EXPECT_NE(read_file(bad_size.output).find("--max-body-bytes needs a number"),
              std::string::npos);
    Process bad_timeout = start({"--read-timeout", "0"}, dir);
    EXPECT_EQ(finish(bad_timeout), 2);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace matrix::mock

namespace matrix::mock {
namespace {

TEST(MockserverBinary, SimStateCapacityBytesIsAFlag) {
    const fs::path dir = scratch_dir();
    Process help = start({"--help"}, dir);
    EXPECT_EQ(finish(help), 0);
    const std::string usage = read_file(help.output);
    EXPECT_NE(usage.find("--sim-state-capacity-bytes N"), std::string::npos) << usage;
    EXPECT_NE(usage.find("(default 268435456, 256 MiB"), std::string::npos) << usage;

    const fs::path port_file = dir / "port";
    Process server = start(
        {"--port", "0", "--port-file", port_file.string(), "--sim-state-capacity-bytes", "100"},
        dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    // Not even one user fits in 100 bytes.
    const testing::RawResponse refused = send_raw(
        port,
        http_request("POST", "/__admin/sim/users", R"({"username":"alice","password":"pw"})"));
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("M_RESOURCE_LIMIT_EXCEEDED"), std::string::npos) << refused.body;
    const testing::RawResponse state = send_raw(port, http_request("GET", "/__admin/sim/state"));
    EXPECT_NE(state.body.find(R"("state_capacity_bytes":100)"), std::string::npos) << state.body;
    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);

    Process bad = start({"--sim-state-capacity-bytes", "-1"}, dir);
    EXPECT_EQ(finish(bad), 2);
    EXPECT_NE(read_file(bad.output).find("--sim-state-capacity-bytes needs a number"),
              std::string::npos);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace matrix::mock

// --- seeding from the command line: --user and --seed ---------------------------------------

namespace matrix::mock {
namespace {

// The access token the start-up output gives for `user_id` ("user ID device_id D
// access_token T"); "" when it has no such line.
std::string printed_token(const std::string& output, const std::string& user_id) {
    const std::string line_start = "user " + user_id + " device_id ";
    const std::size_t line = output.find(line_start);
    if (line == std::string::npos) return {};
    const std::string marker = " access_token ";
    const std::size_t token = output.find(marker, line);
    if (token == std::string::npos) return {};
    const std::size_t start = token + marker.size();
    return output.substr(start, output.find('\n', start) - start);
}

TEST(MockserverBinary, UserLogsInAtStartUpAndPrintsAWorkingToken) {
    const fs::path dir = scratch_dir();
    const fs::path port_file = dir / "port";
    Process server = start({"--port", "0", "--port-file", port_file.string(), "--user",
                            "alice:secret", "--user", "bob:pa:ss"},
                           dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    const std::string output = read_file(server.output);
    const std::string token = printed_token(output, "@alice:localhost");
    ASSERT_FALSE(token.empty()) << output;
    const testing::RawResponse whoami =
        send_raw(port, http_request("GET", "/_matrix/client/v3/account/whoami", {},
                                    "Authorization: Bearer " + token + "\r\n"));
    EXPECT_EQ(whoami.status, 200) << whoami.body;
    EXPECT_NE(whoami.body.find(R"("user_id":"@alice:localhost")"), std::string::npos);
    // The password is everything after the first colon.
    const testing::RawResponse login = send_raw(
        port, http_request("POST", "/_matrix/client/v3/login",
                           R"({"type":"m.login.password","identifier":{"type":"m.id.user",)"
                           R"("user":"bob"},"password":"pa:ss"})"));
    EXPECT_EQ(login.status, 200) << login.body;
    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);

    Process twice = start({"--user", "alice:a", "--user", "alice:b", "--port", "0"}, dir);
    EXPECT_EQ(finish(twice), 2);
    EXPECT_NE(read_file(twice.output).find("--user alice: @alice:localhost already exists"),
              std::string::npos)
        << read_file(twice.output);
    Process no_password = start({"--user", "alice"}, dir);
    EXPECT_EQ(finish(no_password), 2);
    EXPECT_NE(read_file(no_password.output).find("--user takes NAME:PASSWORD"), std::string::npos);
    Process stubs_only = start({"--user", "alice:a", "--no-simulation"}, dir);
    EXPECT_EQ(finish(stubs_only), 2);
    EXPECT_NE(read_file(stubs_only.output).find("--no-simulation turns off"), std::string::npos);
    fs::remove_all(dir);
}

TEST(MockserverBinary, SeedFileStateIsThereWhenThePortFileIs) {
    const fs::path dir = scratch_dir();
    const fs::path port_file = dir / "port";
    Process server = start(
        {"--port", "0", "--port-file", port_file.string(), "--seed", MATRIX_SEED_EXAMPLE}, dir);
    const int port = wait_for_port(port_file);
    ASSERT_GT(port, 0) << read_file(server.output);
    const std::string output = read_file(server.output);
    EXPECT_FALSE(printed_token(output, "@bob:localhost").empty()) << output;
    const testing::RawResponse state = send_raw(port, http_request("GET", "/__admin/sim/state"));
    EXPECT_EQ(state.status, 200);
    for (const char* seeded : {R"("user_id":"@carol:localhost")", R"("@bob:localhost":"join")",
                               R"("@carol:localhost":"invite")", R"("type":"m.room.avatar")"}) {
        EXPECT_NE(state.body.find(seeded), std::string::npos) << seeded << " in " << state.body;
    }
    EXPECT_EQ(std::count(state.body.begin(), state.body.end(), '!'), 2) << state.body;  // 2 rooms
    kill(server.pid, SIGTERM);
    EXPECT_EQ(finish(server), 0);
    fs::remove_all(dir);
}

TEST(MockserverBinary, ABadSeedFileStopsStartUpNamingFileAndKey) {
    const fs::path dir = scratch_dir();
    const fs::path seed = dir / "seed.json";
    std::ofstream(seed) << R"({"users": [{"username": "alice", "password": "pw"}],
  "rooms": [{"creator": "alice"}, {"creator": "alice", "members": ["@bob:localhost"]}]})";
    Process bad = start({"--port", "0", "--seed", seed.string()}, dir);
    EXPECT_EQ(finish(bad), 2);
    const std::string output = read_file(bad.output);
    EXPECT_NE(output.find(seed.string() + ": rooms[1].members[0]: no user \"@bob:localhost\""),
              std::string::npos)
        << output;
    EXPECT_EQ(output.find("listening on"), std::string::npos) << output;

    Process missing = start({"--port", "0", "--seed", (dir / "nope.json").string()}, dir);
    EXPECT_EQ(finish(missing), 2);
    EXPECT_NE(read_file(missing.output).find("nope.json: cannot be read"), std::string::npos);
    Process stubs_only = start({"--seed", seed.string(), "--no-simulation"}, dir);
    EXPECT_EQ(finish(stubs_only), 2);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace matrix::mock
