// Writing a response's status line and headers, with the framing the server alone decides.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "matrix/request.hpp"

namespace matrix::mock::http {

struct ResponseFraming {
    bool head_request = false;    // HEAD: Content-Length of the body, but no body
    bool close = false;           // "Connection: close", and the connection ends after it
    bool keep_alive_1_0 = false;  // an HTTP/1.0 client that asked to keep the connection
};

// The status line (writable_status), `headers` (minus any Content-Length, Transfer-Encoding
// or Connection, which the server sets itself so a stub cannot break framing, and minus any
// whose name is not a token or whose value holds CR, LF or NUL), Content-Length for `body_size`
// (except 1xx, 204 and 304, which have no body), Connection, and the blank line.
std::string response_head(int status, const std::vector<Header>& headers, std::size_t body_size,
                          const ResponseFraming& framing);

// The status as written: one outside 100-999 cannot be written as three digits (a handler
// may say anything), so it goes out as 500.
int writable_status(int status);

// Whether a response with this status carries a body at all (RFC 9110 §6.4.1).
bool status_has_body(int status);

std::string_view reason_phrase(int status);

}  // namespace matrix::mock::http
