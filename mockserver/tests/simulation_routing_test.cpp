// The simulation routes by the SDK's declarations: each operation it answers reaches a handler
// that takes that operation's path, at every version the path has had; anything else is left to
// the stubs, and the 404 then names the operation the request was.
#include <gtest/gtest.h>

#include <string>

#include "matrix/endpoint.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/simulation.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

// The operation's path at `version`, each parameter filled with a plausible value.
std::string plausible_path(const EndpointSpec& operation, PathVersion version) {
    std::string path;
    std::string_view rest = operation.path_template;
    while (!rest.empty()) {
        const std::size_t open = rest.find('{');
        path += rest.substr(0, open);
        if (open == std::string_view::npos) break;
        const std::size_t close = rest.find('}', open);
        const std::string_view name = rest.substr(open + 1, close - open - 1);
        if (name == "path_version") {
            path += to_string(version);
        } else if (name == "roomId") {
            path += "%21room%3Alocalhost";
        } else if (name == "userId") {
            path += "%40alice%3Alocalhost";
        } else if (name == "keyName") {
            path += "displayname";
        } else if (name != "stateKey") {
            path += "value";
        }
        rest.remove_prefix(close + 1);
    }
    return path;
}

JournalEntry request_for(const EndpointSpec& operation, PathVersion version) {
    JournalEntry entry;
    entry.method = std::string(to_string(operation.method));
    entry.raw_path = plausible_path(operation, version);
    entry.target = entry.raw_path;
    if (entry.method == "POST" || entry.method == "PUT") entry.body = std::string("{}");
    return entry;
}

TEST(SimulationRouting, EveryAnsweredOperationReachesAHandlerAtEveryVersion) {
    Simulation simulation;
    const auto answered = Simulation::answered_operations();
    EXPECT_GE(answered.size(), 70u);
    for (const std::string_view operation_id : answered) {
        const EndpointSpec* operation = find_operation(operation_id);
        ASSERT_NE(operation, nullptr) << operation_id << " is no spec operation";
        for (const PathVersion version : {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
            if (!operation->versions.empty() && !operation->versions.has(version)) continue;
            const JournalEntry entry = request_for(*operation, version);
            // Unauthenticated, so most answers are 401: what counts is that one comes.
            EXPECT_TRUE(simulation.handle(entry).has_value())
                << operation_id << ": " << entry.method << ' ' << entry.raw_path;
            if (operation->versions.empty()) break;
        }
    }
}

TEST(SimulationRouting, LeavesOperationsItDoesNotAnswerAndForeignPathsToTheStubs) {
    Simulation simulation;
    const EndpointSpec* relations = find_operation("getRelatingEvents");
    ASSERT_NE(relations, nullptr);
    EXPECT_FALSE(simulation.handle(request_for(*relations, PathVersion::v1)).has_value());
    // Authenticated media exists at v1 only.
    JournalEntry entry;
    entry.method = "GET";
    entry.raw_path = entry.target = "/_matrix/client/r0/media/config";
    EXPECT_FALSE(simulation.handle(entry).has_value());
    entry.raw_path = entry.target = "/_matrix/client/v3/rooms/%21room%3Alocalhost/account_data/x";
    EXPECT_FALSE(simulation.handle(entry).has_value());
}

TEST(SimulationRouting, TheNotFoundAnswerNamesTheOperationTheRequestWas) {
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    const RawResponse answer =
        call(hs.port(), "GET", "/_matrix/client/v1/rooms/%21a%3Alocalhost/relations/%24e");
    EXPECT_EQ(answer.status, 404);
    EXPECT_NE(answer.body.find("spec operation getRelatingEvents, which the simulation does not "
                               "answer yet"),
              std::string::npos)
        << answer.body;
    const RawResponse foreign = call(hs.port(), "GET", "/_matrix/client/v3/no/such/thing");
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(foreign.body.find("spec operation"), std::string::npos) << foreign.body;
}

}  // namespace
}  // namespace matrix::mock
