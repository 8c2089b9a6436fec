// Decoding a chunked request body (RFC 9112 §7.1) as its bytes arrive, within a size limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request_head.hpp"

namespace matrix::mock::http {

class ChunkedDecoder {
  public:
    enum class Status { need_more, done, failed };

    explicit ChunkedDecoder(std::size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

    // Consumes what it can of `input`, appending chunk data to `body`; `consumed` says how
    // many bytes of `input` it took (after `done`, the rest belongs to the next request).
    // A chunk announcing more than the limit allows fails at once, before its data arrives.
    Status feed(std::string_view input, std::string& body, std::size_t& consumed);

    // Why it failed: 413 for the limit, 400 for malformed framing.
    const HeadError& error() const { return error_; }

  private:
    enum class State { size_line, data, data_end, trailer, done };

    Status fail(int status, std::string message);

    std::size_t max_body_bytes_;
    State state_ = State::size_line;
    std::string line_;  // the size line or trailer line being assembled
    std::uint64_t remaining_ = 0;
    std::size_t trailer_bytes_ = 0;
    HeadError error_;
};

}  // namespace matrix::mock::http
