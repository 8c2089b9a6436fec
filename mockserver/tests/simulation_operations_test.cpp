// One request per spec operation against the simulation, from the operation's spec example
// (fixtures/vectors/spec/operations.json) with the ids of a seeded world put in its path and a
// real token in its header. For every operation the simulation answers: never
// M_UNRECOGNIZED; every 2xx JSON body valid against the spec's response schema for that status
// (matrix::validate_response); where the spec requires a token, 401 M_MISSING_TOKEN without
// one, and never M_MISSING_TOKEN where it does not. An operation it does not answer yet must say
// so (404, "the simulation does not implement <operationId>"); the test lists them. Then every
// PUT whose path has a GET too: the GET (with the PUT's query parameters that it takes too)
// reads back what the PUT wrote.
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
#include "matrix/json.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/mock/homeserver.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "matrix/spec_validation.hpp"
#include "response_schema_check.hpp"
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

    if (simulated) {
        const RawResponse anonymous = call(hs.port(), example.method, target, {}, example.body);
        if (operation->auth == AuthRequirement::required) {
            EXPECT_EQ(anonymous.status, 401) << anonymous.body;
            EXPECT_EQ(testing::errcode(anonymous), "M_MISSING_TOKEN") << anonymous.body;
        } else {
            // No token needed (or an optional one): never asked for.
            EXPECT_NE(testing::errcode(anonymous), "M_MISSING_TOKEN") << anonymous.body;
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
        testing::expect_valid(example.operation_id, answer);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryOperation, SimulationOperations, ::testing::ValuesIn(load_examples()),
                         [](const ::testing::TestParamInfo<ExampleRequest>& param) {
                             return param.param.operation_id;
                         });

// A PUT whose path also has a GET: what the PUT stored, the GET gives back (every member of
// the PUT's body, with the value sent; the GET may add members of its own).
struct WriteThenRead {
    ExampleRequest write;
    const EndpointSpec* read = nullptr;
};

void PrintTo(const WriteThenRead& pair, std::ostream* out) { *out << pair.write.operation_id; }

std::vector<WriteThenRead> write_then_read_pairs() {
    std::vector<WriteThenRead> out;
    const auto answered = Simulation::answered_operations();
    for (ExampleRequest& example : load_examples()) {
        if (example.method != "PUT") continue;
        if (std::ranges::find(answered, example.operation_id) == answered.end()) continue;
        const EndpointSpec* write = find_operation(example.operation_id);
        for (const EndpointSpec& read : spec_operations()) {
            if (read.method == Method::get && read.path_template == write->path_template) {
                out.push_back({std::move(example), &read});
                break;
            }
        }
    }
    return out;
}

// The example body with the world's ids in place of the example's: a string that is a room,
// user or event id names the seeded room, alice or the seeded message.
std::string body_in(const World& world, const std::string& body) {
    if (body.empty()) return body;
    rapidjson::Document document;
    document.Parse(body.c_str());
    if (document.HasParseError()) return body;
    std::vector<rapidjson::Value*> pending{&document};
    while (!pending.empty()) {
        rapidjson::Value* value = pending.back();
        pending.pop_back();
        if (value->IsObject()) {
            for (auto& member : value->GetObject()) pending.push_back(&member.value);
        } else if (value->IsArray()) {
            for (auto& element : value->GetArray()) pending.push_back(&element);
        } else if (value->IsString()) {
            const std::string_view text(value->GetString(), value->GetStringLength());
            const bool has_server = text.find(':') != std::string_view::npos;
            const std::string* replacement = nullptr;
            if (text.starts_with('!') && has_server) replacement = &world.room_id;
            if (text.starts_with('@') && has_server) replacement = &world.alice.user_id;
            if (text.starts_with('$')) replacement = &world.event_id;
            if (replacement) {
                value->SetString(replacement->data(),
                                 static_cast<rapidjson::SizeType>(replacement->size()),
                                 document.GetAllocator());
            }
        }
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    document.Accept(writer);
    return buffer.GetString();
}

// A request a write's example needs made first: (method, path after /_matrix/client/v3, body).
struct Prerequisite {
    std::string method;
    std::string path;
    std::string body;
};

// What a write's spec example assumes exists and the seeded world lacks: created first.
std::vector<Prerequisite> prerequisites(std::string_view operation_id) {
    // setPushRule's example places its rule after anotherRuleId and before someRuleId.
    if (operation_id == "setPushRule") {
        return {
            {"PUT", "/pushrules/global/content/anotherRuleId", R"({"pattern":"a","actions":[]})"},
            {"PUT", "/pushrules/global/content/someRuleId", R"({"pattern":"b","actions":[]})"}};
    }
    if (operation_id == "setPushRuleActions") {
        return {{"PUT", "/pushrules/global/room/%23spam%3Aexample.com", R"({"actions":[]})"}};
    }
    if (operation_id == "setPushRuleEnabled") {
        return {
            {"PUT", "/pushrules/global/content/nocake", R"({"pattern":"cake*lie","actions":[]})"}};
    }
    // The room_keys examples name backup version "1": the first one a user creates.
    if (operation_id.starts_with("putRoomKey")) {
        return {{"POST", "/room_keys/version",
                 R"({"algorithm":"m.megolm_backup.v1.curve25519-aes-sha2",)"
                 R"("auth_data":{"public_key":"before"}})"}};
    }
    return {};
}

// The write's query parameters (encoded, without '?') that the read takes too: the room_keys
// reads name the backup version as their writes do.
std::string read_query(const EndpointSpec& read, const std::string& write_query) {
    std::string out;
    std::string_view rest = write_query;
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const auto name = percent_decode(pair.substr(0, pair.find('=')));
        const bool taken =
            name && std::ranges::any_of(read.params, [&](const ParamSpec& param) {
                return param.location == ParamLocation::query && param.key() == *name;
            });
        if (!taken) continue;
        if (!out.empty()) out += '&';
        out += pair;
    }
    return out;
}

// Writes that only an admin may make, and the simulation has no admin: refused with 403.
bool needs_an_admin(std::string_view operation_id) {
    return operation_id == "setAdminLockUser" || operation_id == "setAdminSuspendUser";
}

class SimulationWriteThenRead : public ::testing::TestWithParam<WriteThenRead> {};

TEST_P(SimulationWriteThenRead, ReadsBackWhatWasWritten) {
    const WriteThenRead& pair = GetParam();
    const EndpointSpec* write = find_operation(pair.write.operation_id);
    MockHomeserverOptions options;
    options.simulation = true;
    MockHomeserver hs(options);
    World world = seed(hs);
    world.alias = "#written:localhost";  // a write may not take the seeded alias
    const std::string path = path_in(world, *write, pair.write.path);
    const std::string target = path + (pair.write.query.empty() ? "" : "?" + pair.write.query);
    const std::string body = body_in(world, pair.write.body);
    SCOPED_TRACE("PUT " + target + " " + body + ", then " + std::string(pair.read->operation_id));
    for (const Prerequisite& before : prerequisites(pair.write.operation_id)) {
        const RawResponse made = call(hs.port(), before.method, testing::kV3 + before.path,
                                      world.alice.token, before.body);
        ASSERT_EQ(made.status, 200) << before.method << " " << before.path << ": " << made.body;
    }
    const RawResponse written = call(hs.port(), "PUT", target, world.alice.token, body);
    if (needs_an_admin(pair.write.operation_id)) {
        EXPECT_EQ(written.status, 403) << written.body;
        return;
    }
    ASSERT_EQ(written.status, 200) << written.body;
    const std::string query = read_query(*pair.read, pair.write.query);
    const RawResponse read =
        call(hs.port(), "GET", path + (query.empty() ? "" : "?" + query), world.alice.token);
    ASSERT_EQ(read.status, 200) << read.body;
    const auto difference =
        first_difference(Json::parse(body), Json::parse(read.body), {.ignore_extra_members = true});
    EXPECT_FALSE(difference.has_value())
        << to_string(*difference) << "\n  read back: " << read.body;
}

INSTANTIATE_TEST_SUITE_P(EveryPutWithAGet, SimulationWriteThenRead,
                         ::testing::ValuesIn(write_then_read_pairs()),
                         [](const ::testing::TestParamInfo<WriteThenRead>& param) {
                             return param.param.write.operation_id;
                         });

}  // namespace
}  // namespace matrix::mock
