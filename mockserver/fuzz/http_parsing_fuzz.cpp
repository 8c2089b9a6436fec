// Fuzzes the mock server's HTTP/1.1 parsers below the socket: HeadScanner gives the same answer
// however the bytes arrive, parse_head refuses with 400 or 505 or yields a clean head, and
// ChunkedDecoder decodes the same way whole or in pieces, within its limit, and gives back what
// was chunk-encoded.
//
// Input: the last five bytes (when there are five) choose how to cut the rest, the data: two
// 16-bit split points (little-endian, taken modulo the data's size + 1) and a byte for the
// round trip's chunk sizes; the bits of the split points' raw values pick its encoding style.
//
// It found three bugs, since fixed, whose inputs stay in fixtures/fuzz/http_parsing/finding-*:
// HeadScanner refused a piece ending right after an LF (431, or 414 before the request line); it
// let a head's blank line take it past max_head_bytes; and parse_head kept an HTTP/1.0
// connection alive when it asked for both close and keep-alive.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_support.hpp"
#include "http/chunked_decoder.hpp"
#include "http/request_head.hpp"

namespace {

using matrix::fuzz::check;
using matrix::mock::http::ChunkedDecoder;
using matrix::mock::http::HeadError;
using matrix::mock::http::HeadLimits;
using matrix::mock::http::HeadScanner;
using matrix::mock::http::RequestHead;

// Small limits, so that each of them is reachable in a few hundred bytes.
constexpr HeadLimits kSmallLimits{64, 32, 4, 160};
// ChunkedDecoder's own fixed limits (chunked_decoder.cpp), and the body limit used here: small
// enough that a body of several chunks can pass it within libFuzzer's input sizes.
constexpr std::size_t kBodyLimit = 1024;
constexpr std::size_t kMaxSizeLine = 4096;
constexpr std::size_t kMaxTrailerBytes = 16 * 1024;

struct Plan {
    std::string_view data;
    std::size_t cut1 = 0;  // cut1 <= cut2 <= data.size()
    std::size_t cut2 = 0;
    unsigned chunk_byte = 0;
    unsigned style = 0;  // the raw split values' bits
};

Plan plan_of(std::string_view input) {
    Plan plan;
    plan.data = input;
    if (input.size() < 5) return plan;
    const auto byte = [&](std::size_t i) {
        return static_cast<unsigned>(static_cast<unsigned char>(input[input.size() - 5 + i]));
    };
    plan.data = input.substr(0, input.size() - 5);
    const unsigned first = byte(0) | (byte(1) << 8);
    const unsigned second = byte(2) | (byte(3) << 8);
    plan.chunk_byte = byte(4);
    plan.style = first ^ (second << 3);
    std::size_t a = first % (plan.data.size() + 1);
    std::size_t b = second % (plan.data.size() + 1);
    if (a > b) std::swap(a, b);
    plan.cut1 = a;
    plan.cut2 = b;
    return plan;
}

// --- HTTP tokens, as RFC 9110 defines them (written here, not taken from the code under test) ---

bool is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    for (const char allowed : std::string_view("!#$%&'*+-.^_`|~")) {
        if (c == static_cast<unsigned char>(allowed)) return true;
    }
    return false;
}

bool is_token(std::string_view text) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool list_has(std::string_view list, std::string_view token) {
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        if (same_ignoring_case(trimmed(list.substr(start, comma - start)), token)) return true;
        start = comma + 1;
    }
    return false;
}

// --- (1) HeadScanner: the same answer however the bytes arrive ---------------------------------

struct ScanOutcome {
    std::size_t head_size = 0;
    int error_status = 0;
    std::size_t leading = 0;
    bool operator==(const ScanOutcome&) const = default;
};

ScanOutcome outcome_of(const HeadScanner::Result& result, const HeadScanner& scanner) {
    return {result.head_size, result.error ? result.error->status : 0,
            result.complete() ? scanner.leading_blank_bytes() : 0};
}

