// Builders called by name with JSON arguments: maps a JSON object onto an endpoint's
// declaration, choosing the overload whose parameters fit the arguments given.
#include "matrix/named_builder.hpp"

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "json_text_dom.hpp"
#include "json_writer.hpp"
#include "matrix/error.hpp"

namespace matrix {
namespace {

// Seed forms write members of struct arguments "struct.member"; an operation's parameter names
// are the spec's, and a '.' in them is part of the name (setReadMarker's "m.fully_read").
std::string_view struct_name(const EndpointSpec& spec, std::string_view param_name) {
    if (!is_seed_form(spec)) return param_name;
    const std::size_t dot = param_name.find('.');
    return dot == std::string_view::npos ? param_name : param_name.substr(0, dot);
}

std::string_view member_name(const EndpointSpec& spec, std::string_view param_name) {
    if (!is_seed_form(spec)) return {};
    const std::size_t dot = param_name.find('.');
    return dot == std::string_view::npos ? std::string_view() : param_name.substr(dot + 1);
}

// The arguments' DOM keeps numbers as json_text_dom.hpp does: an integer within 64 bits typed,
// any other number as its text in a marked string, which is a number here, not a string.
const char* json_type_name(const rapidjson::Value& value) {
    if (value.IsNull()) return "null";
    if (value.IsBool()) return "boolean";
    if (detail::is_number(value)) return value.IsInt64() || value.IsUint64() ? "integer" : "number";
    if (value.IsString()) return "string";
    if (value.IsArray()) return "array";
    return "object";
}

std::string known_arguments(const EndpointSpec& spec) {
    std::string names;
    std::string_view previous;
    for (const ParamSpec& param : spec.params) {
        const std::string_view name = struct_name(spec, param.name);
        if (name == previous) continue;
        previous = name;
        if (!names.empty()) names += ", ";
        names += name;
    }
    return names;
}

bool declares_argument(const EndpointSpec& spec, std::string_view name) {
    for (const ParamSpec& param : spec.params) {
        if (struct_name(spec, param.name) == name) return true;
    }
    return false;
}

Json::Kind kind_of(const rapidjson::Value& value) {
    if (value.IsNull()) return Json::Kind::null;
    if (value.IsBool()) return Json::Kind::boolean;
    if (detail::is_number(value)) return Json::Kind::number;
    if (value.IsString()) return Json::Kind::string;
    return value.IsArray() ? Json::Kind::array : Json::Kind::object;
}

// Note: FindMember(StringRef) would pick the const char* overload and run strlen past a
// string_view, so names are always wrapped in a Value.

// Arguments converted for one form; owns the JSON texts the ArgValues point at.
struct ConvertedArgs {
    std::vector<ArgValue> values;
    std::deque<Json> json_values;  // a deque keeps addresses stable as it grows
};

// Converts `args` for `spec`, or returns the reason they do not fit it.
std::optional<std::string> convert(const EndpointSpec& spec, const rapidjson::Value& args,
                                   ConvertedArgs& out) {
    for (auto it = args.MemberBegin(); it != args.MemberEnd(); ++it) {
        const std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (!declares_argument(spec, name)) {
            return "unknown argument '" + std::string(name) +
                   "' (arguments: " + known_arguments(spec) + ")";
        }
    }
    out.values.clear();
    for (const ParamSpec& param : spec.params) {
        const std::string_view top = struct_name(spec, param.name);
        const std::string_view member = member_name(spec, param.name);
        const auto found =
            args.FindMember(rapidjson::Value(rapidjson::StringRef(top.data(), top.size())));
        const rapidjson::Value* value = found == args.MemberEnd() ? nullptr : &found->value;
        if (value != nullptr && !member.empty()) {
            if (!value->IsObject()) {
                return "argument '" + std::string(top) + "' must be an object, got " +
                       json_type_name(*value);
            }
            const auto field = value->FindMember(
                rapidjson::Value(rapidjson::StringRef(member.data(), member.size())));
            value = field == value->MemberEnd() ? nullptr : &field->value;
        }
        if (value == nullptr) {
            if (param.required) {
                return "missing required argument '" + std::string(param.name) + "'";
            }
            out.values.emplace_back(std::monostate{});
            continue;
        }
        const auto mistyped = [&] {
            return "argument '" + std::string(param.name) + "' must be of type " +
                   std::string(to_string(param.type)) + ", got " + json_type_name(*value);
        };
        switch (param.type) {
            case ParamType::string:
                if (!detail::is_text_string(*value)) return mistyped();
                out.values.emplace_back(
                    std::string_view(value->GetString(), value->GetStringLength()));
                break;
            case ParamType::bytes:
                if (!detail::is_text_string(*value)) return mistyped();
                out.values.emplace_back(
                    BytesArg{std::string_view(value->GetString(), value->GetStringLength())});
                break;
            case ParamType::integer:
                if (!value->IsInt64()) return mistyped();
                out.values.emplace_back(value->GetInt64());
                break;
            case ParamType::boolean:
                if (!value->IsBool()) return mistyped();
                out.values.emplace_back(value->GetBool());
                break;
            case ParamType::json_object:
            case ParamType::json_array:
            case ParamType::json_value: {
                const bool want_object = param.type == ParamType::json_object;
                const bool want_array = param.type == ParamType::json_array;
                if ((want_object && !value->IsObject()) || (want_array && !value->IsArray())) {
                    return mistyped();
                }
                std::string text;
                detail::StringOutput output{&text};
                detail::JsonWriter writer(output);
                // Every number as the caller wrote it.
                detail::NumberTextOutput<detail::JsonWriter> numbers(writer);
                value->Accept(numbers);
                out.json_values.push_back(
                    Json::from_trusted_text(std::move(text), kind_of(*value)));
                out.values.emplace_back(JsonArg{&out.json_values.back()});
                break;
            }
        }
    }
    // Members of struct arguments must all be declared too.
    for (auto it = args.MemberBegin(); it != args.MemberEnd(); ++it) {
        if (!it->value.IsObject()) continue;
        const std::string_view top(it->name.GetString(), it->name.GetStringLength());
        bool is_struct = false;
        for (const ParamSpec& param : spec.params) {
            is_struct = is_struct || (struct_name(spec, param.name) == top &&
                                      !member_name(spec, param.name).empty());
        }
        if (!is_struct) continue;
        for (auto field = it->value.MemberBegin(); field != it->value.MemberEnd(); ++field) {
            const std::string full = std::string(top) + "." + field->name.GetString();
            bool known = false;
            for (const ParamSpec& param : spec.params) known = known || param.name == full;
            if (!known) return "unknown member '" + full + "'";
        }
    }
    return std::nullopt;
}

rapidjson::Document parse_args(std::string_view endpoint, std::string_view args_json) {
    // A first pass bounds the nesting: the DOM built below is walked recursively.
    rapidjson::BaseReaderHandler<> ignore;
    detail::DepthLimiter<rapidjson::BaseReaderHandler<>> limiter(ignore);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(args_json.data(), args_json.size());
    reader.Parse<detail::kStrictParseFlags>(stream, limiter);
    if (limiter.too_deep()) {
        throw ArgumentSchemaError("arguments of '" + std::string(endpoint) +
                                  "' nest objects and arrays deeper than " +
                                  std::to_string(detail::kMaxNestingDepth) + " levels");
    }
    // Numbers are kept as written (RapidJSON's own conversion would round a JSON argument's
    // numbers on their way into the body) and refused beyond the largest double.
    rapidjson::Document args;
    const std::string problem =
        detail::parse_text_dom(args_json, args, detail::NestingLimit::caller_checks);
    if (!problem.empty()) {
        throw ArgumentSchemaError("arguments of '" + std::string(endpoint) +
                                  "' are not valid JSON: " + problem);
    }
    if (!args.IsObject()) {
        throw ArgumentSchemaError("arguments of '" + std::string(endpoint) +
                                  "' must be a JSON object");
    }
    return args;
}

// The forms `endpoint` names. A seed name that is also an operationId (sync, login, logout,
// logout_all) names the seed's forms and then the operation itself: arguments only the spec has
// (login's "identifier", sync's "use_state_after") choose the operation.
std::vector<const EndpointSpec*> forms_named(std::string_view endpoint) {
    std::vector<const EndpointSpec*> forms;
    for (const EndpointSpec& form : find_endpoint_forms(endpoint)) forms.push_back(&form);
    if (!forms.empty() && is_seed_form(*forms.front())) {
        if (const EndpointSpec* operation = find_operation(endpoint)) forms.push_back(operation);
    }
    return forms;
}

const EndpointSpec& select(std::string_view endpoint, const rapidjson::Value& args,
                           ConvertedArgs& converted) {
    const std::vector<const EndpointSpec*> forms = forms_named(endpoint);
    if (forms.empty()) throw UnknownEndpoint("unknown endpoint '" + std::string(endpoint) + "'");
    std::string reasons;
    for (const EndpointSpec* form_pointer : forms) {
        const EndpointSpec& form = *form_pointer;
        const auto problem = convert(form, args, converted);
        if (!problem) return form;
        if (forms.size() == 1) throw ArgumentSchemaError(std::string(endpoint) + ": " + *problem);
        reasons += "; as the ";
        reasons += is_seed_form(form) ? to_string(form.method) : "spec operation's";
        reasons += " form: " + *problem;
    }
    throw ArgumentSchemaError("arguments fit no form of '" + std::string(endpoint) + "'" + reasons);
}

// Calls `use(spec, values)` with the form the arguments fit and the arguments converted for it.
template <typename Use>
auto with_converted_args(std::string_view endpoint, std::string_view args_json, Use&& use) {
    const rapidjson::Document args = parse_args(endpoint, args_json);
    ConvertedArgs converted;
    const EndpointSpec& spec = select(endpoint, args, converted);
    return use(spec, std::span<const ArgValue>(converted.values));
}

}  // namespace

Request build_by_name(std::string_view endpoint, std::string_view args_json, BuildOptions options) {
    return with_converted_args(endpoint, args_json,
                               [&](const EndpointSpec& spec, std::span<const ArgValue> values) {
                                   return build(spec, values, options);
                               });
}

EncodedRequest encode_by_name(std::string_view endpoint, std::string_view args_json,
                              BuildOptions options) {
    return with_converted_args(endpoint, args_json,
                               [&](const EndpointSpec& spec, std::span<const ArgValue> values) {
                                   return encode(spec, values, options);
                               });
}

const EndpointSpec& select_form(std::string_view endpoint, std::string_view args_json) {
    const rapidjson::Document args = parse_args(endpoint, args_json);
    ConvertedArgs converted;
    return select(endpoint, args, converted);
}

}  // namespace matrix
