// The mock homeserver's HTTP/1.1 server: epoll event loops own the connections, a small pool of
// workers runs the handler, and an answer may come later from any thread, so a held request
// (a long-polling /sync, an admin wait) costs a few hundred bytes and no thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/request_head.hpp"
#include "matrix/mock/shared_bytes.hpp"
#include "matrix/request.hpp"
#include "request_limits.hpp"

namespace matrix::mock::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                    // 0: any free port
    std::size_t io_threads = 2;      // event loops; connections are spread over them
    std::size_t worker_threads = 4;  // handler threads; handlers never wait for a client
    // Open connections served; beyond it a connection's first request gets 429 M_LIMIT_EXCEEDED
    // (with retry_after_ms and Retry-After, which every Matrix client honours) and the
    // connection is closed. Also bounded by the process's open-file limit.
    std::size_t max_connections = 20'000;
    std::chrono::milliseconds read_timeout{30'000};       // silence mid-request
    std::chrono::milliseconds keep_alive_timeout{5'000};  // idle between requests
    std::chrono::milliseconds write_timeout{30'000};      // a client that stops reading
    std::size_t max_body_bytes = 32 * 1024 * 1024;
    HeadLimits head_limits;
};

struct Request {
    RequestHead head;
    SharedBytes body;
    std::string remote_address;
    int remote_port = 0;
};

struct Response {
    int status = 200;
    std::vector<Header> headers;  // Content-Length, Transfer-Encoding, Connection: the server's
    SharedBytes body;
    bool close = false;  // end the connection once it is written
};

enum class Breakage { reset, empty_response };

namespace detail {
struct ExchangeState;
}

// One request's answer channel. Copyable; the first respond() or break_connection() wins and
// later calls do nothing. Safe from any thread, before or after the connection is gone.
class Exchange {
  public:
    explicit Exchange(std::shared_ptr<detail::ExchangeState> state) : state_(std::move(state)) {}

    // Queues the response for writing; false when the client has already gone.
    bool respond(Response response) const;
    // Ends the connection without an answer: a TCP reset, or a close with no byte sent.
    void break_connection(Breakage how) const;
    // Runs `hook` once on a worker thread if the client closes (or half-closes) its connection
    // before the answer: a held request should answer now. Runs it at once if that has happened.
    void on_abandoned(std::function<void()> hook) const;
    bool abandoned() const;

  private:
    std::shared_ptr<detail::ExchangeState> state_;
};

class Handler {
  public:
    virtual ~Handler() = default;
    // On the I/O thread once the head is read, before the body: a refusal is answered at once
    // and the connection closed, since the body it would have sent is not read. Must be quick.
    virtual std::optional<Refusal> check_head(const RequestHead& head) = 0;
    // A complete request, on a worker thread. Answer through `exchange`, now or later.
    virtual void handle(Request request, Exchange exchange) = 0;
    // A request the server answered itself (refused after its head was read), with the body
    // as far as it was read; on the I/O thread, before the refusal is written. Must be quick.
    virtual void refused(Request request, const Refusal& refusal) = 0;
};

struct ServerStats {
    std::size_t open_connections = 0;
    std::size_t peak_connections = 0;
    std::size_t connection_limit = 0;  // max_connections, lowered to fit the open-file limit
    std::uint64_t accepted = 0;
    std::uint64_t refused_connections = 0;  // over the limit: answered 429 or closed at once
    std::size_t requests_in_flight = 0;     // dispatched and not yet answered
};

class Server {
  public:
    // Binds and listens at once (throws std::runtime_error naming host and port when it
    // cannot); serves from start() on.
    Server(ServerOptions options, Handler& handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int port() const;
    void start();
    // Stops accepting, closes every connection, and joins every thread. Idempotent.
    void stop();
    ServerStats stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace matrix::mock::http
