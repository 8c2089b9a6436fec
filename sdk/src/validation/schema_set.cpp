#include "validation/schema_set.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "validation/request_schemas.hpp"

namespace matrix::validation {
namespace {

std::string text_of(const rapidjson::Value& value) {
    return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : "";
}

[[noreturn]] void fail(std::string_view where, std::string_view what) {
    throw std::invalid_argument("request schemas: " + std::string(where) + ": " +
                                std::string(what));
}

std::uint8_t type_bit(std::string_view name, std::string_view where) {
    if (name == "null") return kNull;
    if (name == "boolean") return kBoolean;
    if (name == "integer") return kInteger;
    if (name == "number") return kNumber;
    if (name == "string") return kString;
    if (name == "object") return kObject;
    if (name == "array") return kArray;
    fail(where, "unknown type \"" + std::string(name) + "\"");
}

Format format_named(std::string_view name, std::string_view where) {
    if (name == "mx-user-id") return Format::user_id;
    if (name == "mx-room-id") return Format::room_id;
    if (name == "mx-event-id") return Format::event_id;
    if (name == "mx-room-alias") return Format::room_alias;
    if (name == "mx-mxc-uri") return Format::mxc_uri;
    if (name == "mx-server-name") return Format::server_name;
    if (name == "uri") return Format::uri;
    fail(where, "unknown format \"" + std::string(name) + "\"");
}

const rapidjson::Value& member(const rapidjson::Value& object, const char* name,
                               std::string_view where) {
    const auto found = object.FindMember(name);
    if (found == object.MemberEnd()) fail(where, std::string("no \"") + name + "\"");
    return found->value;
}

std::vector<std::string> strings_of(const rapidjson::Value& array, std::string_view where) {
    if (!array.IsArray()) fail(where, "not an array of names");
    std::vector<std::string> out;
    for (const auto& item : array.GetArray()) {
        if (!item.IsString()) fail(where, "not an array of names");
        out.push_back(text_of(item));
    }
    return out;
}

}  // namespace

const Schema* Schema::property(std::string_view name) const noexcept {
    const auto found = std::lower_bound(
        properties.begin(), properties.end(), name,
        [](const Member& member, std::string_view key) { return member.name < key; });
    return found != properties.end() && found->name == name ? found->schema : nullptr;
}

const SchemaSet& SchemaSet::spec() {
    static const SchemaSet set(kRequestSchemasJson);
    return set;
}

SchemaSet::SchemaSet(std::string_view json) {
    document_.Parse(json.data(), json.size());
    if (document_.HasParseError() || !document_.IsObject()) fail("document", "not a JSON object");
    const auto& operations = member(document_, "operations", "document");
    if (!operations.IsObject()) fail("operations", "not an object");
    for (const auto& [id_value, rules_value] : operations.GetObject()) {
        const std::string id = text_of(id_value);
        const EndpointSpec* operation = find_operation(id);
        if (operation == nullptr) fail(id, "no operation declared with this operationId");
        if (!rules_value.IsObject()) fail(id, "not an object");
        OperationRules rules;
        for (const char* location : {"path", "query"}) {
            const auto& params = member(rules_value, location, id);
            if (!params.IsObject()) fail(id, std::string(location) + " is not an object");
            auto& into = std::string_view(location) == "path" ? rules.path : rules.query;
            for (const auto& [name, schema] : params.GetObject()) {
                const std::string where = id + "." + location + "." + text_of(name);
                into.push_back({text_of(name), compile(schema, where)});
            }
        }
        rules.query_required = strings_of(member(rules_value, "query_required", id), id);
        if (const auto body = rules_value.FindMember("body"); body != rules_value.MemberEnd()) {
            const std::string where = id + ".body";
            if (!body->value.IsObject()) fail(where, "not an object");
            const auto& media = member(body->value, "media", where);
            const auto& required = member(body->value, "required", where);
            if (!media.IsString() || !required.IsBool()) fail(where, "media or required mistyped");
            rules.body = BodyRule{text_of(media) == "json", required.GetBool(),
                                  compile(member(body->value, "schema", where), where)};
        }
        if (const auto responses = rules_value.FindMember("responses");
            responses != rules_value.MemberEnd()) {
            if (!responses->value.IsObject()) fail(id + ".responses", "not an object");
            for (const auto& [status, schema] : responses->value.GetObject()) {
                const std::string where = id + ".responses." + text_of(status);
                const int code = std::atoi(text_of(status).c_str());
                if (code < 200 || code > 299) fail(where, "not a 2xx status");
                rules.responses.emplace(code, compile(schema, where));
            }
        }
        operations_.emplace(operation->operation_id, std::move(rules));
    }
    const auto& events = member(document_, "event_content", "document");
    if (!events.IsObject()) fail("event_content", "not an object");
    for (const auto& [type, schema] : events.GetObject()) {
        event_content_.emplace(text_of(type), compile(schema, "event_content." + text_of(type)));
    }
}

const Schema* SchemaSet::compile(const rapidjson::Value& node, std::string_view where) {
    if (!node.IsObject()) fail(where, "a schema is not an object");
    Schema& schema = nodes_.emplace_back();
    for (const auto& [key_value, value] : node.GetObject()) {
        const std::string key = text_of(key_value);
        const std::string inner = std::string(where) + "." + key;
        if (key == "type") {
            if (value.IsString()) {
                schema.types = type_bit(text_of(value), inner);
            } else {
                for (const std::string& name : strings_of(value, inner))
                    schema.types |= type_bit(name, inner);
            }
        } else if (key == "enum") {
            if (!value.IsArray()) fail(inner, "not an array");
            schema.enum_values = &value;
        } else if (key == "format") {
            schema.format = format_named(text_of(value), inner);
        } else if (key == "properties") {
            if (!value.IsObject()) fail(inner, "not an object");
            for (const auto& [name, property] : value.GetObject()) {
                schema.properties.push_back(
                    {text_of(name), compile(property, inner + "." + text_of(name))});
            }
            std::sort(schema.properties.begin(), schema.properties.end(),
                      [](const Member& a, const Member& b) { return a.name < b.name; });
        } else if (key == "required") {
            schema.required = strings_of(value, inner);
        } else if (key == "additionalProperties") {
            if (value.IsFalse()) {
                schema.additional_forbidden = true;
            } else {
                schema.additional = compile(value, inner);
            }
        } else if (key == "items") {
            schema.items = compile(value, inner);
        } else if (key == "oneOf") {
            if (!value.IsArray()) fail(inner, "not an array");
            for (const auto& alternative : value.GetArray())
                schema.one_of.push_back(compile(alternative, inner));
        } else {
            fail(inner, "unknown schema key");
        }
    }
    return &schema;
}

const OperationRules* SchemaSet::rules(const EndpointSpec& operation) const {
    const auto found = operations_.find(operation.operation_id);
    return found == operations_.end() ? nullptr : &found->second;
}

const Schema* SchemaSet::event_content(std::string_view event_type) const {
    const auto found = event_content_.find(event_type);
    return found == event_content_.end() ? nullptr : found->second;
}

}  // namespace matrix::validation
