// The mock homeserver's limits on what a client may send: each check names the request, the
// limit and what to do, as a Matrix error, so a buggy client learns why it was refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/request.hpp"

namespace matrix::mock {

// `length` bytes of client input from `at`, for an error message: bytes outside printable
// ASCII (and quotes and backslashes) written as \xNN, so the message is always valid UTF-8.
std::string excerpt(std::string_view bytes, std::size_t at, std::size_t length);

// "METHOD target" for an error message: the target cut short and escaped as by excerpt(),
// so the message is always valid UTF-8 (a Matrix error body must be).
std::string request_name(std::string_view method, std::string_view target);

// A request refused before stubs or the simulation see it.
struct Refusal {
    Refusal(int status_code, std::string code, std::string message, bool close = false,
            std::optional<std::int64_t> retry_ms = {})
        : status(status_code),
          errcode(std::move(code)),
          error(std::move(message)),
          close_connection(close),
          retry_after_ms(retry_ms) {}

    int status = 400;
    std::string errcode;
    std::string error;
    // The connection is left in an unknown state (the body was not read, or its framing is
    // ambiguous), so it is closed after the answer instead of reading the next request from it.
    bool close_connection = false;
    // For M_LIMIT_EXCEEDED: when to retry, in the body and as a Retry-After header.
    std::optional<std::int64_t> retry_after_ms;

    std::string body() const;  // {"errcode": ..., "error": ..., "retry_after_ms": ...}
};

// Framing, from the request line and headers before the body is read: a body larger than
// `max_body_bytes` (413 M_TOO_LARGE), Content-Length together with Transfer-Encoding, several
// different Content-Length values, a Transfer-Encoding other than chunked, a body on a method
// the HTTP layer reads no body for (400: request smuggling relies on such disagreements).
std::optional<Refusal> check_framing(std::string_view method, std::string_view target,
                                     const std::vector<Header>& headers,
                                     std::size_t max_body_bytes);

// The raw path (target before '?'): every '%' followed by two hex digits (else 400
// M_UNRECOGNIZED), and decoded, no NUL byte and well-formed UTF-8 (else 400 M_INVALID_PARAM).
std::optional<Refusal> check_path_encoding(std::string_view raw_path);

// The query string (after '?'), raw and decoded: well-formed UTF-8 both ways, else 400
// M_INVALID_PARAM, since the simulation's answers quote parameters and must be UTF-8.
// Malformed %-escapes are left to the stubs, whose near-miss report names them.
std::optional<Refusal> check_query(std::string_view raw_query,
                                   const std::vector<QueryParam>& decoded);

// A body the server would read as JSON: well-formed, UTF-8, nested at most as deep as the
// SDK's parser allows (else 400 M_NOT_JSON). An empty body passes; endpoints that need one
// say so themselves.
std::optional<Refusal> check_json_body(std::string_view body);

// Media uploads carry arbitrary bytes, so their bodies are not checked as JSON.
bool body_is_binary(std::string_view raw_path);

// The Matrix error for a status the HTTP layer produced on its own (a request line or header
// too long, a malformed request, a body over the limit), which it sends without a body.
Refusal refusal_for_http_status(int status, std::size_t max_body_bytes);

}  // namespace matrix::mock
