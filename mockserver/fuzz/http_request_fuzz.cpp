// Fuzzes the mock homeserver's request handling with raw HTTP bytes: one in-process server
// (stubs from fixtures/mappings, simulation on) on an ephemeral port, started once; each input
// is written over a fresh TCP connection, the client half-closes, and the answer is read with
// a timeout.
//
// Why TCP and not a call into the handler: the bytes as a client sends them are the point, and
// the server's own HTTP layer (mockserver/src/http/: head scanning, framing, chunked bodies,
// pipelining, half-close) sits below any public hook. http_parsing_fuzz.cpp fuzzes its parsers
// directly, at a far higher rate.
// The admin API is off: an admin request reconfigures the server (stubs with delays or faults)
// for every later input, which would make findings depend on the whole run, not one input.
//
// Speed: no input waits out a long timeout. The client shuts down its write side after the
// input, so the server sees end of stream: a partial request is dropped at once and a complete
// one answered, then the connection closed. The fuzz server also drops a partial request after
// 5 ms of silence and an idle connection at once (read_timeout, keep_alive_timeout). The
// shipped stubs' fixed delays (the incremental /sync stub holds 2 s, as a long poll) are
// dropped, since a delay only sleeps before the same answer. The simulation's own long-polled
// /sync is not reachable: every /sync matches a stub first, and the simulation would need an
// access token it issued (random) anyway. So the server always answers or closes promptly, and
// a client that hears neither within kAnswerTimeoutMs has found a held connection.
//
// Checked: the answer is HTTP/1.1 and never a handler's 500; and a well-formed request with no
// body (neither Content-Length nor Transfer-Encoding: RFC 9112 6.3 says it has none) is always
// answered, never taken for the start of a body that never comes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "matrix/mock/homeserver.hpp"

namespace {

using matrix::fuzz::check;

matrix::mock::MockHomeserver& server() {
    static matrix::mock::MockHomeserver instance([] {
        matrix::mock::MockHomeserverOptions options;
        options.admin_api = false;
        options.simulation = true;
        // Bounded, so millions of inputs do not grow the journal without end.
        options.journal_capacity = 64;
        options.read_timeout = std::chrono::milliseconds(5);
        options.keep_alive_timeout = std::chrono::milliseconds(0);
        return options;
    }());
    static const bool loaded = [] {
        instance.load_mappings(MATRIX_FUZZ_MAPPINGS_DIR);
        for (const matrix::mock::Stub& stub : instance.stubs().list()) {
            instance.stubs().update(stub.id, [](matrix::mock::Stub& held) {
                for (auto& response : held.responses) response.fixed_delay = {};
            });
        }
        return true;
    }();
    (void)loaded;
    return instance;
}

// How long the server may take to answer and close after an input. It needs tens of
// milliseconds; this is generous for sanitizer builds on a loaded machine and stays below
// libFuzzer's -timeout (10 s in ci/fuzz.sh).
constexpr int kAnswerTimeoutMs = 2000;

void set_timeout(int fd, int option) {
    timeval timeout{};
    timeout.tv_sec = kAnswerTimeoutMs / 1000;
    timeout.tv_usec = (kAnswerTimeoutMs % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, option, &timeout, sizeof timeout);
}

// A connected socket, with kAnswerTimeoutMs for each send and receive.
//
// The client half-closes first, so each exchange leaves its port in TIME_WAIT for 60 s: at
// 2,000 inputs a second that is more connections than the 28,000 ports of Linux's default
// range. Linux reuses such a port on loopback (tcp_tw_reuse) once it is a second old, but one
// 600 s run still ended in a failed connect() after 243,982 inputs, while the same input
// replayed alone passed. So a failed connect is tried again, three times in all, before it is
// called a finding; a server that stopped accepting fails all three.
int connect_to(int port) {
    int error = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) ::usleep(200'000);
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) matrix::fuzz::finding("socket() failed");
        set_timeout(fd, SO_RCVTIMEO);
        set_timeout(fd, SO_SNDTIMEO);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
            return fd;
        }
        error = errno;
        ::close(fd);
    }
    const std::string message =
        "the mock server no longer accepts connections: connect() failed three times, last: " +
        std::string(std::strerror(error));
    matrix::fuzz::finding(message.c_str());
}

// The bytes the server answered, until it closed the connection (or reset it).
std::string exchange(int port, std::string_view request) {
    const int fd = connect_to(port);
    std::size_t sent = 0;
    while (sent < request.size()) {
        // MSG_NOSIGNAL: the server may close first (it refused the request); no SIGPIPE.
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);  // the input is all there is
    std::string answer;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            answer.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;  // libFuzzer's timer signal
        const bool held = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        ::close(fd);
        // n == 0: closed; ECONNRESET: dropped (it refused the request before reading it all).
        check(!held, "the server held the connection: no answer and no close in time");
        return answer;
    }
}

// True when `input` is exactly one well-formed request head with no body framing: a token
// method, a target without spaces, HTTP/1.1, header lines "Name: value" of printable ASCII,
// none of Content-Length, Transfer-Encoding or Expect, and the blank line ending it. Written
// here, apart from the server's parser, so the two can disagree.
bool is_bodiless_request(std::string_view input) {
    const auto token_char = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-';
    };
    std::size_t at = 0;
    while (at < input.size() && input[at] >= 'A' && input[at] <= 'Z') ++at;
    if (at == 0 || at >= input.size() || input[at] != ' ') return false;
    const std::size_t target = ++at;
    while (at < input.size() && input[at] > ' ' && input[at] < 0x7f) ++at;
    if (at == target || input.substr(at, 11) != " HTTP/1.1\r\n") return false;
    at += 11;
    while (true) {
        if (input.substr(at) == "\r\n") return true;
        const std::size_t end = input.find("\r\n", at);
        if (end == std::string_view::npos) return false;
        const std::string_view line = input.substr(at, end - at);
        const std::size_t colon = line.find(':');
        if (colon == 0 || colon == std::string_view::npos) return false;
        std::string name;
        for (std::size_t i = 0; i < colon; ++i) {
            if (!token_char(line[i])) return false;
            name += static_cast<char>(line[i] | 0x20);  // ASCII lower case
        }
        if (name == "content-length" || name == "transfer-encoding" || name == "expect")
            return false;
        for (std::size_t i = colon + 1; i < line.size(); ++i) {
            if (line[i] < ' ' || line[i] >= 0x7f) return false;
        }
        at = end + 2;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = matrix::fuzz::as_text(data, size);
    const std::string answer = exchange(server().port(), input);
    check(!answer.empty() || !is_bodiless_request(input),
          "a bodiless request got no answer (taken for the start of a body?)");
    if (answer.empty()) return 0;  // closed without an answer: allowed (a partial request)
    check(answer.starts_with("HTTP/1.1 "), "the server answered something that is not HTTP/1.1");
    // A handler that throws is answered 500 M_UNKNOWN by the HTTP layer: never ours to give.
    check(!answer.starts_with("HTTP/1.1 500"), "a handler threw (the server answered 500)");
    return 0;
}
