// The simulation routes by the SDK's declarations: each operation it answers reaches a handler
// that takes that operation's path, at every version the path has had; anything else is left to
// the stubs, and the 404 then names the operation the request was.
#include <gtest/gtest.h>

#include <algorithm>
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

// A spec operation the simulation has no route for (it answers more with each release, so the
// example is looked up rather than named); nullptr once it answers every one.
const EndpointSpec* unanswered_operation() {
    const auto answered = Simulation::answered_operations();
    for (const EndpointSpec& operation : spec_operations()) {
        if (std::ranges::find(answered, operation.operation_id) == answered.end())
            return &operation;
    }
    return nullptr;
}

TEST(SimulationRouting, LeavesOperationsItDoesNotAnswerAndForeignPathsToTheStubs) {
    Simulation simulation;
    if (const EndpointSpec* unanswered = unanswered_operation()) {
        EXPECT_FALSE(
            simulation.handle(request_for(*unanswered, unanswered->versions.newest())).has_value())
            << unanswered->operation_id;
    }
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
    if (const EndpointSpec* unanswered = unanswered_operation()) {
        const JournalEntry request = request_for(*unanswered, unanswered->versions.newest());
        const RawResponse answer =
            call(hs.port(), request.method, request.target, {}, request.body.str());
        EXPECT_EQ(answer.status, 404);
        const std::string id(unanswered->operation_id);
        EXPECT_NE(
            answer.body.find("spec operation " + id + ": the simulation does not implement " + id),
            std::string::npos)
            << answer.body;
        const auto entries = hs.journal().entries();
        ASSERT_FALSE(entries.empty());
        const std::vector<std::string>& flags = entries.back().flags;
        EXPECT_NE(std::ranges::find(flags, "the simulation does not implement " + id), flags.end());
    }
    const RawResponse foreign = call(hs.port(), "GET", "/_matrix/client/v3/no/such/thing");
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(foreign.body.find("spec operation"), std::string::npos) << foreign.body;
}

}  // namespace
}  // namespace matrix::mock
