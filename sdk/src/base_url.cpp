// Base URL parsing: http or https, a host, a port and a path prefix; anything else refused.
#include "base_url.hpp"

#include <algorithm>
#include <cctype>

#include "matrix/client.hpp"

namespace matrix::detail {
namespace {

// The URL as it can be shown in a message: control bytes escaped so that a CR or LF cannot
// break the message (or a log line) in two.
std::string printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F) {
            out += "\\x";
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

[[noreturn]] void refuse(std::string_view base_url, const std::string& reason) {
    throw TransportError(TransportErrorKind::invalid_url,
                         "base URL '" + printable(base_url) + "' " + reason);
}

bool is_host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string BaseUrl::host_port() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string BaseUrl::origin() const { return (https ? "https://" : "http://") + host_port(); }

BaseUrl parse_base_url(std::string_view base_url) {
    if (base_url.empty()) refuse(base_url, "is empty");
    for (const char c : base_url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F) {
            refuse(base_url,
                   "contains a space, a control character (CR, LF, ...) or a non-ASCII byte; "
                   "percent-encode path bytes and use the punycode form of host names");
        }
    }

    const std::size_t scheme_end = base_url.find("://");
    if (scheme_end == std::string_view::npos)
        refuse(base_url, "has no scheme: expected http://host[:port] or https://host[:port]");
    BaseUrl url;
    const std::string scheme = lower(base_url.substr(0, scheme_end));
    if (scheme == "https") {
        url.https = true;
    } else if (scheme != "http") {
        refuse(base_url, "has scheme '" + scheme + "': only http and https are supported");
    }

    std::string_view rest = base_url.substr(scheme_end + 3);
    const std::size_t authority_end = std::min(rest.find('/'), rest.size());
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view path = rest.substr(authority_end);
    if (authority.find_first_of("?#") != std::string_view::npos ||
        path.find_first_of("?#") != std::string_view::npos) {
        refuse(base_url, "has a query or fragment; a base URL is a scheme, host, port and path");
    }
    if (authority.find('@') != std::string_view::npos)
        refuse(base_url, "has user info (user@host); credentials belong in requests");

    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) refuse(base_url, "has an unterminated IPv6 address");
        url.host = std::string(authority.substr(1, close - 1));
        if (url.host.empty() || !std::ranges::all_of(url.host, is_ipv6_char))
            refuse(base_url, "has an invalid IPv6 address");
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            refuse(base_url, "has text after the IPv6 address that is not a port");
        if (!after.empty()) port_text = after.substr(1);
        if (!after.empty() && port_text.empty()) refuse(base_url, "has an empty port");
    } else {
        const std::size_t colon = authority.find(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) refuse(base_url, "has an empty port");
        }
        if (url.host.empty()) refuse(base_url, "has no host");
        if (!std::ranges::all_of(url.host, is_host_char))
            refuse(base_url, "has an invalid host name '" + url.host + "'");
    }

    if (port_text.empty()) {
        url.port = url.https ? 443 : 80;
    } else {
        const bool digits = port_text.size() <= 5 && std::ranges::all_of(port_text, [](char c) {
                                return c >= '0' && c <= '9';
                            });
        const int port = digits ? std::stoi(std::string(port_text)) : 0;
        if (port < 1 || port > 65535)
            refuse(base_url, "has port '" + std::string(port_text) + "'; expected 1 to 65535");
        url.port = port;
    }

    // A trailing slash would double the one every request path starts with.
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    url.path_prefix = std::string(path);
    return url;
}

}  // namespace matrix::detail
