// How fast a server takes in one large request body on loopback: the in-process MockHomeserver
// against a bare cpp-httplib server (what a user would otherwise start), in the same run, with
// the same raw-socket client writing POST /intake with a Content-Length body and reading the
// whole answer. Bytes per second are those of the body.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "matrix/mock/homeserver.hpp"
#include "matrix/request.hpp"

namespace {

// Both servers accept bodies up to this, so the 32 MiB argument fits either way.
constexpr std::size_t kMaxBody = 64 * 1024 * 1024;
// A stalled exchange fails the benchmark instead of hanging it.
constexpr int kPollTimeoutMs = 10'000;

// The whole request, head and body, built once per benchmark run outside the timed region.
std::string make_request(std::size_t body_bytes) {
    std::string request =
        "POST /intake HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body_bytes) +
        "\r\n\r\n";
    const std::size_t head = request.size();
    request.resize(head + body_bytes);
    // Printable, varied bytes; neither server looks at them.
    for (std::size_t i = 0; i < body_bytes; ++i) {
        request[head + i] = static_cast<char>('a' + static_cast<char>(i % 26));
    }
    return request;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The parts of an answer the benchmark checks.
struct Answer {
    int status = 0;
    bool close = false;  // the server ends the connection after it
};

// One keep-alive connection to 127.0.0.1:port, non-blocking, so the client never deadlocks
// whatever the server does: it writes while the socket takes bytes and reads whatever comes
// back meanwhile (an early answer such as a 413 stops the writing). Both servers read the whole
// body before answering, so a blocking write-then-read also works (tried: same times, no
// stall); polling costs one poll() per socket-buffer's worth of body, nothing next to the copies.
class Connection {
  public:
    explicit Connection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 &&
            errno != EINPROGRESS) {
            const std::string error = std::strerror(errno);
            ::close(fd_);
            throw std::runtime_error("connect: " + error);
        }
        pollfd connecting{fd_, POLLOUT, 0};
        int error = 0;
        socklen_t length = sizeof error;
        if (::poll(&connecting, 1, kPollTimeoutMs) != 1 ||
            ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            ::close(fd_);
            throw std::runtime_error("connect: " + std::string(std::strerror(error)));
        }
        input_.resize(64 * 1024);
    }
    ~Connection() { ::close(fd_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Writes `request` and reads one answer (status line, headers, Content-Length body).
    // Returns an error message, or nullopt with `answer` filled.
    std::optional<std::string> exchange(std::string_view request, Answer& answer) {
        std::size_t sent = 0;
        std::size_t received = 0;
        std::size_t head_end = std::string::npos;
        std::size_t total = std::string::npos;  // head and body, once the head is parsed
        while (true) {
            if (sent < request.size()) {
                const ssize_t n =
                    ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
                if (n > 0) {
                    sent += static_cast<std::size_t>(n);
                } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    return std::string("send: ") + std::strerror(errno);
                }
            }
            const auto wanted = static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0));
            pollfd ready{fd_, wanted, 0};
            const int polled = ::poll(&ready, 1, kPollTimeoutMs);
            if (polled < 0 && errno == EINTR) continue;
            if (polled < 0) return std::string("poll: ") + std::strerror(errno);
            if (polled == 0) return std::string("no progress for 10 s");
            if ((ready.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            if (received == input_.size()) input_.resize(input_.size() * 2);
            const ssize_t n = ::recv(fd_, input_.data() + received, input_.size() - received, 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
            if (n < 0) return std::string("recv: ") + std::strerror(errno);
            if (n == 0) return std::string("the server closed the connection mid-answer");
            received += static_cast<std::size_t>(n);
            if (head_end == std::string::npos) {
                const std::string_view seen(input_.data(), received);
                head_end = seen.find("\r\n\r\n");
                if (head_end == std::string::npos) continue;
                std::optional<std::string> error = parse_head(seen.substr(0, head_end), answer);
                if (error) return error;
                total = head_end + 4 + content_length_;
            }
            if (received < total) continue;
            if (received > total) return std::string("bytes past the answer's Content-Length");
            if (sent < request.size()) {
                return "answered " + std::to_string(answer.status) + " after " +
                       std::to_string(sent) + " of " + std::to_string(request.size()) +
                       " bytes were sent";
            }
            return std::nullopt;
        }
    }

  private:
    std::optional<std::string> parse_head(std::string_view head, Answer& answer) {
        if (head.size() < 12 || head.substr(0, 9) != "HTTP/1.1 ") {
            return "not an HTTP/1.1 status line: " + std::string(head.substr(0, 40));
        }
        answer = Answer{};
        answer.status = std::stoi(std::string(head.substr(9, 3)));
        std::optional<std::size_t> length;
        std::size_t line = head.find("\r\n");
        while (line != std::string_view::npos) {
            const std::size_t next = head.find("\r\n", line + 2);
            const std::string_view field =
                head.substr(line + 2, next == std::string_view::npos ? std::string_view::npos
                                                                     : next - line - 2);
            const std::size_t colon = field.find(':');
            if (colon != std::string_view::npos) {
                const std::string_view name = field.substr(0, colon);
                const std::string_view value = trim(field.substr(colon + 1));
                if (matrix::header_name_equals(name, "Content-Length"))
                    length = std::stoull(std::string(value));
                if (matrix::header_name_equals(name, "Connection") &&
                    matrix::header_name_equals(value, "close"))
                    answer.close = true;
            }
            line = next;
        }
        if (!length) return std::string("an answer without Content-Length");
        content_length_ = *length;
        return std::nullopt;
    }

    int fd_ = -1;
    std::string input_;
    std::size_t content_length_ = 0;
};

// Times one body per iteration over one keep-alive connection, opened before the timed loop:
// the time is the intake alone (first byte written to last byte of the answer read), not a TCP
// handshake and accept per request, and a client uploading large bodies keeps its connection.
// Should a server end the connection anyway, the next one is opened with the timer paused.
void run_intake(benchmark::State& state, int port) {
    const auto body_bytes = static_cast<std::size_t>(state.range(0));
    const std::string request = make_request(body_bytes);
    std::unique_ptr<Connection> connection;
    try {
        connection = std::make_unique<Connection>(port);
    } catch (const std::exception& error) {
        state.SkipWithError(error.what());
        return;
    }
    Answer answer;
    for (auto _ : state) {
        if (!connection) {
            state.PauseTiming();
            try {
                connection = std::make_unique<Connection>(port);
            } catch (const std::exception& error) {
                state.SkipWithError(error.what());
                break;
            }
            state.ResumeTiming();
        }
        if (const std::optional<std::string> error = connection->exchange(request, answer)) {
            state.SkipWithError(error->c_str());
            break;
        }
        if (answer.status != 200) {
            state.SkipWithError(("status " + std::to_string(answer.status)).c_str());
            break;
        }
        if (answer.close) connection.reset();
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body_bytes));
}

// The mock server with its defaults but for the body limit; started once, on first use. Its
// measured intake includes journaling: each request, body included, is recorded (the body's
// buffer is shared, not copied), and the journal (bounded by journal_max_bytes, 256 MiB by
// default) evicts the oldest entries, so any number of 32 MiB iterations fit.
matrix::mock::MockHomeserverOptions mock_options() {
    matrix::mock::MockHomeserverOptions options;
    options.max_body_bytes = kMaxBody;
    return options;
}

matrix::mock::MockHomeserver& mock_server() {
    static matrix::mock::MockHomeserver server(mock_options());
    static const std::string stub = server.add_mapping(
        R"({"request":{"method":"POST","urlPath":"/intake"},"response":{"status":200}})");
    return server;
}

// A bare cpp-httplib server answering POST /intake 200 "ok", tuned as bare_httplib_server.cpp
// is (TCP_NODELAY, unlimited keep-alive) and with a payload limit that fits 32 MiB; its own
// thread, started once, on first use.
class BareHttplib {
  public:
    BareHttplib() {
        server_.set_tcp_nodelay(true);
        server_.set_keep_alive_max_count(100'000'000);
        server_.set_payload_max_length(kMaxBody);
        server_.Post("/intake", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("ok", "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("cpp-httplib: cannot bind 127.0.0.1");
        // The socket listens from bind_to_any_port on: connections wait in its backlog until
        // the thread accepts them.
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~BareHttplib() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
    }
    BareHttplib(const BareHttplib&) = delete;
    BareHttplib& operator=(const BareHttplib&) = delete;

    int port() const { return port_; }

  private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

BareHttplib& bare_server() {
    static BareHttplib server;
    return server;
}

// Argument: body bytes. Time per iteration: one request's body taken in and answered 200.
void BM_IntakeMockServer(benchmark::State& state) {
    int port = 0;
    try {
        port = mock_server().port();
    } catch (const std::exception& error) {
        state.SkipWithError(error.what());
        return;
    }
    run_intake(state, port);
}
BENCHMARK(BM_IntakeMockServer)
    ->Arg(1 << 20)
    ->Arg(32 << 20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_IntakeBareHttplib(benchmark::State& state) {
    int port = 0;
    try {
        port = bare_server().port();
    } catch (const std::exception& error) {
        state.SkipWithError(error.what());
        return;
    }
    run_intake(state, port);
}
BENCHMARK(BM_IntakeBareHttplib)
    ->Arg(1 << 20)
    ->Arg(32 << 20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
