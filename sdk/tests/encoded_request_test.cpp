// encode() against render(build()): for every seed form and every shipped vector, the one-buffer
// wire encoding must carry the same method, target, headers and body, laid out as HTTP/1.1, and
// must refuse exactly what the builder refuses, with the same message.
#include "matrix/encoded_request.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "matrix/api.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/error.hpp"
#include "matrix/named_builder.hpp"

namespace matrix {
namespace {

using namespace std::literals;

// ---- What both paths must agree on -------------------------------------------------------------

std::vector<Header> own_headers(const EncodedRequest& encoded) {
    std::vector<Header> headers;
    for (const HeaderView& header : encoded.headers()) {
        headers.push_back({std::string(header.name), std::string(header.value)});
    }
    return headers;
}

// The whole request written the plain way, from the rendered parts.
std::string expected_bytes(const WireRequest& wire, BodyKind body_kind, std::string_view host,
                           std::string_view path_prefix) {
    std::string out = wire.method + " " + std::string(path_prefix) + wire.target + " HTTP/1.1\r\n";
    bool has_content_type = false;
    for (const Header& header : wire.headers) {
        out += header.name + ": " + header.value + "\r\n";
        has_content_type = has_content_type || header_name_equals(header.name, "content-type");
    }
    if (body_kind == BodyKind::json && !has_content_type) {
        out += "Content-Type: application/json\r\n";
    }
    out += "Host: " + std::string(host) + "\r\n";
    if (body_kind != BodyKind::none) {
        out += "Content-Length: " + std::to_string(wire.body.size()) + "\r\n";
    }
    return out + "\r\n" + wire.body;
}

void expect_same_request(const EncodedRequest& encoded, const Request& request,
                         std::string_view host = "matrix.org", std::string_view path_prefix = "") {
    const WireRequest wire = render(request);
    EXPECT_EQ(encoded.method(), wire.method);
    EXPECT_EQ(encoded.target(), std::string(path_prefix) + wire.target);
    EXPECT_EQ(own_headers(encoded), wire.headers);
    EXPECT_EQ(encoded.body(), wire.body);
    EXPECT_EQ(encoded.body_kind(), request.body_kind);
    EXPECT_EQ(encoded.bytes(), expected_bytes(wire, request.body_kind, host, path_prefix));
    EXPECT_EQ(encoded.head(), encoded.bytes().substr(0, encoded.bytes().size() - wire.body.size()));
}

// "ok", or the kind and message of what was thrown: refusals must match to the letter.
template <typename F>
std::string outcome_of(F&& call) {
    try {
        call();
    } catch (const InvalidArgument& e) {
        return "InvalidArgument: "s + e.what();
    } catch (const ArgumentSchemaError& e) {
        return "ArgumentSchemaError: "s + e.what();
    } catch (const std::logic_error& e) {
        return "logic_error: "s + e.what();
    }
    return "ok";
}

// ---- Every seed form, with every argument and with the required ones only -----------------------

const Json& sample_object() {
    static const Json object = Json::parse(R"({"body":"Ça va? \"hi\"\n👋","msgtype":"m.text"})");
    return object;
}
const Json& sample_array() {
    static const Json array = Json::string_array({"@a:matrix.org", "@b:matrix.org"});
    return array;
}

// Values that need encoding wherever they go: reserved characters, spaces, non-ASCII.
std::vector<ArgValue> sample_args(const EndpointSpec& spec, bool with_optional) {
    std::vector<ArgValue> args;
    for (const ParamSpec& param : spec.params) {
        if (!param.required && !with_optional) {
            args.emplace_back(std::monostate{});
            continue;
        }
        switch (param.type) {
            case ParamType::string:
                if (param.location == ParamLocation::base_url) {
                    args.emplace_back(std::string_view("https://matrix.org"));
                } else if (param.location == ParamLocation::header ||
                           param.location == ParamLocation::bearer_token) {
                    args.emplace_back(std::string_view("syt_a/b c:é"));
                } else {
                    args.emplace_back(std::string_view("!a b/c?d&e=f+g:é\"\\\x01"));
                }
                break;
            case ParamType::integer:
                args.emplace_back(std::int64_t{-42});
                break;
            case ParamType::boolean:
                args.emplace_back(true);
                break;
            case ParamType::json_object:
                args.emplace_back(JsonArg{&sample_object()});
                break;
            case ParamType::json_array:
                args.emplace_back(JsonArg{&sample_array()});
                break;
            case ParamType::json_value:
                args.emplace_back(JsonArg{&sample_object()});
                break;
            case ParamType::bytes: {
                static const std::string bytes = "\0raw\r\n bytes"s;
                args.emplace_back(BytesArg{bytes});
                break;
            }
        }
    }
    return args;
}

std::string form_name(const EndpointSpec& spec) {
    return std::string(spec.name) + (spec.form.empty() ? "" : "_" + std::string(spec.form));
}

class EveryForm : public ::testing::TestWithParam<const EndpointSpec*> {};

TEST_P(EveryForm, EncodesWhatRenderOfBuildGivesWithEveryArgument) {
    const std::vector<ArgValue> args = sample_args(*GetParam(), true);
    for (const BuildOptions options : {BuildOptions{}, BuildOptions{.version = PathVersion::v3}}) {
        expect_same_request(encode(*GetParam(), args, options), build(*GetParam(), args, options));
    }
}

TEST_P(EveryForm, EncodesWhatRenderOfBuildGivesWithRequiredArgumentsOnly) {
    const std::vector<ArgValue> args = sample_args(*GetParam(), false);
    expect_same_request(encode(*GetParam(), args), build(*GetParam(), args));
}

TEST_P(EveryForm, PutsTheBaseUrlPathPrefixInTheTargetAndItsHostInHost) {
    std::vector<ArgValue> args = sample_args(*GetParam(), true);
    args[0] = std::string_view("http://[::1]:8008/matrix//");
    expect_same_request(encode(*GetParam(), args), build(*GetParam(), args), "[::1]:8008",
                        "/matrix");
}

// Each refusable value in each argument: both paths refuse it with the same message.
TEST_P(EveryForm, RefusesWhatBuildRefusesWithTheSameMessage) {
    const EndpointSpec& spec = *GetParam();
    const std::vector<ArgValue> valid = sample_args(spec, true);
    const std::string_view bad_values[] = {"", "a\r\nX-Injected: 1", "nul\0"sv, "\xC3\x28"};
    int refusals = 0;
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        std::vector<ArgValue> args = valid;
        std::vector<ArgValue> candidates;
        for (const std::string_view bad : bad_values) candidates.emplace_back(bad);
        candidates.emplace_back(std::monostate{});
        candidates.emplace_back(true);  // the wrong type for most parameters
        for (const ArgValue& candidate : candidates) {
            args[i] = candidate;
            const std::string built = outcome_of([&] { build(spec, args); });
            const std::string encoded = outcome_of([&] { encode(spec, args); });
            EXPECT_EQ(encoded, built) << spec.params[i].name;
            refusals += built != "ok" ? 1 : 0;
        }
    }
    EXPECT_GT(refusals, 0);
    const std::vector<ArgValue> too_few(valid.begin(), valid.end() - 1);
    EXPECT_EQ(outcome_of([&] { encode(spec, too_few); }),
              outcome_of([&] { build(spec, too_few); }));
}