void check_limits_of_head(std::string_view head, const HeadLimits& limits) {
    // `head`: from the request line to the blank line, both included.
    std::size_t lines = 0;
    std::size_t at = 0;
    while (at < head.size()) {
        std::size_t end = head.find('\n', at);
        check(end != std::string_view::npos, "HeadScanner's head does not end in an LF");
        std::string_view line = head.substr(at, end - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        at = end + 1;
        if (line.empty()) {
            check(at == head.size(), "HeadScanner's head goes on after its blank line");
            break;
        }
        check(line.size() <= (lines == 0 ? limits.max_request_line : limits.max_header_line),
              "HeadScanner accepted a line over its limit");
        ++lines;
    }
    check(lines >= 1, "HeadScanner found a head without a request line");
    check(lines <= limits.max_headers + 1, "HeadScanner accepted more header lines than allowed");
    check(head.size() <= limits.max_head_bytes, "HeadScanner accepted a head over its limit");
}

// The whole data, then growing prefixes ending at the cuts: the same head or refusal.
std::optional<ScanOutcome> check_head_scanner(const Plan& plan, const HeadLimits& limits) {
    const std::string_view data = plan.data;
    HeadScanner whole_scanner(limits);
    const HeadScanner::Result whole_result = whole_scanner.scan(data);
    const ScanOutcome whole = outcome_of(whole_result, whole_scanner);
    check(!(whole_result.complete() && whole_result.error), "a scan both complete and refused");

    if (whole_result.complete()) {
        check(whole.head_size <= data.size(), "head_size is past the end of the input");
        check(whole.leading < whole.head_size, "the leading blank lines take up the whole head");
        check(whole.leading <= 1024, "more than 1024 bytes of leading blank lines were skipped");
        for (std::size_t i = 0; i < whole.leading; ++i) {
            check(data[i] == '\r' || data[i] == '\n', "a skipped leading byte is not CR or LF");
        }
        check_limits_of_head(data.substr(whole.leading, whole.head_size - whole.leading), limits);
    } else if (whole_result.error) {
        const int status = whole_result.error->status;
        check(status == 400 || status == 414 || status == 431,
              "HeadScanner refused with a status other than 400, 414 or 431");
        check(!whole_result.error->message.empty(), "HeadScanner refused without a message");
    }

    // Pieces are non-empty and only grow, as the connection's reads do.
    {
        HeadScanner scanner(limits);
        std::size_t scanned = 0;
        std::optional<ScanOutcome> split;
        for (const std::size_t cut : {plan.cut1, plan.cut2, data.size()}) {
            if (cut <= scanned) continue;
            scanned = cut;
            const HeadScanner::Result result = scanner.scan(data.substr(0, cut));
            if (result.complete() || result.error || cut == data.size()) {
                split = outcome_of(result, scanner);
                break;
            }
        }
        if (split) {
            check(*split == whole,
                  "HeadScanner answers differently when the head arrives in pieces");
        }
    }
    if (!whole_result.complete()) return std::nullopt;
    return whole;
}

// --- (2) parse_head: a clean head, or 400 or 505 -------------------------------------------------

std::string rendered(const RequestHead& head) {
    std::string out =
        head.method + " " + head.target + " HTTP/1." + std::to_string(head.minor_version) + "\r\n";
    for (const auto& header : head.headers) out += header.name + ": " + header.value + "\r\n";
    return out + "\r\n";
}

std::optional<RequestHead> parse_checked(std::string_view head_bytes) {
    HeadError error;
    std::optional<RequestHead> head;
    try {
        head = matrix::mock::http::parse_head(head_bytes, error);
    } catch (...) {
        matrix::fuzz::finding("parse_head threw");
    }
    if (!head) {
        check(error.status == 400 || error.status == 505,
              "parse_head refused with a status other than 400 or 505");
        check(!error.message.empty(), "parse_head refused without a message");
        return std::nullopt;
    }
    check(is_token(head->method), "parse_head accepted a method that is not a token");
    check(!head->target.empty(), "parse_head accepted an empty target");
    for (const char c : head->target) {
        const auto byte = static_cast<unsigned char>(c);
        check(byte > 0x20 && byte != 0x7f, "the target holds a space or a control character");
    }
    check(head->minor_version >= 0 && head->minor_version <= 9, "a minor version is not a digit");
    bool close = false;
    bool keep_alive = false;
    bool expects_continue = false;
    for (const auto& header : head->headers) {
        check(is_token(header.name), "a header name is not a token");
        for (const char c : header.value) {
            const auto byte = static_cast<unsigned char>(c);
            check(byte != '\r' && byte != '\n' && byte != '\0',
                  "a header value holds CR, LF or NUL");
            check(byte >= 0x20 || byte == '\t', "a header value holds a control character");
            check(byte != 0x7f, "a header value holds DEL");
        }
        check(trimmed(header.value) == header.value, "a header value keeps surrounding whitespace");
        check(head->header(header.name) != nullptr, "header() does not find a header it holds");
        if (same_ignoring_case(header.name, "Connection")) {
            close = close || list_has(header.value, "close");
            keep_alive = keep_alive || list_has(header.value, "keep-alive");
        }
        if (same_ignoring_case(header.name, "Expect")) {
            expects_continue = expects_continue || same_ignoring_case(header.value, "100-continue");
        }
    }
    // RFC 9112 §9.3: close wins; then HTTP/1.1 persists; then HTTP/1.0 only with keep-alive.
    const bool persists = !close && (head->minor_version >= 1 || keep_alive);
    check(head->keep_alive == persists, "keep_alive disagrees with RFC 9112 section 9.3");
    check(!head->expect_continue || expects_continue,
          "expect_continue without an Expect: 100-continue header");
    return head;
}

void check_parse_head(std::string_view head_bytes) {
    const std::optional<RequestHead> head = parse_checked(head_bytes);
    if (!head) return;
    // What it parsed, written back canonically, parses to the same.
    const std::string again = rendered(*head);
    const std::optional<RequestHead> reparsed = parse_checked(again);
    check(reparsed.has_value(), "parse_head refused the canonical form of a head it accepted");
    check(reparsed->method == head->method && reparsed->target == head->target &&
              reparsed->minor_version == head->minor_version &&
              reparsed->headers == head->headers && reparsed->keep_alive == head->keep_alive &&
              reparsed->expect_continue == head->expect_continue,
          "parse_head reads a head's canonical form differently");
}

// --- (3) ChunkedDecoder: whole or in pieces, within the limit -----------------------------------

struct Decoded {
    ChunkedDecoder::Status status = ChunkedDecoder::Status::need_more;
    std::string body;
    std::size_t consumed = 0;
    int error_status = 0;
};

Decoded decode(std::string_view data, std::size_t cut, std::size_t limit) {
    ChunkedDecoder decoder(limit);
    Decoded out;
    std::size_t at = 0;
    for (const std::size_t end : {cut, data.size()}) {
        if (end < at) continue;
        std::size_t consumed = 0;
        out.status = decoder.feed(data.substr(at, end - at), out.body, consumed);
        check(consumed <= end - at, "ChunkedDecoder consumed more than it was given");
        if (out.status == ChunkedDecoder::Status::need_more) {
            check(consumed == end - at, "ChunkedDecoder needs more without taking all it had");
        }
        at += consumed;
        check(out.body.size() <= limit, "ChunkedDecoder's body went past its limit");
        if (out.status != ChunkedDecoder::Status::need_more) break;
    }
    out.consumed = at;
    if (out.status == ChunkedDecoder::Status::failed) {
        out.error_status = decoder.error().status;
        check(out.error_status == 400 || out.error_status == 413,
              "ChunkedDecoder failed with a status other than 400 or 413");
        check(!decoder.error().message.empty(), "ChunkedDecoder failed without a message");
    }
    if (out.status == ChunkedDecoder::Status::done) {
        check(out.consumed > 0 && data[out.consumed - 1] == '\n',
              "ChunkedDecoder finished anywhere but after a line end");
    }
    return out;
}

// A plain reading of the whole buffer with the decoder's rules: the body, and where it ends;
// nullopt when it is incomplete or malformed (its status is not compared, only acceptance).
std::optional<Decoded> reference_decode(std::string_view data, std::size_t limit) {
    Decoded out;
    std::size_t at = 0;
    const auto next_line = [&](std::size_t max_bytes) -> std::optional<std::string_view> {
        const std::size_t end = data.find('\n', at);
        if (end == std::string_view::npos || end + 1 - at > max_bytes) return std::nullopt;
        std::string_view line = data.substr(at, end - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        at = end + 1;
        return line;
    };
    for (;;) {
        const std::optional<std::string_view> line = next_line(kMaxSizeLine);
        if (!line) return std::nullopt;
        std::size_t digits = 0;
        std::uint64_t size = 0;
        for (; digits < line->size(); ++digits) {
            const char c = lower((*line)[digits]);
            int value = -1;
            if (c >= '0' && c <= '9') value = c - '0';
            if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
            if (value < 0) break;
            if (size >> 60 != 0) return std::nullopt;  // would overflow
            size = size * 16 + static_cast<std::uint64_t>(value);
        }
        const std::string_view rest = trimmed(line->substr(digits));
        if (digits == 0 || (!rest.empty() && rest.front() != ';')) return std::nullopt;
        if (size > limit - out.body.size()) return std::nullopt;
        if (size == 0) break;
        if (data.size() - at < size) return std::nullopt;
        out.body.append(data.substr(at, size));
        at += size;
        if (data.substr(at, 2) == "\r\n") {
            at += 2;
        } else if (data.substr(at, 1) == "\n") {
            at += 1;
        } else {
            return std::nullopt;
        }
    }
    std::size_t trailer_bytes = 0;
    for (;;) {
        const std::size_t start = at;
        const std::optional<std::string_view> line = next_line(kMaxTrailerBytes - trailer_bytes);
        if (!line) return std::nullopt;
        trailer_bytes += at - start;
        if (line->empty()) break;
    }
    out.status = ChunkedDecoder::Status::done;
    out.consumed = at;
    return out;
}

void check_chunked_decoder(const Plan& plan) {
    const Decoded whole = decode(plan.data, plan.data.size(), kBodyLimit);
    const Decoded split = decode(plan.data, plan.cut1, kBodyLimit);
    check(whole.status == split.status, "ChunkedDecoder's status depends on how the body arrives");
    check(whole.body == split.body, "ChunkedDecoder's body depends on how the body arrives");
    check(whole.error_status == split.error_status,
          "ChunkedDecoder's refusal depends on how the body arrives");
    // After a failure the connection closes, so what it took then is not compared.
    if (whole.status != ChunkedDecoder::Status::failed) {
        check(whole.consumed == split.consumed,
              "ChunkedDecoder takes a different number of bytes when the body arrives in pieces");
    }
    const std::optional<Decoded> reference = reference_decode(plan.data, kBodyLimit);
    check(reference.has_value() == (whole.status == ChunkedDecoder::Status::done),
          "ChunkedDecoder and the reference disagree on whether the body is complete and valid");
    if (reference) {
        check(reference->body == whole.body, "ChunkedDecoder and the reference decode differently");
        check(reference->consumed == whole.consumed,
              "ChunkedDecoder and the reference end the body at different bytes");
    }
}

// --- (4) round trip: chunk-encode the data, decode it back ----------------------------------

std::string hex(std::size_t value, bool upper, bool leading_zeros) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[value % 16]);
        value /= 16;
    } while (value != 0);
    return leading_zeros ? "000" + out : out;
}

