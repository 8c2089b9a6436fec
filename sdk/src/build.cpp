// The generic builder: turns an endpoint declaration and its arguments into a Request.
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "json_writer.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/error.hpp"
#include "matrix/percent_encoding.hpp"
#include "seed_endpoints.hpp"

namespace matrix {

std::string_view to_string(ParamType type) noexcept {
    switch (type) {
        case ParamType::string:
            return "string";
        case ParamType::integer:
            return "integer";
        case ParamType::boolean:
            return "boolean";
        case ParamType::json_object:
            return "object";
        case ParamType::json_array:
            return "array";
        case ParamType::bytes:
            return "bytes";
    }
    return "value";
}

std::span<const EndpointSpec> seed_endpoints() noexcept { return seed::all; }

std::span<const EndpointSpec> find_endpoint_forms(std::string_view name) noexcept {
    const auto first = std::ranges::find(seed::all, name, &EndpointSpec::name);
    auto last = first;
    while (last != std::end(seed::all) && last->name == name) ++last;
    return {first, last};
}

namespace {

bool is_header_safe(std::string_view value) noexcept {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string_view param_label(const ParamSpec& param) { return param.name; }

[[noreturn]] void refuse(const ParamSpec& param, const std::string& reason) {
    throw InvalidArgument(std::string(param_label(param)), reason);
}

// Checks the value's type against the declaration; returns false when the argument is absent.
bool check_value(const ParamSpec& param, const ArgValue& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        if (param.required) refuse(param, "is required");
        return false;
    }
    bool type_ok = false;
    switch (param.type) {
        case ParamType::string:
            type_ok = std::holds_alternative<std::string_view>(value);
            break;
        case ParamType::integer:
            type_ok = std::holds_alternative<std::int64_t>(value);
            break;
        case ParamType::boolean:
            type_ok = std::holds_alternative<bool>(value);
            break;
        case ParamType::json_object:
            type_ok = std::holds_alternative<JsonArg>(value) &&
                      std::get<JsonArg>(value).value->kind() == Json::Kind::object;
            break;
        case ParamType::json_array:
            type_ok = std::holds_alternative<JsonArg>(value) &&
                      std::get<JsonArg>(value).value->kind() == Json::Kind::array;
            break;
        case ParamType::bytes:
            type_ok = std::holds_alternative<BytesArg>(value);
            break;
    }
    if (!type_ok) refuse(param, "must be of type " + std::string(to_string(param.type)));
    if (param.type == ParamType::string) {
        const std::string_view text = std::get<std::string_view>(value);
        if (!param.allow_empty && text.empty()) {
            refuse(param, param.location == ParamLocation::path ||
                                  param.location == ParamLocation::path_suffix
                              ? "must not be empty: it is an identifier in the request path"
                              : "must not be empty");
        }
        if (!detail::is_valid_utf8(text)) refuse(param, "is not valid UTF-8");
    }
    return true;
}

// Text form of a scalar for the path, query or a header.
std::string_view scalar_text(const ArgValue& value, char (&buffer)[24]) {
    if (const auto* text = std::get_if<std::string_view>(&value)) return *text;
    if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
    const auto number = std::get<std::int64_t>(value);
    const auto result = std::to_chars(std::begin(buffer), std::end(buffer), number);
    return {buffer, static_cast<std::size_t>(result.ptr - buffer)};
}

void expand_path(std::string& out, const EndpointSpec& spec, std::span<const ArgValue> args,
                 BuildOptions options) {
    const std::string_view tmpl = spec.path_template;
    std::size_t pos = 0;
    while (pos < tmpl.size()) {
        const std::size_t open = tmpl.find('{', pos);
        out.append(tmpl.substr(pos, open - pos));
        if (open == std::string_view::npos) break;
        const std::size_t close = tmpl.find('}', open);
        const std::string_view name = tmpl.substr(open + 1, close - open - 1);
        if (name == "version") {
            out += options.version == PathVersion::r0 ? "r0" : "v3";
        } else {
            for (std::size_t i = 0; i < spec.params.size(); ++i) {
                if (spec.params[i].name == name) {
                    append_percent_encoded(out, std::get<std::string_view>(args[i]));
                    break;
                }
            }
        }
        pos = close + 1;
    }
}

bool method_has_body(Method method) { return method == Method::post || method == Method::put; }

// Forwards a JSON object's members to the body writer, dropping the object's own braces, and
// collects the top-level member names so duplicates can be refused.
class MemberForwarder {
  public:
    MemberForwarder(detail::JsonWriter& writer, std::vector<std::string>& keys)
        : writer_(writer), keys_(keys) {}

    bool Null() { return writer_.Null(); }
    bool Bool(bool b) { return writer_.Bool(b); }
    bool Int(int i) { return writer_.Int(i); }
    bool Uint(unsigned u) { return writer_.Uint(u); }
    bool Int64(std::int64_t i) { return writer_.Int64(i); }
    bool Uint64(std::uint64_t u) { return writer_.Uint64(u); }
    bool Double(double d) { return writer_.Double(d); }
    bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
        return writer_.RawNumber(str, length, copy);
    }
    bool String(const char* str, rapidjson::SizeType length, bool copy) {
        return writer_.String(str, length, copy);
    }
    bool StartObject() { return ++depth_ == 1 ? true : writer_.StartObject(); }
    bool Key(const char* str, rapidjson::SizeType length, bool copy) {
        if (depth_ == 1) keys_.emplace_back(str, length);
        return writer_.Key(str, length, copy);
    }
    bool EndObject(rapidjson::SizeType count) {
        return --depth_ == 0 ? true : writer_.EndObject(count);
    }
    bool StartArray() { return writer_.StartArray(); }
    bool EndArray(rapidjson::SizeType count) { return writer_.EndArray(count); }