// Seed forms are encoded by code specialised for their declaration; any other declaration by
// the general encoder. A copy of a seed declaration is such another one: both must give the same
// bytes, and refuse alike.
TEST_P(EveryForm, EncodesLikeACopyOfItsDeclarationThatTheGeneralEncoderTakes) {
    const EndpointSpec& seed = *GetParam();
    const EndpointSpec copy = seed;
    for (const bool every_argument : {true, false}) {
        const std::vector<ArgValue> args = sample_args(seed, every_argument);
        for (const BuildOptions options :
             {BuildOptions{}, BuildOptions{.version = PathVersion::v3}}) {
            EXPECT_EQ(encode(copy, args, options).bytes(), encode(seed, args, options).bytes());
        }
    }
    std::vector<ArgValue> args = sample_args(seed, true);
    for (std::size_t i = 0; i < seed.params.size(); ++i) {
        const ArgValue kept = args[i];
        for (const ArgValue bad : {ArgValue(std::string_view("\xC3\x28")),
                                   ArgValue(std::string_view("")), ArgValue(std::monostate{})}) {
            args[i] = bad;
            EXPECT_EQ(outcome_of([&] { encode(copy, args); }),
                      outcome_of([&] { encode(seed, args); }))
                << seed.params[i].name;
        }
        args[i] = kept;
    }
}

std::vector<const EndpointSpec*> all_forms() {
    std::vector<const EndpointSpec*> forms;
    for (const EndpointSpec& spec : seed_endpoints()) forms.push_back(&spec);
    return forms;
}

INSTANTIATE_TEST_SUITE_P(SeedForms, EveryForm, ::testing::ValuesIn(all_forms()),
                         [](const auto& form) { return form_name(*form.param); });

TEST(EveryFormList, HasAllSixtySeedForms) { EXPECT_EQ(all_forms().size(), 60U); }

// ---- Every shipped vector, through the by-name entry points
// --------------------------------------

struct Vector {
    std::string id;
    std::string endpoint;
    std::string args_json;
};

std::string test_name(const Vector& vector, std::size_t index) {
    std::string name = std::to_string(index) + "_";
    for (const char c : vector.id) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return name;
}

