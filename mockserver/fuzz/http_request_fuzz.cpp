// Fuzzes the mock homeserver's request handling with raw HTTP bytes: one in-process server
// (stubs from fixtures/mappings, simulation on) on an ephemeral port, started once; each input
// is written over a fresh TCP connection and the answer read with a timeout.
//
// Why TCP and not a call into the handler: the server's parsing of request lines, headers,
// chunked bodies and Content-Length is cpp-httplib's, inside MockHomeserver's private Impl;
// there is no public hook below the socket, and the bytes as a client sends them are the point.
// The admin API is off: an admin request reconfigures the server (stubs with delays or faults)
// for every later input, which would make findings depend on the whole run, not one input.
//
// Speed: no input waits out a long timeout. The fuzz server closes a connection once it has
// been idle for ~10 ms after a response (keep_alive_timeout 0) and drops a partial request
// after 5 ms of silence (read_timeout; the whole input is in the socket buffer by then, so
// a complete request never waits for it). The shipped stubs' fixed delays (the
// incremental /sync stub holds 2 s, as a long poll) are dropped, since a delay only sleeps
// before the same answer. The simulation's own long-polled /sync is not reachable: every
// /sync matches a stub first, and the simulation would need an access token it issued
// (random) anyway. So the server always answers or closes promptly, and a client that hears
// neither within kAnswerTimeoutMs has found a held connection: a finding, not an answer.
//
// The client does not shut down its write side after the input: cpp-httplib checks that the
// peer is still there (MSG_PEEK) before writing a response, sees the half-close as a closed
// connection and answers nothing, so no answer would ever be checked.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
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
        options.keep_alive_timeout = std::chrono::seconds(0);
        options.worker_threads = 64;
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

// The bytes the server answered, until it closed the connection (or reset it).
std::string exchange(int port, std::string_view request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) matrix::fuzz::finding("socket() failed");
    set_timeout(fd, SO_RCVTIMEO);
    set_timeout(fd, SO_SNDTIMEO);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        matrix::fuzz::finding("the mock server no longer accepts connections");
    }
    std::size_t sent = 0;
    while (sent < request.size()) {
        // MSG_NOSIGNAL: the server may close first (it refused the request); no SIGPIPE.
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string answer = exchange(server().port(), matrix::fuzz::as_text(data, size));
    if (answer.empty()) return 0;  // closed without an answer: allowed (a partial request)
    check(answer.starts_with("HTTP/1.1 "), "the server answered something that is not HTTP/1.1");
    // cpp-httplib turns an exception escaping a handler into a bare 500: never ours to give.
    check(!answer.starts_with("HTTP/1.1 500"), "a handler threw (cpp-httplib answered 500)");
    return 0;
}
