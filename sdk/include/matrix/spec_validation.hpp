// Checking a request a client sent against the client-server spec: which operation it is, and
// what it breaks (missing or mistyped parameters, a body that does not follow the operation's
// schema or the event type's content schema, a missing access token, a wrong Content-Type).
// The schemas are derived from the spec's OpenAPI and event-schema files by
// sdk/spec/derive_request_schemas.py and compiled once, at first use.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/request.hpp"

namespace matrix {

// One way a request breaks its operation's rules.
struct SpecViolation {
    // The culprit: "body.preset", "body.initial_state[0].type", "query.timeout", "path.roomId",
    // "header.Authorization", "header.Content-Type", or "body" for the body as a whole.
    std::string where;
    // What kind of rule: "missing" (a required parameter or member is absent), "type", "enum",
    // "format", "additional_property", "not_json", "missing_token", "content_type", "one_of".
    std::string rule;
    std::string message;  // a sentence naming the value found and what the spec wants

    friend bool operator==(const SpecViolation&, const SpecViolation&) = default;
};

// A request as it arrived: method, raw target (path and query, still percent-encoded), headers
// and body bytes.
struct ArrivedRequest {
    std::string_view method;
    std::string_view target;
    std::span<const Header> headers;
    std::string_view body;
    // The query already decoded ('+' a space), by a caller that has it; decoded from `target`
    // when absent.
    std::optional<std::span<const QueryParam>> query = std::nullopt;
};

struct SpecVerdict {
    const EndpointSpec* operation = nullptr;  // nullptr: no operation has this method and path
    std::optional<PathVersion> path_version;
    // True when the path is exactly the RFC 3986 encoding of its decoded segments (every byte
    // but A-Z a-z 0-9 - . _ ~ escaped, hex digits upper case). A path that is only
    // decoded-equivalent (a raw '!' or ':', lower-case hex) is a warning, not a violation:
    // servers accept it. canonical_path is the canonical form when path_canonical is false.
    bool path_canonical = true;
    std::string canonical_path;
    std::vector<SpecViolation> violations;  // empty when operation is nullptr

    bool conformant() const noexcept { return operation != nullptr && violations.empty(); }
};

// Identifies and validates one request. Never throws for any input bytes.
SpecVerdict validate_request(const ArrivedRequest& request);

// The same for a request already identified (match_operation(), then tell_apart(); the path
// parameters decoded, in the template's order), so a server that identified the request once
// does not do it again.
std::vector<SpecViolation> validate_identified_request(
    const ArrivedRequest& request, const EndpointSpec& operation,
    std::span<const std::pair<std::string_view, std::string>> path_params);

// Checks a successful response's JSON body against the schema the spec gives `operation` for
// `status`; `where` starts at "response" ("response.rooms.join"). Empty when the body
// conforms or the spec gives no JSON schema for that status (a non-2xx status, a media
// download).
std::vector<SpecViolation> validate_response(const EndpointSpec& operation, int status,
                                             std::string_view body);

// The canonical RFC 3986 form of a raw path, or nullopt when it holds a malformed escape.
std::optional<std::string> canonical_path(std::string_view raw_path);

}  // namespace matrix