std::vector<Vector> shipped_vectors() {
    std::vector<Vector> vectors;
    for (const auto& entry : std::filesystem::directory_iterator(MATRIX_VECTORS_DIR)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream file(entry.path());
        std::stringstream text;
        text << file.rdbuf();
        rapidjson::Document document;
        document.Parse(text.str().c_str());
        if (document.HasParseError())
            throw std::runtime_error("bad JSON in " + entry.path().string());
        for (const rapidjson::Value& vector : document["vectors"].GetArray()) {
            rapidjson::StringBuffer args;
            rapidjson::Writer<rapidjson::StringBuffer> writer(args);
            vector["args"].Accept(writer);
            vectors.push_back(
                {vector["id"].GetString(), vector["endpoint"].GetString(), args.GetString()});
        }
    }
    return vectors;
}

class EveryVector : public ::testing::TestWithParam<Vector> {};

TEST_P(EveryVector, EncodesWhatRenderOfBuildGivesOrRefusesAlike) {
    const Vector& vector = GetParam();
    const std::string built =
        outcome_of([&] { static_cast<void>(build_by_name(vector.endpoint, vector.args_json)); });
    const std::string encoded =
        outcome_of([&] { static_cast<void>(encode_by_name(vector.endpoint, vector.args_json)); });
    ASSERT_EQ(encoded, built);
    if (built == "ok") {
        expect_same_request(encode_by_name(vector.endpoint, vector.args_json),
                            build_by_name(vector.endpoint, vector.args_json));
    }
}

const std::vector<Vector>& vectors() {
    static const std::vector<Vector> all = shipped_vectors();
    return all;
}

INSTANTIATE_TEST_SUITE_P(Shipped, EveryVector, ::testing::ValuesIn(vectors()),
                         [](const auto& vector) { return test_name(vector.param, vector.index); });

TEST(EveryVectorList, HasEveryShippedVector) { EXPECT_GE(vectors().size(), 135U); }

// ---- The typed API's encoded result, and the value itself
// ----------------------------------------

TEST(EncodedRequest, TypedSendRoomEventIsTheWholeHttpRequest) {
    const RoomEvent event = RoomEvent::message("!room:matrix.org", MessageType::text, "Hi", "txn1");
    const EncodedRequest encoded =
        api::send_room_event<EncodedRequest>("https://matrix.org", "token", event);
    EXPECT_EQ(encoded.bytes(),
              "PUT /_matrix/client/r0/rooms/%21room%3Amatrix.org/send/m.room.message/txn1 "
              "HTTP/1.1\r\n"
              "Authorization: Bearer token\r\n"
              "Content-Type: application/json\r\n"
              "Host: matrix.org\r\n"
              "Content-Length: 32\r\n"
              "\r\n"
              R"({"body":"Hi","msgtype":"m.text"})");
    expect_same_request(encoded, api::send_room_event("https://matrix.org", "token", event));
}

TEST(EncodedRequest, TypedBuildersRefuseLikeTheirRequestForm) {
    EXPECT_EQ(outcome_of([] { api::room_kick<EncodedRequest>("https://m", "t", "", "@u:m"); }),
              outcome_of([] { api::room_kick("https://m", "t", "", "@u:m"); }));
}

TEST(EncodedRequest, GetHasNeitherBodyNorContentLength) {
    const EncodedRequest encoded = api::whoami<EncodedRequest>("https://matrix.org:8448", "t");
    EXPECT_EQ(encoded.bytes(),
              "GET /_matrix/client/r0/account/whoami HTTP/1.1\r\nAuthorization: Bearer t\r\n"
              "Host: matrix.org:8448\r\n\r\n");
    EXPECT_TRUE(encoded.body().empty());
    EXPECT_EQ(encoded.body_kind(), BodyKind::none);
}

TEST(EncodedRequest, UploadKeepsItsOwnContentTypeAndAddsNoJsonOne) {
    const EncodedRequest encoded = api::upload<EncodedRequest>(
        "https://matrix.org", "t", "PNG", {.filename = "a b.png", .content_type = "image/png"});
    EXPECT_EQ(encoded.head().find("application/json"), std::string_view::npos);
    EXPECT_NE(encoded.head().find("\r\nContent-Type: image/png\r\nHost: matrix.org\r\n"
                                  "Content-Length: 3\r\n\r\n"),
              std::string_view::npos);
    EXPECT_EQ(encoded.body(), "PNG");
}

TEST(EncodedRequest, CopiesOwnTheirBytes) {
    EncodedRequest original = api::whoami<EncodedRequest>("https://matrix.org", "t");
    const EncodedRequest copy = original;
    original = EncodedRequest();
    EXPECT_TRUE(original.bytes().empty());
    EXPECT_EQ(copy.method(), "GET");
    EXPECT_EQ(copy.target(), "/_matrix/client/r0/account/whoami");
}

TEST(EncodedRequest, DefaultConstructedHasEmptyViews) {
    const EncodedRequest empty;
    EXPECT_TRUE(empty.bytes().empty());
    EXPECT_TRUE(empty.target().empty());
    EXPECT_TRUE(empty.headers().empty());
    EXPECT_TRUE(empty.body().empty());
}

}  // namespace
}  // namespace matrix
