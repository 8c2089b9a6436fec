// One request per spec operation against the simulation, from the operation's spec example
// (fixtures/vectors/spec/operations.json) with the ids of a seeded world put in its path and a
// real token in its header. For every operation the simulation answers: never
// M_UNRECOGNIZED; every 2xx JSON body valid against the spec's response schema for that status
// (matrix::validate_response); and, where the spec requires a token, 401 M_MISSING_TOKEN
// without one. An operation it does not answer yet must say so (404, "the simulation does not
// implement <operationId>"); the test lists them.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "matrix/spec_validation.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using testing::Account;
using testing::call;
using testing::parse;
using testing::RawResponse;
using testing::str;

struct ExampleRequest {
    std::string operation_id;
    std::string method;
    std::string path;
    std::string query;  // encoded, without '?'
    std::string body;   // "" when none
};

// Test names and failure lines show the operation, not the struct's bytes.
void PrintTo(const ExampleRequest& example, std::ostream* out) { *out << example.operation_id; }

std::vector<ExampleRequest> load_examples() {
    std::ifstream file(MATRIX_SPEC_VECTORS);
    std::stringstream text;
    text << file.rdbuf();
    rapidjson::Document document;
    document.Parse(text.str().c_str());
    if (document.HasParseError()) throw std::runtime_error("cannot read " MATRIX_SPEC_VECTORS);
    std::vector<ExampleRequest> out;
    for (const auto& vector : document["vectors"].GetArray()) {
        const auto& expect = vector["expect"];
        ExampleRequest example{vector["endpoint"].GetString(),
                               expect["method"].GetString(),
                               expect["path"].GetString(),
                               {},
                               {}};
        for (const auto& pair : expect["query"].GetArray()) {
            if (!example.query.empty()) example.query += '&';
            example.query +=
                percent_encode(pair[0].GetString()) + "=" + percent_encode(pair[1].GetString());
        }
        if (expect.HasMember("body")) {
            const auto& body = expect["body"];
            if (body.IsString()) {
                example.body = body.GetString();
            } else {
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                body.Accept(writer);
                example.body = buffer.GetString();
            }
        }
        out.push_back(std::move(example));
    }
    return out;
}

// What the seeded world holds: a user with a device, a room with an alias and a message, and
// an upload.
struct World {
    Account alice;
    std::string device_id;
    std::string room_id;
    std::string alias;
    std::string event_id;
    std::string media_id;
};

World seed(const MockHomeserver& hs) {
    World world;
    world.alice = testing::add_user(hs, "alice");
    world.device_id = str(
        parse(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", world.alice.token).body),
        "device_id");
    world.room_id =
        testing::create_room(hs, world.alice, R"({"room_alias_name":"seeded","name":"Seeded"})");
    world.alias = "#seeded:localhost";
    world.event_id = testing::send_text(hs, world.alice, world.room_id, "seed1");
    const RawResponse upload = call(hs.port(), "POST", "/_matrix/media/v3/upload?filename=a.txt",
                                    world.alice.token, "hello");
    const std::string uri = str(parse(upload.body), "content_uri");
    world.media_id = uri.substr(uri.rfind('/') + 1);
    return world;
}

// The example's path with the world's ids in place of the example's, parameter by parameter.
std::string path_in(const World& world, const EndpointSpec& operation, const std::string& path) {
    const auto match = match_operation(to_string(operation.method), path);
    if (!match) return path;
    std::string out;
    std::string_view rest = operation.path_template;
    std::size_t param = 0;
    while (!rest.empty()) {
        const std::size_t open = rest.find('{');
        out += rest.substr(0, open);
        if (open == std::string_view::npos) break;
        const std::size_t close = rest.find('}', open);
        const std::string_view name = rest.substr(open + 1, close - open - 1);
        rest.remove_prefix(close + 1);
        if (name == "path_version") {
            out += to_string(match->version.value_or(operation.versions.newest()));
            continue;
        }
        std::string value =
            param < match->path_params.size() ? match->path_params[param].second : std::string();
        ++param;
        if (name == "roomId" || name == "roomIdOrAlias") value = world.room_id;
        if (name == "userId") value = world.alice.user_id;
        if (name == "eventId") value = world.event_id;
        if (name == "roomAlias") value = world.alias;
        if (name == "deviceId") value = world.device_id;
        if (name == "serverName") value = "localhost";
        if (name == "mediaId") value = world.media_id;
        if (value.empty() && !out.empty() && out.back() == '/' && rest.empty()) {
            out.pop_back();  // a left-out last parameter (stateKey)
            continue;
        }
        out += percent_encode(value);
    }
    return out;
}

bool is_unrecognized(const RawResponse& response) {
    return response.status == 404 && response.body.find("M_UNRECOGNIZED") != std::string::npos;
}

// Operations whose spec answer for a server without the optional feature is 404 M_UNRECOGNIZED
// itself (getAuthMetadata: no OAuth 2.0 API); the simulation answers so, saying why.
bool unrecognized_is_the_answer(std::string_view operation_id) {
    return operation_id == "getAuthMetadata";
}

class SimulationOperations : public ::testing::TestWithParam<ExampleRequest> {};

TEST_P(SimulationOperations, AnswersAsTheSpecSays) {
    const ExampleRequest& example = GetParam();
    const EndpointSpec* operation = find_operation(example.operation_id);
    ASSERT_NE(operation, nullptr);
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    const World world = seed(hs);
    const std::string target = path_in(world, *operation, example.path) +
                               (example.query.empty() ? "" : "?" + example.query);
    const auto answered = Simulation::answered_operations();
    const bool simulated = std::ranges::find(answered, operation->operation_id) != answered.end();
    SCOPED_TRACE(example.method + " " + target + " " + example.body);

    if (operation->auth == AuthRequirement::required) {
        const RawResponse anonymous = call(hs.port(), example.method, target, {}, example.body);
        if (simulated) {
            EXPECT_EQ(anonymous.status, 401) << anonymous.body;
            EXPECT_NE(anonymous.body.find("M_MISSING_TOKEN"), std::string::npos) << anonymous.body;
        }
    }
    const RawResponse answer =
        call(hs.port(), example.method, target, world.alice.token, example.body);
    if (!simulated) {
        EXPECT_TRUE(is_unrecognized(answer)) << answer.status << " " << answer.body;
        EXPECT_NE(answer.body.find("the simulation does not implement " + example.operation_id),
                  std::string::npos)
            << answer.body;
        GTEST_SKIP() << example.operation_id << ": the simulation does not implement it yet";
    }
    if (unrecognized_is_the_answer(example.operation_id)) {
        EXPECT_EQ(answer.body.find("does not implement"), std::string::npos) << answer.body;
    } else {
        EXPECT_FALSE(is_unrecognized(answer)) << answer.body;
    }
    EXPECT_LT(answer.status, 500) << answer.body;
    if (answer.status >= 200 && answer.status < 300) {
        const auto violations = validate_response(*operation, answer.status, answer.body);
        for (const SpecViolation& v : violations) {
            ADD_FAILURE() << "response breaks the spec's schema: " << v.where << " [" << v.rule
                          << "] " << v.message << "\n  body: " << answer.body.substr(0, 2000);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryOperation, SimulationOperations, ::testing::ValuesIn(load_examples()),
                         [](const ::testing::TestParamInfo<ExampleRequest>& param) {
                             return param.param.operation_id;
                         });

}  // namespace
}  // namespace matrix::mock
