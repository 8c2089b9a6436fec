// What every builder refuses before it writes a byte: missing or mistyped arguments, empty
// path identifiers, invalid UTF-8, header injection and body members set twice.
#include <stdexcept>
#include <string>

#include "matrix/error.hpp"
#include "request_parts.hpp"
#include "utf8.hpp"

namespace matrix::detail {
namespace {

[[noreturn]] void refuse(const ParamSpec& param, const std::string& reason) {
    throw InvalidArgument(std::string(param.name), reason);
}

bool has_declared_type(const ParamSpec& param, const ArgValue& value) {
    switch (param.type) {
        case ParamType::string:
            return std::holds_alternative<std::string_view>(value);
        case ParamType::integer:
            return std::holds_alternative<std::int64_t>(value);
        case ParamType::boolean:
            return std::holds_alternative<bool>(value);
        case ParamType::json_object:
            return std::holds_alternative<JsonArg>(value) &&
                   std::get<JsonArg>(value).value->kind() == Json::Kind::object;
        case ParamType::json_array:
            return std::holds_alternative<JsonArg>(value) &&
                   std::get<JsonArg>(value).value->kind() == Json::Kind::array;
        case ParamType::bytes:
            return std::holds_alternative<BytesArg>(value);
        case ParamType::json_value:
            return std::holds_alternative<JsonArg>(value);
    }
    return false;
}

void check_argument(const ParamSpec& param, const ArgValue& value) {
    if (!is_given(value)) {
        if (param.required) refuse(param, "is required");
        return;
    }
    if (!has_declared_type(param, value)) {
        refuse(param, "must be of type " + std::string(to_string(param.type)));
    }
    // The base URL ends up in the Host header and the request line.
    const bool goes_into_a_header = param.location == ParamLocation::base_url ||
                                    param.location == ParamLocation::bearer_token ||
                                    param.location == ParamLocation::header;
    if (param.location == ParamLocation::query && std::holds_alternative<JsonArg>(value) &&
        !is_query_list(*std::get<JsonArg>(value).value)) {
        refuse(param, param.type == ParamType::json_array
                          ? "must be an array of strings: each is one query parameter"
                          : "must be an object of strings: each member is one query parameter");
    }
    if (param.type != ParamType::string) return;  // numbers and booleans are always safe text
    const std::string_view text = std::get<std::string_view>(value);
    if (!param.allow_empty && text.empty()) {
        refuse(param,
               param.location == ParamLocation::path || param.location == ParamLocation::path_suffix
                   ? "must not be empty: it is an identifier in the request path"
                   : "must not be empty");
    }
    const TextFacts facts =
        check_text(text, goes_into_a_header ? LookForHeaderBreaks::yes : LookForHeaderBreaks::no);
    if (!facts.valid_utf8) refuse(param, "is not valid UTF-8");
    if (goes_into_a_header && facts.has_cr_lf_or_nul) {
        refuse(param, "contains CR, LF or NUL, which would inject HTTP headers");
    }
}

// True when the compact JSON object `object` has a top-level member named `key`. Keys are
// compared as written: the compact form escapes only what must be escaped, and declared body
// keys are plain identifiers, so the written form of an equal key is the key itself.
bool has_top_level_key(std::string_view object, std::string_view key) noexcept {
    int depth = 0;
    char previous = 0;
    for (std::size_t i = 0; i < object.size(); ++i) {
        const char c = object[i];
        if (c == '"') {
            const std::size_t start = ++i;
            while (object[i] != '"') i += object[i] == '\\' ? 2 : 1;
            const bool is_key = depth == 1 && (previous == '{' || previous == ',');
            if (is_key && object.substr(start, i - start) == key) return true;
            previous = '"';
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') --depth;
        previous = c;
    }
    return false;
}

// A member given both inside a merged object (e.g. `auth`) and as its own argument would be
// sent twice; servers disagree on which wins, so refuse it. A whole-body object replaces the
// fields and merged objects: nothing is sent twice then.
void refuse_members_set_twice(const ValidatedCall& call) {
    const ValidatedCall::Mask merged = call.given<ParamLocation::body_merge>();
    if (merged == 0 || call.given<ParamLocation::body_whole>() != 0) return;
    call.for_each_given<ParamLocation::body_field>([&](std::size_t field) {
        const ParamSpec& param = call.spec.params[field];
        ValidatedCall::for_each(merged, [&](std::size_t object) {
            if (has_top_level_key(json_of(call.args[object]).text(), param.key())) {
                refuse(param, "sets body member '" + std::string(param.key()) +
                                  "', which another argument already sets");
            }
        });
    });
}

}  // namespace

ValidatedCall validate_call(const EndpointSpec& spec, std::span<const ArgValue> args,
                            BuildOptions options) {
    if (args.size() != spec.params.size()) {
        throw std::logic_error("build(" + std::string(spec.name) +
                               "): " + std::to_string(args.size()) + " arguments for " +
                               std::to_string(spec.params.size()) + " parameters");
    }
    if (args.size() > ValidatedCall::kMaxParams) {
        throw std::logic_error("build(" + std::string(spec.name) + "): more than " +
                               std::to_string(ValidatedCall::kMaxParams) + " parameters");
    }
    for (std::size_t i = 0; i < spec.params.size(); ++i) check_argument(spec.params[i], args[i]);
    const ValidatedCall call(spec, args, path_version_for(spec, options));
    if (body_kind_of(call) == BodyKind::json) refuse_members_set_twice(call);
    return call;
}

}  // namespace matrix::detail