  private:
    detail::JsonWriter& writer_;
    std::vector<std::string>& keys_;
    int depth_ = 0;
};

void write_json_body(std::string& out, const EndpointSpec& spec, std::span<const ArgValue> args) {
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        if (spec.params[i].location == ParamLocation::body_whole &&
            !std::holds_alternative<std::monostate>(args[i])) {
            out = std::get<JsonArg>(args[i]).value->text();
            return;
        }
    }
    detail::StringOutput output{&out};
    detail::JsonWriter writer(output);
    std::vector<std::string> merged_keys;
    writer.StartObject();
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        const ParamSpec& param = spec.params[i];
        const ArgValue& value = args[i];
        if (std::holds_alternative<std::monostate>(value)) continue;
        if (param.location == ParamLocation::body_merge) {
            const Json& object = *std::get<JsonArg>(value).value;
            rapidjson::Reader reader;
            rapidjson::MemoryStream stream(object.text().data(), object.text().size());
            MemberForwarder forwarder(writer, merged_keys);
            reader.Parse<detail::kStrictParseFlags>(stream, forwarder);
            continue;
        }
        if (param.location != ParamLocation::body_field) continue;
        const std::string_view key = param.key();
        writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        if (const auto* text = std::get_if<std::string_view>(&value)) {
            writer.String(text->data(), static_cast<rapidjson::SizeType>(text->size()));
        } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
            writer.Int64(*number);
        } else if (const auto* flag = std::get_if<bool>(&value)) {
            writer.Bool(*flag);
        } else {
            const Json& json = *std::get<JsonArg>(value).value;
            writer.RawValue(json.text().data(), json.text().size(),
                            json.is_object() ? rapidjson::kObjectType : rapidjson::kArrayType);
        }
    }
    writer.EndObject();
    // A member given both inside a merged object (e.g. `auth`) and as its own argument would
    // be sent twice; servers disagree on which wins, so refuse it.
    for (std::size_t i = 0; i < spec.params.size() && !merged_keys.empty(); ++i) {
        const ParamSpec& param = spec.params[i];
        if (param.location != ParamLocation::body_field ||
            std::holds_alternative<std::monostate>(args[i])) {
            continue;
        }
        if (std::ranges::find(merged_keys, param.key()) != merged_keys.end()) {
            refuse(param, "sets body member '" + std::string(param.key()) +
                              "', which another argument already sets");
        }
    }
}

}  // namespace

Request build(const EndpointSpec& spec, std::span<const ArgValue> args, BuildOptions options) {
    if (args.size() != spec.params.size()) {
        throw std::logic_error("build(" + std::string(spec.name) +
                               "): " + std::to_string(args.size()) + " arguments for " +
                               std::to_string(spec.params.size()) + " parameters");
    }
    Request request;
    request.method = spec.method;
    bool has_raw_body = false;
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        const ParamSpec& param = spec.params[i];
        if (!check_value(param, args[i])) continue;
        char buffer[24];
        switch (param.location) {
            case ParamLocation::base_url: {
                // The base URL ends up in the Host header and the request line.
                const std::string_view base_url = std::get<std::string_view>(args[i]);
                if (!is_header_safe(base_url)) {
                    refuse(param, "contains CR, LF or NUL, which would inject HTTP headers");
                }
                request.base_url = base_url;
                break;
            }
            case ParamLocation::bearer_token: {
                const std::string_view token = std::get<std::string_view>(args[i]);
                if (!is_header_safe(token)) {
                    refuse(param, "contains CR, LF or NUL, which would inject HTTP headers");
                }
                std::string value = "Bearer ";
                value += token;
                request.headers.push_back({"Authorization", std::move(value)});
                break;
            }
            case ParamLocation::header: {
                const std::string_view value = scalar_text(args[i], buffer);
                if (!is_header_safe(value)) {
                    refuse(param, "contains CR, LF or NUL, which would inject HTTP headers");
                }
                request.headers.push_back({std::string(param.key()), std::string(value)});
                break;
            }
            case ParamLocation::query:
                request.query.push_back(
                    {std::string(param.key()), std::string(scalar_text(args[i], buffer))});
                break;
            case ParamLocation::body_raw:
                has_raw_body = true;
                request.body = std::get<BytesArg>(args[i]).value;
                break;
            default:
                break;  // path and JSON body parameters are written below, in template order
        }
    }
    if (!spec.fixed_query_name.empty()) {
        request.query.push_back(
            {std::string(spec.fixed_query_name), std::string(spec.fixed_query_value)});
    }
    expand_path(request.path, spec, args, options);
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        if (spec.params[i].location == ParamLocation::path_suffix &&
            !std::holds_alternative<std::monostate>(args[i])) {
            request.path.push_back('/');
            append_percent_encoded(request.path, std::get<std::string_view>(args[i]));
        }
    }
    if (has_raw_body) {
        request.body_kind = BodyKind::raw;
    } else if (method_has_body(spec.method)) {
        request.body_kind = BodyKind::json;
        write_json_body(request.body, spec, args);
    }
    return request;
}

}  // namespace matrix
