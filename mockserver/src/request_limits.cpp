// The mock homeserver's limits on what a client may send, as Matrix errors that say why.
#include "request_limits.hpp"

#include <cstdint>
#include <cstdlib>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/utf8.hpp"

namespace matrix::mock {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return header_name_equals(a, b);  // ASCII case-insensitive, which is all HTTP tokens need
}

std::string_view trimmed(std::string_view value) {
    const std::size_t begin = value.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return {};
    const std::size_t end = value.find_last_not_of(" \t");
    return value.substr(begin, end - begin + 1);
}

}  // namespace

std::string excerpt(std::string_view bytes, std::size_t at, std::size_t length) {
    std::string out;
    for (std::size_t i = at; i < bytes.size() && i < at + length; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

std::string request_name(std::string_view method, std::string_view target) {
    return std::string(method) + " " + excerpt(target, 0, 200);
}

std::string Refusal::body() const {
    // A Matrix error body is JSON, so UTF-8; a message quoting client bytes that are not is
    // sent with those bytes escaped rather than not at all.
    if (!is_valid_utf8(error)) {
        Refusal escaped = *this;
        escaped.error = excerpt(error, 0, error.size());
        return escaped.body();
    }
    if (!retry_after_ms) {
        return Json::object({{"errcode", Json::string(errcode)}, {"error", Json::string(error)}})
            .text();
    }
    return Json::object({{"errcode", Json::string(errcode)},
                         {"error", Json::string(error)},
                         {"retry_after_ms", Json::number(*retry_after_ms)}})
        .text();
}

std::optional<Refusal> check_framing(std::string_view method, std::string_view target,
                                     const std::vector<Header>& headers,
                                     std::size_t max_body_bytes) {
    std::optional<std::string_view> length;
    std::optional<std::string_view> transfer_encoding;
    for (const Header& header : headers) {
        if (equals_ignoring_case(header.name, "Content-Length")) {
            const std::string_view value = trimmed(header.value);
            if (length && *length != value) {
                return Refusal{400, "M_UNRECOGNIZED",
                               request_name(method, target) +
                                   ": two different Content-Length headers (" +
                                   excerpt(*length, 0, 40) + " and " + excerpt(value, 0, 40) +
                                   "); send exactly one",
                               true};
            }
            length = value;
        } else if (equals_ignoring_case(header.name, "Transfer-Encoding")) {
            transfer_encoding = trimmed(header.value);
        }
    }
    if (length && transfer_encoding) {
        return Refusal{400, "M_UNRECOGNIZED",
                       request_name(method, target) +
                           ": both Content-Length and Transfer-Encoding are set, so the body's "
                           "end is ambiguous (request smuggling); send only one of them",
                       true};
    }
    if (transfer_encoding && !equals_ignoring_case(*transfer_encoding, "chunked")) {
        return Refusal{400, "M_UNRECOGNIZED",
                       request_name(method, target) + ": Transfer-Encoding '" +
                           excerpt(*transfer_encoding, 0, 40) +
                           "' is not supported; send 'chunked' or a Content-Length",
                       true};
    }
    // cpp-httplib reads bodies only for the methods below; for any other it would take the body
    // for the next request on the connection, which is how requests are smuggled.
    const bool takes_body =
        method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
    if (!takes_body && (transfer_encoding || (length && *length != "0"))) {
        return Refusal{400, "M_UNRECOGNIZED",
                       request_name(method, target) + ": a " + std::string(method) +
                           " request carries no body here; drop Content-Length and "
                           "Transfer-Encoding",
                       true};
    }
    if (length) {
        const bool digits = !length->empty() && length->size() <= 19 &&
                            length->find_first_not_of("0123456789") == std::string_view::npos;
        if (!digits) {
            return Refusal{400, "M_UNRECOGNIZED",
                           request_name(method, target) + ": Content-Length '" +
                               excerpt(*length, 0, 40) + "' is not a decimal byte count",
                           true};
        }
        const std::uint64_t bytes = std::strtoull(std::string(*length).c_str(), nullptr, 10);
        if (bytes > max_body_bytes) {
            return Refusal{413, "M_TOO_LARGE",
                           request_name(method, target) + ": the body of " + std::to_string(bytes) +
                               " bytes is over the limit of " + std::to_string(max_body_bytes) +
                               " bytes (matrix-mockserver --max-body-bytes, or "
                               "MockHomeserverOptions::max_body_bytes)",
                           true};
        }
    }
    return std::nullopt;
}

std::optional<Refusal> check_path_encoding(std::string_view raw_path) {
    std::string decoded;
    decoded.reserve(raw_path.size());
    for (std::size_t i = 0; i < raw_path.size(); ++i) {
        if (raw_path[i] != '%') {
            decoded += raw_path[i];
            continue;
        }
        const int high = i + 1 < raw_path.size() ? hex_value(raw_path[i + 1]) : -1;
        const int low = i + 2 < raw_path.size() ? hex_value(raw_path[i + 2]) : -1;
        if (high < 0 || low < 0) {
            return Refusal{400, "M_UNRECOGNIZED",
                           "the path " + excerpt(raw_path, 0, 200) +
                               " has a malformed percent-escape '" + excerpt(raw_path, i, 3) +
                               "' at byte " + std::to_string(i) +
                               ": every '%' must be followed by two hex digits (send '%25' "
                               "for a literal '%')"};
        }
        const char byte = static_cast<char>(high * 16 + low);
        if (byte == '\0') {
            return Refusal{400, "M_INVALID_PARAM",
                           "the path " + excerpt(raw_path, 0, 200) +
                               " decodes to a NUL byte (%00) at byte " + std::to_string(i) +
                               ", which no Matrix identifier may hold"};
        }
        decoded += byte;
        i += 2;
    }
    if (!is_valid_utf8(decoded)) {
        return Refusal{400, "M_INVALID_PARAM",
                       "the path " + excerpt(raw_path, 0, 200) +
                           " does not decode to UTF-8 (a truncated or invalid multi-byte "
                           "sequence); percent-encode every byte of UTF-8 text"};
    }
    return std::nullopt;
}

std::optional<Refusal> check_query(std::string_view raw_query,
                                   const std::vector<QueryParam>& decoded) {
    if (!is_valid_utf8(raw_query)) {
        return Refusal{400, "M_INVALID_PARAM",
                       "the query string " + excerpt(raw_query, 0, 200) +
                           " holds raw bytes that are not UTF-8; percent-encode them"};
    }
    for (const QueryParam& param : decoded) {
        if (!is_valid_utf8(param.name) || !is_valid_utf8(param.value)) {
            return Refusal{400, "M_INVALID_PARAM",
                           "the query parameter '" + excerpt(param.name, 0, 100) +
                               "' does not decode to UTF-8 (in " + excerpt(raw_query, 0, 200) +
                               "); percent-encode every byte of UTF-8 text"};
        }
    }
    return std::nullopt;
}

std::optional<Refusal> check_json_body(std::string_view body) {
    if (body.empty()) return std::nullopt;
    try {
        // The SDK's parser is iterative, validates UTF-8 and bounds the nesting depth, so a
        // hostile body is refused here and the recursive walks behind it stay safe.
        (void)Json::parse(body, "body");
        return std::nullopt;
    } catch (const InvalidArgument& e) {
        std::string reason = e.what();
        const std::string lead = "argument 'body' ";
        if (reason.starts_with(lead)) reason.erase(0, lead.size());
        return Refusal{400, "M_NOT_JSON",
                       "the request body " + reason + "; send one JSON value in UTF-8, nested " +
                           "at most 512 deep"};
    }
}

bool body_is_binary(std::string_view raw_path) { return raw_path.starts_with("/_matrix/media/"); }

Refusal refusal_for_http_status(int status, std::size_t max_body_bytes) {
    switch (status) {
        case 413:
            return {413, "M_TOO_LARGE",
                    "the request body is over the limit of " + std::to_string(max_body_bytes) +
                        " bytes (matrix-mockserver --max-body-bytes)",
                    true};
        case 414:
            return {414, "M_UNRECOGNIZED",
                    "the request line is longer than the HTTP layer's limit of 8192 bytes; "
                    "send a shorter path and query",
                    true};
        case 400:
            return {400, "M_UNRECOGNIZED",
                    "the request is not well-formed HTTP/1.1 (a bad request line, a header "
                    "line over 8192 bytes or without a colon, or a malformed chunked body)",
                    true};
        default:
            return {status, "M_UNKNOWN",
                    "the HTTP layer refused the request with status " + std::to_string(status),
                    true};
    }
}

}  // namespace matrix::mock
