// One client connection on an event loop: reads requests, dispatches each to the workers, writes
// the answer when it comes, and enforces the timeouts and limits on the way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/chunked_decoder.hpp"
#include "http/event_loop.hpp"
#include "http/request_head.hpp"
#include "http/server.hpp"
#include "matrix/mock/shared_bytes.hpp"

namespace matrix::mock::http {

namespace detail {
struct ExchangeState;
}

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(EventLoop& loop, int fd, std::uint64_t id, std::string remote_address,
               int remote_port, bool over_limit);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::uint64_t id() const { return id_; }
    void start();
    void on_io(std::uint32_t events);
    void on_deadline();
    // The answer to exchange `serial`: bytes ready to write, and whether to end after them.
    // Ignored unless that exchange is the one in flight.
    void deliver(std::uint64_t serial, std::vector<SharedBytes> chunks, bool close);
    void break_connection(std::uint64_t serial, Breakage how);
    void close();
    // A bug met while serving this connection (an exception on the loop): answered 500
    // M_UNKNOWN naming it, when an answer can still be written, then closed. Never throws.
    void fail(const char* what) noexcept;

    // Kept by the loop's deadline map.
    EventLoop::Deadlines::iterator deadline_entry;
    bool has_deadline = false;

  private:
    enum class Phase {
        idle,        // between requests, nothing of the next one received
        head,        // part of a head received
        body,        // reading a Content-Length body straight into its buffer
        chunked,     // decoding a chunked body
        dispatched,  // the handler has the request; no answer yet
        writing,     // an answer (or refusal) is being written
        lingering,   // answered and closing: our side shut down, draining what the client sends
        closed,
    };

    void read_available();
    void on_peer_closed();
    void process();
    void on_head(RequestHead head);
    void dispatch(SharedBytes body);
    void refuse(const Refusal& refusal, bool report, SharedBytes partial_body = {});
    void flush();
    void finish_response();
    void abandon_current();
    void arm(std::chrono::milliseconds timeout);

    EventLoop& loop_;
    ServerCore& core_;
    int fd_;
    const std::uint64_t id_;
    const std::string remote_address_;
    const int remote_port_;
    const bool over_limit_;

    Phase phase_ = Phase::idle;
    bool peer_closed_ = false;  // the client shut its side: no more requests will come
    bool fin_pending_ = false;  // epoll reported the client's FIN; read up to it
    bool read_paused_ = false;  // busy with a full input buffer: the rest waits in the socket
    std::string input_;         // received and not yet consumed (heads, pipelined requests)
    HeadScanner scanner_;
    std::optional<RequestHead> head_;
    ByteBuffer body_;
    std::size_t body_filled_ = 0;
    std::optional<ChunkedDecoder> chunked_;
    std::string chunked_body_;

    std::deque<SharedBytes> output_;
    std::size_t output_offset_ = 0;  // bytes of output_.front() already written
    bool close_after_output_ = false;
    // The exchange in flight: weak, so that a handler dropping it unanswered destroys it, and
    // its destructor's fallback answer reaches this connection.
    std::weak_ptr<detail::ExchangeState> current_;
    std::uint64_t current_serial_ = 0;
};

}  // namespace matrix::mock::http
