// JSON helpers for the simulation: parsing outside input, writing values, building replies.
//
// Bodies are parsed as the SDK's json_text_dom.hpp parses them: an integer within 64 bits is a
// typed number (so a filter's limit reads as one), any other number is kept as its text in a
// marked string, so that event content, account data and filters are stored and echoed with
// every number as the client wrote it. member_string() never takes such a number for a string.
#include "json_text_dom.hpp"
#include "json_writer.hpp"
#include "simulation/state.hpp"

namespace matrix::mock::sim {

std::string quote(std::string_view text) {
    std::string out;
    matrix::detail::append_json_string(out, text);
    return out;
}

std::string to_text(const rapidjson::Value& value) {
    return matrix::detail::compact_text_of(value);
}

std::optional<rapidjson::Document> parse_object(std::string_view body) {
    rapidjson::Document document;
    // Clients such as matrix-js-sdk POST /logout with no body at all.
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        document.SetObject();
        return document;
    }
    // Also bounds the nesting, which to_text's recursive walk needs.
    if (!matrix::detail::parse_text_dom(body, document).empty() || !document.IsObject())
        return std::nullopt;
    return document;
}

bool is_client_string(const rapidjson::Value& value) {
    return matrix::detail::is_text_string(value);
}

std::optional<std::string> member_string(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject()) return std::nullopt;
    const auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !is_client_string(it->value)) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string member_text(const rapidjson::Value& object, const char* key, std::string fallback) {
    if (!object.IsObject()) return fallback;
    const auto it = object.FindMember(key);
    return it == object.MemberEnd() ? fallback : to_text(it->value);
}

JsonObject& JsonObject::raw(std::string_view key, std::string_view json) {
    if (text_.size() > 1) text_ += ',';
    matrix::detail::append_json_string(text_, key);
    text_ += ':';
    text_ += json;
    return *this;
}

JsonObject& JsonObject::str(std::string_view key, std::string_view value) {
    if (text_.size() > 1) text_ += ',';
    matrix::detail::append_json_string(text_, key);
    text_ += ':';
    matrix::detail::append_json_string(text_, value);
    return *this;
}

JsonObject& JsonObject::num(std::string_view key, std::int64_t value) {
    return raw(key, std::to_string(value));
}

JsonObject& JsonObject::boolean(std::string_view key, bool value) {
    return raw(key, value ? "true" : "false");
}

std::string json_array(const std::vector<std::string>& json_items) {
    std::string out = "[";
    for (std::size_t i = 0; i < json_items.size(); ++i) {
        if (i > 0) out += ',';
        out += json_items[i];
    }
    return out + "]";
}

ResponseDefinition ok(std::string json, int status) {
    ResponseDefinition response;
    response.status = status;
    response.body = std::move(json);
    response.json = true;
    return response;
}

ResponseDefinition error(std::string_view errcode, std::string_view message, int status) {
    return ResponseDefinition::matrix_error(errcode, message, {}, {}, status);
}

std::optional<std::string> query(const Call& call, std::string_view name) {
    for (const QueryParam& param : call.entry.query) {
        if (param.name == name) return param.value;
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