void check_round_trip(const Plan& plan) {
    const std::string_view payload = plan.data;
    const bool upper = (plan.style & 1) != 0;
    const std::string eol = (plan.style & 2) != 0 ? "\n" : "\r\n";
    const bool extensions = (plan.style & 4) != 0;
    const bool trailers = (plan.style & 8) != 0;
    const bool leading_zeros = (plan.style & 16) != 0;
    const bool pipelined = (plan.style & 32) != 0;
    const std::size_t max_chunk = 1 + plan.chunk_byte;

    std::string encoded;
    std::size_t at = 0;
    for (std::size_t i = 0; at < payload.size(); ++i) {
        const std::size_t wanted = 1 + (plan.cut1 + plan.cut2 * i + i * i) % max_chunk;
        const std::size_t size = std::min(wanted, payload.size() - at);
        encoded += hex(size, upper, leading_zeros);
        if (extensions) encoded += i % 2 == 0 ? ";a=b" : " ; x";
        encoded += eol;
        encoded += payload.substr(at, size);
        encoded += eol;
        at += size;
    }
    encoded += "0" + std::string(extensions ? ";last" : "") + eol;
    if (trailers) encoded += "X-Checksum: 1" + eol + "X-Other:" + eol;
    encoded += eol;
    const std::size_t body_end = encoded.size();
    if (pipelined) encoded += "GET / HTTP/1.1\r\n\r\n";

    const std::size_t cut = encoded.empty() ? 0 : plan.cut2 % (encoded.size() + 1);
    for (const std::size_t split_at : {encoded.size(), cut}) {
        const Decoded decoded = decode(encoded, split_at, kBodyLimit);
        if (payload.size() > kBodyLimit) {
            check(decoded.status == ChunkedDecoder::Status::failed && decoded.error_status == 413,
                  "a chunk-encoded body over the limit was not refused with 413");
            continue;
        }
        check(decoded.status == ChunkedDecoder::Status::done,
              "ChunkedDecoder did not finish a chunk-encoded body");
        check(decoded.body == payload, "decoding a chunk-encoded body does not give it back");
        check(decoded.consumed == body_end, "ChunkedDecoder did not stop at the body's end");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Plan plan = plan_of(matrix::fuzz::as_text(data, size));

    for (const HeadLimits& limits : {HeadLimits{}, kSmallLimits}) {
        if (const std::optional<ScanOutcome> head = check_head_scanner(plan, limits)) {
            check_parse_head(plan.data.substr(head->leading, head->head_size - head->leading));
        }
    }
    check_parse_head(plan.data);  // not delimited by the scanner: any bytes at all

    check_chunked_decoder(plan);
    check_round_trip(plan);
    return 0;
}
