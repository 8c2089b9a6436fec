// One declaration per endpoint: where each argument goes on the wire. Two tables hold them:
// every operation of the client-server spec (generated from its OpenAPI files by
// sdk/spec/derive_operations.py) and the seed's 60 forms (matrix_sdk 0.2.0's names and
// argument order, each a named form of one of those operations). Typed builders, the by-name
// builder used by vector files and the spec check are all driven by these tables.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "matrix/encoded_request.hpp"
#include "matrix/json.hpp"
#include "matrix/request.hpp"

namespace matrix {

// json_value: any JSON value (a body member the spec types as a union, a number or nothing).
enum class ParamType { string, integer, boolean, json_object, json_array, bytes, json_value };

enum class ParamLocation {
    base_url,      // the request's base URL
    bearer_token,  // Authorization: Bearer <value>
    path,          // a `{name}` segment of the path template, percent-encoded
    path_suffix,   // an optional extra trailing path segment ("/" + encoded value)
    query,         // a query parameter named `wire_name`; a JSON array of strings is one
                   // parameter per element, a JSON object of strings one per member
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

// The version segment of a path (`/_matrix/client/r0/...`): r0 until spec v1.1 renamed it v3;
// v1 for operations added later under their own prefix (authenticated media, relations, ...).
enum class PathVersion { r0, v3, v1 };

// The versions an operation's path has had, as a set.
struct PathVersions {
    static constexpr std::uint8_t kR0 = 1;
    static constexpr std::uint8_t kV3 = 2;
    static constexpr std::uint8_t kV1 = 4;
    std::uint8_t bits = 0;

    static constexpr std::uint8_t bit(PathVersion version) noexcept {
        return version == PathVersion::r0 ? kR0 : version == PathVersion::v3 ? kV3 : kV1;
    }
    constexpr bool empty() const noexcept { return bits == 0; }
    constexpr bool has(PathVersion version) const noexcept { return (bits & bit(version)) != 0; }
    // v3 over r0; v1 is never beside either.
    constexpr PathVersion newest() const noexcept {
        return (bits & kV1) != 0   ? PathVersion::v1
               : (bits & kV3) != 0 ? PathVersion::v3
                                   : PathVersion::r0;
    }
};

enum class AuthRequirement { none, optional, required };

struct EndpointSpec {
    std::string_view name;          // the seed's function name, e.g. "room_kick"
    std::string_view form;          // tells overloads apart, e.g. "get" / "post"; else ""
    std::string_view operation_id;  // the spec's operationId
    Method method;
    // Path with `{path_version}` (r0, v3 or v1) and `{param}` placeholders naming ParamSpecs.
    std::string_view path_template;
    std::span<const ParamSpec> params;
    // A query parameter the endpoint always sends (register_guest's kind=guest).
    std::string_view fixed_query_name = {};
    std::string_view fixed_query_value = {};
    // The operationId of the path extended by the optional path_suffix parameter, if any.
    std::string_view operation_id_with_suffix = {};
    // For operations; a seed form has these of its operation (see operation_of()).
    PathVersions versions = {};
    AuthRequirement auth = AuthRequirement::none;
    bool rate_limited = false;
    bool deprecated = false;
};

struct BuildOptions {
    // Absent: a seed form builds r0 (the seed's paths), an operation its newest version. A
    // version the operation's path never had is refused (InvalidArgument).
    std::optional<PathVersion> version = {};
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

// Every operation of the client-server spec, sorted by path and method.
std::span<const EndpointSpec> spec_operations() noexcept;

// The forms declared under `name`: the seed's forms of that name (two for login, public_rooms
// and room_visibility); else the operation whose operationId is `name` ("getPushRules"); else
// the operation whose operationId in snake_case is `name` ("get_push_rules"). Empty if none.
std::span<const EndpointSpec> find_endpoint_forms(std::string_view name) noexcept;

// The operation whose operationId is `operation_id`, or nullptr.
const EndpointSpec* find_operation(std::string_view operation_id) noexcept;

bool is_seed_form(const EndpointSpec& spec) noexcept;

// The spec operation a seed form is a form of (by its operation_id); an operation itself.
// A seed form's method and path agree with its operation's (a test checks every form).
const EndpointSpec& operation_of(const EndpointSpec& spec) noexcept;

// The path version a build of `spec` with `options` uses. Throws InvalidArgument naming the
// versions the operation has when `options` asks for another.
PathVersion path_version_for(const EndpointSpec& spec, const BuildOptions& options);

std::string_view to_string(ParamType type) noexcept;
std::string_view to_string(PathVersion version) noexcept;
std::string_view to_string(AuthRequirement auth) noexcept;
std::optional<PathVersion> path_version_from_string(std::string_view text) noexcept;

}  // namespace matrix
