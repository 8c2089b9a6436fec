// Typed responses: the fields the seed's users read first, checked for presence and type.
#include "matrix/responses.hpp"

#include <string_view>

#include "json_dom.hpp"

namespace matrix::responses {
namespace {

// A response body as a JSON object, with the response kind ("login response") for messages.
class Body {
  public:
    Body(const Response& response, std::string_view kind) : kind_(kind) {
        if (!response.ok()) throw MatrixApiError(*response.matrix_error());
        const std::string reason = detail::parse_dom(response.body, document_);
        if (!reason.empty()) fail("body is not JSON: " + reason);
        if (!document_.IsObject())
            fail(std::string("body must be a JSON object, got ") + detail::type_name(document_));
    }

    std::string required_string(std::string_view name) const {
        const rapidjson::Value* value = detail::find_member(document_, name);
        if (value == nullptr) fail("missing required field '" + std::string(name) + "'");
        return string_value(*value, name);
    }

    // Absent and null read the same: some servers write null for "none".
    std::optional<std::string> optional_string(std::string_view name) const {
        const rapidjson::Value* value = present(name);
        if (value == nullptr) return std::nullopt;
        return string_value(*value, name);
    }

    std::optional<bool> optional_bool(std::string_view name) const {
        const rapidjson::Value* value = present(name);
        if (value == nullptr) return std::nullopt;
        if (!value->IsBool()) wrong_type(name, "a boolean", *value);
        return value->GetBool();
    }

    std::optional<Json> optional_object(std::string_view name) const {
        const rapidjson::Value* value = present(name);
        if (value == nullptr) return std::nullopt;
        if (!value->IsObject()) wrong_type(name, "an object", *value);
        std::string text;
        detail::StringOutput output{&text};
        detail::JsonWriter writer(output);
        value->Accept(writer);
        return Json::from_trusted_text(std::move(text), Json::Kind::object);
    }

    std::vector<std::string> required_strings(std::string_view name) const {
        const rapidjson::Value* value = detail::find_member(document_, name);
        if (value == nullptr) fail("missing required field '" + std::string(name) + "'");
        return strings(*value, name);
    }

    std::vector<std::string> optional_strings(std::string_view name) const {
        const rapidjson::Value* value = present(name);
        if (value == nullptr) return {};
        return strings(*value, name);
    }

  private:
    [[noreturn]] void fail(const std::string& reason) const {
        throw ResponseError(std::string(kind_) + ": " + reason);
    }

    [[noreturn]] void wrong_type(std::string_view name, std::string_view expected,
                                 const rapidjson::Value& actual) const {
        fail("field '" + std::string(name) + "' must be " + std::string(expected) + ", got " +
             detail::type_name(actual));
    }

    const rapidjson::Value* present(std::string_view name) const {
        const rapidjson::Value* value = detail::find_member(document_, name);
        return value == nullptr || value->IsNull() ? nullptr : value;
    }

    std::string string_value(const rapidjson::Value& value, std::string_view name) const {
        if (!value.IsString()) wrong_type(name, "a string", value);
        return detail::string_of(value);
    }

    std::vector<std::string> strings(const rapidjson::Value& value, std::string_view name) const {
        if (!value.IsArray()) wrong_type(name, "an array of strings", value);
        std::vector<std::string> out;
        out.reserve(value.Size());
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
            const std::string element = std::string(name) + "[" + std::to_string(i) + "]";
            out.push_back(string_value(value[i], element));
        }
        return out;
    }

    std::string_view kind_;
    rapidjson::Document document_;
};

}  // namespace

Login Login::from(const Response& response) {
    const Body body(response, "login response");
    Login login;
    login.user_id = body.required_string("user_id");
    login.access_token = body.required_string("access_token");
    login.device_id = body.required_string("device_id");
    login.well_known = body.optional_object("well_known");
    return login;
}

Login Login::from_register(const Response& response) {
    // With inhibit_login the server creates the account but no session: no token, no device.
    const Body body(response, "register response");
    Login login;
    login.user_id = body.required_string("user_id");
    login.access_token = body.optional_string("access_token").value_or("");
    login.device_id = body.optional_string("device_id").value_or("");
    login.well_known = body.optional_object("well_known");
    return login;
}

Whoami Whoami::from(const Response& response) {
    const Body body(response, "whoami response");
    return {body.required_string("user_id"), body.optional_string("device_id"),
            body.optional_bool("is_guest")};
}

JoinedRooms JoinedRooms::from(const Response& response) {
    const Body body(response, "joined_rooms response");
    return {body.required_strings("joined_rooms")};
}

RoomId RoomId::from(const Response& response) {
    const Body body(response, "room response");
    return {body.required_string("room_id")};
}

EventId EventId::from(const Response& response) {
    const Body body(response, "event response");
    return {body.required_string("event_id")};
}

ResolvedRoomAlias ResolvedRoomAlias::from(const Response& response) {
    const Body body(response, "resolve_room_alias response");
    // The spec lists servers but does not require it; an absent list reads as empty.
    return {body.required_string("room_id"), body.optional_strings("servers")};
}

Upload Upload::from(const Response& response) {
    const Body body(response, "upload response");
    return {body.required_string("content_uri")};
}

Versions Versions::from(const Response& response) {
    const Body body(response, "versions response");
    return {body.required_strings("versions"), body.optional_object("unstable_features")};
}

}  // namespace matrix::responses
