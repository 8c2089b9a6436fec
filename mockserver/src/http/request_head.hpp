// Reading an HTTP/1.1 request head (RFC 9112) as its bytes arrive: where it ends, and what it
// says, within limits that keep a hostile client from holding unbounded memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/request.hpp"

namespace matrix::mock::http {

struct HeadLimits {
    std::size_t max_request_line = 8192;  // longer: 414 URI Too Long
    std::size_t max_header_line = 8192;   // longer: 431
    std::size_t max_headers = 100;        // more: 431
    std::size_t max_head_bytes = 64 * 1024;
};

// Why a head was refused: the HTTP status and a sentence for the Matrix error.
struct HeadError {
    int status = 400;
    std::string message;
};

enum class BodyFraming { none, length, chunked };

struct RequestHead {
    std::string method;
    std::string target;  // the raw request target, byte for byte
    int minor_version = 1;
    std::vector<Header> headers;  // in the order sent, names as sent, values without OWS
    bool keep_alive = true;       // HTTP/1.1 unless "Connection: close"; 1.0 only if asked
    bool expect_continue = false;

    const std::string* header(std::string_view name) const;  // the first, case-insensitive
};

// Finds the end of a head in bytes that arrive piece by piece, looking at each byte once
// however the head is split, and refusing as soon as a limit is passed rather than at the end.
class HeadScanner {
  public:
    struct Result {
        std::size_t head_size = 0;       // bytes up to and including the blank line, when found
        std::optional<HeadError> error;  // a limit passed or a bare CR
        bool complete() const { return head_size > 0; }
    };

    explicit HeadScanner(HeadLimits limits = {}) : limits_(limits) {}

    // `input` is every byte of this head received so far (and maybe bytes after it).
    Result scan(std::string_view input);
    // Bytes before the request line that were only blank lines (RFC 9112 §2.2 lets a server
    // skip them); 0 unless the scan skipped some.
    std::size_t leading_blank_bytes() const { return request_line_start_; }
    void reset() { *this = HeadScanner(limits_); }

  private:
    HeadLimits limits_;
    std::size_t scanned_ = 0;     // bytes looked at
    std::size_t line_start_ = 0;  // where the current line begins
    std::size_t request_line_start_ = 0;
    std::size_t lines_ = 0;      // complete non-blank lines (the request line, then headers)
    std::size_t head_size_ = 0;  // once the blank line has been found
};

// Parses a complete head (the bytes HeadScanner::scan delimited, blank line included, leading
// blank lines excluded). nullopt with `error` set when it is not HTTP/1.x.
std::optional<RequestHead> parse_head(std::string_view head, HeadError& error);

}  // namespace matrix::mock::http
