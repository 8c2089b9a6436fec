// The request head: found incrementally, parsed strictly where ambiguity could smuggle a request.
#include "http/request_head.hpp"

#include <cstring>

namespace matrix::mock::http {
namespace {

// Blank lines before the request line are skipped (RFC 9112 §2.2), but only this many bytes of
// them, so a client cannot keep a connection busy with an endless stream of CRLFs.
constexpr std::size_t kMaxLeadingBlankBytes = 1024;

bool is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_token(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string_view without_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

std::string_view trim_ows(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return header_name_equals(a, b);  // ASCII case folding, all HTTP tokens need
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool has_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        if (equals_ignoring_case(trim_ows(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

HeadError too_large(std::string what) { return {431, std::move(what)}; }

}  // namespace

const std::string* RequestHead::header(std::string_view name) const {
    for (const Header& header : headers) {
        if (header_name_equals(header.name, name)) return &header.value;
    }
    return nullptr;
}

HeadScanner::Result HeadScanner::scan(std::string_view input) {
    const auto line_too_long = [this](bool request_line) {
        if (request_line) {
            return Result{0, HeadError{414, "the request line is longer than " +
                                                std::to_string(limits_.max_request_line) +
                                                " bytes; send a shorter path and query"}};
        }
        return Result{0, too_large("a header line is longer than " +
                                   std::to_string(limits_.max_header_line) + " bytes")};
    };
    const auto head_too_large = [this] {
        return Result{0, too_large("the request head is over " +
                                   std::to_string(limits_.max_head_bytes) + " bytes")};
    };
    if (head_size_ > 0) return {head_size_, std::nullopt};
    while (scanned_ < input.size()) {
        const bool request_line = lines_ == 0;
        const std::size_t line_limit =
            request_line ? limits_.max_request_line : limits_.max_header_line;
        const void* found = std::memchr(input.data() + scanned_, '\n', input.size() - scanned_);
        if (found == nullptr) {
            // An unfinished line is over its limit once it holds more than the limit, not
            // counting a last CR, which may be the start of its line end.
            scanned_ = input.size();
            const std::string_view partial = without_cr(input.substr(line_start_));
            if (partial.size() > line_limit) return line_too_long(request_line);
            if (scanned_ - request_line_start_ > limits_.max_head_bytes) return head_too_large();
            return {};
        }
        const std::size_t newline =
            static_cast<std::size_t>(static_cast<const char*>(found) - input.data());
        const std::string_view line = without_cr(input.substr(line_start_, newline - line_start_));
        scanned_ = newline + 1;
        line_start_ = scanned_;
        if (line.size() > line_limit) return line_too_long(request_line);
        if (line.empty() && request_line) {
            request_line_start_ = scanned_;
            if (request_line_start_ > kMaxLeadingBlankBytes) {
                return {0, HeadError{400, "more than " + std::to_string(kMaxLeadingBlankBytes) +
                                              " bytes of blank lines before the request line"}};
            }
            continue;
        }
        // The blank line that ends the head counts towards its size like any other line.
        if (scanned_ - request_line_start_ > limits_.max_head_bytes) return head_too_large();
        if (line.empty()) {
            head_size_ = scanned_;  // a later scan of the same bytes answers the same
            return {head_size_, std::nullopt};
        }
        ++lines_;
        if (lines_ > limits_.max_headers + 1) {
            return {0, too_large("the request has more than " +
                                 std::to_string(limits_.max_headers) + " header lines")};
        }
    }
    return {};  // everything so far ends at a line end: the head goes on in the next bytes
}

std::optional<RequestHead> parse_head(std::string_view head, HeadError& error) {
    const auto fail = [&error](int status, std::string message) -> std::optional<RequestHead> {
        error = {status, std::move(message)};
        return std::nullopt;
    };
    std::size_t at = head.find('\n');
    if (at == std::string_view::npos) return fail(400, "the request head has no line end");
    const std::string_view request_line = without_cr(head.substr(0, at));
    ++at;

    const std::size_t first_space = request_line.find(' ');
    const std::size_t last_space = request_line.rfind(' ');
    if (first_space == std::string_view::npos || first_space == last_space) {
        return fail(400, "the request line is not 'METHOD target HTTP/1.1'");
    }
    RequestHead out;
    const std::string_view method = request_line.substr(0, first_space);
    const std::string_view target =
        request_line.substr(first_space + 1, last_space - first_space - 1);
    const std::string_view version = request_line.substr(last_space + 1);
    if (!is_token(method)) return fail(400, "the request method is not an HTTP token");
    if (target.empty() || target.find(' ') != std::string_view::npos) {
        return fail(400, "the request target is empty or holds a space; percent-encode it");
    }
    for (const char c : target) {
        if (is_control(static_cast<unsigned char>(c))) {
            return fail(400, "the request target holds a control character; percent-encode it");
        }
    }
    const bool http_version = version.size() == 8 && version.starts_with("HTTP/") &&
                              version[5] >= '0' && version[5] <= '9' && version[6] == '.' &&
                              version[7] >= '0' && version[7] <= '9';
    if (!http_version) return fail(400, "the request line does not end in HTTP/1.1 or HTTP/1.0");
    if (version[5] != '1') {
        return fail(505,
                    "HTTP/" + std::string(version.substr(5)) + " is not supported; send HTTP/1.1");
    }
    out.method = std::string(method);
    out.target = std::string(target);
    out.minor_version = version[7] - '0';

    while (at < head.size()) {
        const std::size_t end = head.find('\n', at);
        const std::string_view line = without_cr(
            head.substr(at, end == std::string_view::npos ? head.size() - at : end - at));
        at = end == std::string_view::npos ? head.size() : end + 1;
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t') {
            return fail(400, "a header line starts with whitespace (obsolete line folding)");
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
            return fail(400,
                        "a header line is not 'Name: value' with a token name and no space "
                        "before the colon");
        }
        const std::string_view value = trim_ows(line.substr(colon + 1));
        for (const char c : value) {
            const auto byte = static_cast<unsigned char>(c);
            if (is_control(byte) && byte != '\t') {
                return fail(400, "the value of header '" + std::string(line.substr(0, colon)) +
                                     "' holds a control character");
            }
        }
        out.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
    }

    // RFC 9112 9.3: "close" ends the connection whatever else is said; otherwise HTTP/1.1
    // keeps it, and HTTP/1.0 only when asked to.
    bool close = false;
    bool keep_alive = false;
    for (const Header& header : out.headers) {
        if (equals_ignoring_case(header.name, "Connection")) {
            close = close || has_token(header.value, "close");
            keep_alive = keep_alive || has_token(header.value, "keep-alive");
        } else if (equals_ignoring_case(header.name, "Expect")) {
            out.expect_continue = equals_ignoring_case(header.value, "100-continue");
        }
    }
    out.keep_alive = !close && (out.minor_version >= 1 || keep_alive);
    return out;
}

}  // namespace matrix::mock::http
