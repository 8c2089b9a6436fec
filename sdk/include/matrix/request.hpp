// The plain request value every builder returns, and its rendering to wire form.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace matrix {

enum class Method { get, post, put, del };

std::string_view to_string(Method method) noexcept;

// HTTP header names compare case-insensitively (ASCII).
bool header_name_equals(std::string_view a, std::string_view b) noexcept;

struct Header {
    std::string name;
    std::string value;
    friend bool operator==(const Header&, const Header&) = default;
};

// One query parameter, decoded. Encoding happens only when rendering.
struct QueryParam {
    std::string name;
    std::string value;
    friend bool operator==(const QueryParam&, const QueryParam&) = default;
};

enum class BodyKind { none, json, raw };

// Mirrors the seed's %Request{} struct: everything needed to put one request on the wire.
struct Request {
    Method method = Method::get;
    std::string base_url;
    std::string path;  // exact percent-encoded bytes, without the query
    std::vector<QueryParam> query;
    std::vector<Header> headers;
    BodyKind body_kind = BodyKind::none;
    std::string body;  // JSON text when body_kind is json, raw bytes when raw

    // The value of the first header named `name` (case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const;

    friend bool operator==(const Request&, const Request&) = default;
};

// A request as it travels: what a server sees, and what the conformance comparator reads,
// whether it was rendered from a builder or recorded by the mock homeserver.
struct WireRequest {
    std::string method;
    std::string target;  // path + "?" + encoded query, exactly as sent
    std::vector<Header> headers;
    std::string body;

    friend bool operator==(const WireRequest&, const WireRequest&) = default;
};

// Renders the request line's method and target, the request's own headers and the body bytes.
// Transport headers (Host, Content-Length, User-Agent) are the transport's business.
WireRequest render(const Request& request);

// Appends `path?query` for `request` to `out`, the query percent-encoded.
void append_target(std::string& out, const Request& request);

}  // namespace matrix
