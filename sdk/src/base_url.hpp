// Splitting a request's base URL into the connection it needs and the path prefix it adds.
#pragma once

#include <string>
#include <string_view>

namespace matrix::detail {

struct BaseUrl {
    bool https = false;
    std::string host;         // without brackets for IPv6
    int port = 0;             // the scheme's default when the URL gives none
    std::string path_prefix;  // "" or "/matrix": prepended to every request target

    // "http://host:port": the key of the connection this URL shares with others.
    std::string origin() const;
    // "host:port" as a person would type it (IPv6 in brackets).
    std::string host_port() const;
};

// Throws TransportError(invalid_url) saying what is wrong: empty, not http/https, no host, a
// bad port, user info, a query or fragment, or bytes that do not belong in a URL.
BaseUrl parse_base_url(std::string_view base_url);

}  // namespace matrix::detail
