// Request helpers and the one rendering of a request to its wire form.
#include "matrix/request.hpp"

#include <algorithm>
#include <cctype>

#include "request_parts.hpp"

namespace matrix {

std::string_view to_string(Method method) noexcept {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::del:
            return "DELETE";
    }
    return "GET";
}

bool header_name_equals(std::string_view a, std::string_view b) noexcept {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

const std::string* Request::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (header_name_equals(h.name, name)) return &h.value;
    }
    return nullptr;
}

void append_target(std::string& out, const Request& request) {
    out += request.path;
    detail::StringAppender appender(out);
    bool first = true;
    for (const QueryParam& param : request.query) {
        detail::write_query_param(appender, first, param.name, param.value);
        first = false;
    }
}

WireRequest render(const Request& request) {
    WireRequest wire;
    wire.method = to_string(request.method);
    append_target(wire.target, request);
    wire.headers = request.headers;
    wire.body = request.body;
    return wire;
}

}  // namespace matrix
