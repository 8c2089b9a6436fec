// One declaration per endpoint: where each argument goes on the wire. Typed builders, the
// by-name builder used by vector files and the spec check are all driven by these tables.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "matrix/encoded_request.hpp"
#include "matrix/json.hpp"
#include "matrix/request.hpp"

namespace matrix {

enum class ParamType { string, integer, boolean, json_object, json_array, bytes };

enum class ParamLocation {
    base_url,      // the request's base URL
    bearer_token,  // Authorization: Bearer <value>
    path,          // a `{name}` segment of the path template, percent-encoded
    path_suffix,   // an optional extra trailing path segment ("/" + encoded value)
    query,         // a query parameter named `wire_name`
    header,        // a header named `wire_name`
    body_field,    // member `wire_name` of the JSON body
    body_merge,    // a JSON object whose members are spread into the JSON body
    body_whole,    // a JSON object that is the whole JSON body
    body_raw,      // raw bytes that are the whole body
};

struct ParamSpec {
    // The seed's argument name. Members of a struct argument are written "struct.member"
    // (e.g. "room_event.room_id"); by name they are given as one JSON object "struct".
    std::string_view name;
    ParamType type;
    ParamLocation location;
    bool required;
    // Query key, header name or body key; defaults to name. A body key is written into the JSON
    // body as it is: no '"', '\\' or control characters.
    std::string_view wire_name = {};
    bool allow_empty = true;  // path identifiers set this to false

    constexpr std::string_view key() const noexcept { return wire_name.empty() ? name : wire_name; }
};

enum class PathVersion { r0, v3 };

struct EndpointSpec {
    std::string_view name;          // the seed's function name, e.g. "room_kick"
    std::string_view form;          // tells overloads apart, e.g. "get" / "post"; else ""
    std::string_view operation_id;  // the spec's operationId
    Method method;
    // Path with `{version}` (r0 or v3) and `{param}` placeholders naming ParamSpecs.
    std::string_view path_template;
    std::span<const ParamSpec> params;
    // A query parameter the endpoint always sends (register_guest's kind=guest).
    std::string_view fixed_query_name = {};
    std::string_view fixed_query_value = {};
    // The operationId of the path extended by the optional path_suffix parameter, if any.
    std::string_view operation_id_with_suffix = {};
};

struct BuildOptions {
    PathVersion version = PathVersion::r0;
};

// A JSON argument (object or array), validated text.
struct JsonArg {
    const Json* value;
};
// Raw body bytes.
struct BytesArg {
    std::string_view value;
};

// One argument value, non-owning: it must outlive the build() call only. std::monostate means
// "not given" (allowed for optional parameters only).
using ArgValue =
    std::variant<std::monostate, std::string_view, std::int64_t, bool, JsonArg, BytesArg>;

// Builds the request for `spec` from positional arguments, one per spec.params entry in order.
// Throws InvalidArgument for refused values (empty path identifier, CR/LF/NUL in a header
// value, invalid UTF-8, a JSON argument of the wrong kind).
Request build(const EndpointSpec& spec, std::span<const ArgValue> args, BuildOptions options = {});

// The same request as render(build(spec, args, options)), encoded straight to its HTTP/1.1
// bytes in one allocation (see EncodedRequest); the same refusals, in the same order.
EncodedRequest encode(const EndpointSpec& spec, std::span<const ArgValue> args,
                      BuildOptions options = {});

// Every seed endpoint form (60 of them), in the seed document's order.
std::span<const EndpointSpec> seed_endpoints() noexcept;

// The forms declared under `name` (two for login, public_rooms and room_visibility).
std::span<const EndpointSpec> find_endpoint_forms(std::string_view name) noexcept;

std::string_view to_string(ParamType type) noexcept;

}  // namespace matrix
