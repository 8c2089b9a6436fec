// Chunked bodies: size lines in hex (extensions ignored), data, CRLF; trailers read and dropped.
#include "http/chunked_decoder.hpp"

#include <algorithm>
#include <cstring>

#include "request_limits.hpp"

namespace matrix::mock::http {
namespace {

// A size line is a few hex digits and, rarely, extensions; a trailer section a few headers.
constexpr std::size_t kMaxSizeLine = 4096;
constexpr std::size_t kMaxTrailerBytes = 16 * 1024;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view without_cr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

}  // namespace

ChunkedDecoder::Status ChunkedDecoder::fail(int status, std::string message) {
    error_ = {status, std::move(message)};
    return Status::failed;
}

ChunkedDecoder::Status ChunkedDecoder::feed(std::string_view input, std::string& body,
                                            std::size_t& consumed) {
    consumed = 0;
    while (consumed < input.size()) {
        const std::string_view rest = input.substr(consumed);
        switch (state_) {
            case State::size_line:
            case State::trailer: {
                const void* found = std::memchr(rest.data(), '\n', rest.size());
                const std::size_t take =
                    found == nullptr
                        ? rest.size()
                        : static_cast<std::size_t>(static_cast<const char*>(found) - rest.data()) +
                              1;
                const std::size_t limit =
                    state_ == State::size_line ? kMaxSizeLine : kMaxTrailerBytes - trailer_bytes_;
                if (line_.size() + take > limit) {
                    return fail(400, state_ == State::size_line
                                         ? "a chunk size line is longer than 4096 bytes"
                                         : "the chunked body's trailers are over 16384 bytes");
                }
                line_.append(rest.substr(0, take));
                consumed += take;
                if (found == nullptr) return Status::need_more;
                const std::string_view line =
                    without_cr(std::string_view(line_).substr(0, line_.size() - 1));
                if (state_ == State::trailer) {
                    trailer_bytes_ += line_.size();
                    const bool end = line.empty();
                    line_.clear();
                    if (end) {
                        state_ = State::done;
                        return Status::done;
                    }
                    continue;
                }
                // chunk-size [ BWS ; chunk-ext ]: hex digits, then anything after ';'.
                std::uint64_t size = 0;
                std::size_t digits = 0;
                while (digits < line.size() && hex_digit(line[digits]) >= 0) {
                    if (size > (UINT64_MAX >> 4)) return fail(400, "a chunk size overflows");
                    size = size * 16 + static_cast<std::uint64_t>(hex_digit(line[digits]));
                    ++digits;
                }
                std::string_view after = line.substr(digits);
                while (!after.empty() && (after.front() == ' ' || after.front() == '\t'))
                    after.remove_prefix(1);
                if (digits == 0 || (!after.empty() && after.front() != ';')) {
                    return fail(400, "a chunk size line is not hex digits (got '" +
                                         excerpt(line, 0, 40) + "')");
                }
                line_.clear();
                if (size > max_body_bytes_ - std::min(body.size(), max_body_bytes_)) {
                    return fail(413, "the chunked body grew past the limit of " +
                                         std::to_string(max_body_bytes_) + " bytes");
                }
                if (size == 0) {
                    state_ = State::trailer;
                } else {
                    remaining_ = size;
                    state_ = State::data;
                }
                break;
            }
            case State::data: {
                const std::size_t take =
                    static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
                body.append(rest.substr(0, take));
                consumed += take;
                remaining_ -= take;
                if (remaining_ == 0) state_ = State::data_end;
                break;
            }
            case State::data_end: {
                // CRLF after the data; a bare LF is accepted as the line end too.
                line_.push_back(rest.front());
                ++consumed;
                if (line_ == "\n" || line_ == "\r\n") {
                    line_.clear();
                    state_ = State::size_line;
                } else if (line_ != "\r") {
                    return fail(400,
                                "a chunk's data is not followed by CRLF (the chunk size "
                                "does not match its data)");
                }
                break;
            }
            case State::done:
                return Status::done;
        }
    }
    return state_ == State::done ? Status::done : Status::need_more;
}

}  // namespace matrix::mock::http
