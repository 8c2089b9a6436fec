// Response heads: status line, the handler's headers, and the server's own framing headers.
#include "http/response_writer.hpp"

namespace matrix::mock::http {

std::string_view reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 206:
            return "Partial Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 411:
            return "Length Required";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 416:
            return "Range Not Satisfiable";
        case 418:
            return "I'm a teapot";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        case 504:
            return "Gateway Timeout";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Status";
    }
}

int writable_status(int status) { return status >= 100 && status <= 999 ? status : 500; }

bool status_has_body(int status) { return !(status < 200 || status == 204 || status == 304); }

namespace {

bool is_token(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

}  // namespace

std::string response_head(int status, const std::vector<Header>& headers, std::size_t body_size,
                          const ResponseFraming& framing) {
    status = writable_status(status);
    std::string head;
    head.reserve(128 + headers.size() * 48);
    head += "HTTP/1.1 ";
    head += std::to_string(status);
    head += ' ';
    head += reason_phrase(status);
    head += "\r\n";
    for (const Header& header : headers) {
        if (header_name_equals(header.name, "Content-Length") ||
            header_name_equals(header.name, "Transfer-Encoding") ||
            header_name_equals(header.name, "Connection") || !is_token(header.name) ||
            header.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            continue;  // a line break in a stub's header would end the head early
        }
        head += header.name;
        head += ": ";
        head += header.value;
        head += "\r\n";
    }
    if (status_has_body(status)) {
        head += "Content-Length: ";
        head += std::to_string(body_size);
        head += "\r\n";
    }
    if (framing.close) {
        head += "Connection: close\r\n";
    } else if (framing.keep_alive_1_0) {
        head += "Connection: keep-alive\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace matrix::mock::http
