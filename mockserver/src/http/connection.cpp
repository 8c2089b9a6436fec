// A connection's life: head, body (by length, chunked, or none: RFC 9112 §6.3 says a request
// with neither header has no body), dispatch, answer, then the next request or the close.
#include "http/connection.hpp"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <new>

#include "http/exchange.hpp"
#include "http/server_core.hpp"

namespace matrix::mock::http {
namespace {

// While a request is being answered, pipelined bytes are buffered up to this much; the rest
// waits in the socket until the answer is out.
constexpr std::size_t kMaxBufferedWhileBusy = 64 * 1024;
// After an answer that ends the connection, what the client still sends is read and dropped
// for at most this long (or the read timeout, when shorter), so it reads our answer before
// the close; closing with unread bytes would send it a reset that can destroy the answer.
constexpr std::chrono::milliseconds kMaxLinger{2'000};

}  // namespace

Connection::Connection(EventLoop& loop, int fd, std::uint64_t id, std::string remote_address,
                       int remote_port, bool over_limit)
    : loop_(loop),
      core_(loop.core()),
      fd_(fd),
      id_(id),
      remote_address_(std::move(remote_address)),
      remote_port_(remote_port),
      over_limit_(over_limit),
      scanner_(core_.options.head_limits) {}

Connection::~Connection() {
    if (fd_ >= 0) ::close(fd_);
}

void Connection::start() {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.u64 = id_;
    if (::epoll_ctl(loop_.epoll_fd(), EPOLL_CTL_ADD, fd_, &event) != 0) {
        close();
        return;
    }
    arm(core_.options.read_timeout);
}

void Connection::arm(std::chrono::milliseconds timeout) {
    loop_.set_deadline(*this, EventLoop::Clock::now() + timeout);
}

void Connection::on_io(std::uint32_t events) {
    if (phase_ == Phase::closed) return;
    if ((events & EPOLLERR) != 0) {
        close();
        return;
    }
    // The client's FIN may sit behind data in the same edge; it is read, not assumed.
    if ((events & (EPOLLRDHUP | EPOLLHUP)) != 0) fin_pending_ = true;
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0) read_available();
    if (phase_ != Phase::closed && (events & EPOLLOUT) != 0 && !output_.empty()) flush();
}

void Connection::read_available() {
    while (phase_ != Phase::closed && !peer_closed_) {
        char* into = nullptr;
        std::size_t room = 0;
        if (phase_ == Phase::body) {
            // Straight into the body's own buffer: no copy, no per-byte work.
            into = body_.data() + body_filled_;
            room = body_.size() - body_filled_;
        } else {
            const bool busy = phase_ == Phase::dispatched || phase_ == Phase::writing;
            if (busy && input_.size() >= kMaxBufferedWhileBusy) {
                read_paused_ = true;
                return;
            }
            std::string& scratch = loop_.scratch();
            into = scratch.data();
            room = scratch.size();
        }
        const ssize_t n = ::recv(fd_, into, room, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) close();
            return;
        }
        if (n == 0) {
            on_peer_closed();
            return;
        }
        const auto received = static_cast<std::size_t>(n);
        if (phase_ == Phase::body) {
            body_filled_ += received;
            if (body_filled_ == body_.size()) {
                dispatch(std::move(body_).freeze());
            } else {
                arm(core_.options.read_timeout);
            }
        } else if (phase_ == Phase::lingering) {
            // Dropped: the answer is out and the connection is ending.
        } else {
            input_.append(into, received);
            process();
        }
        // A short read emptied the socket, and the next edge says when there is more; unless
        // the client's FIN is queued behind the data, which no later edge will announce.
        if (received < room && !fin_pending_) return;
    }
}

void Connection::on_peer_closed() {
    peer_closed_ = true;
    switch (phase_) {
        case Phase::dispatched:
            // The answer is still written if it comes (the client may only have half-closed),
            // but a held request is told to answer now.
            abandon_current();
            break;
        case Phase::writing:
            close_after_output_ = true;
            break;
        default:
            // Idle, lingering, or a request cut off mid-way: nothing more can come.
            close();
    }
}

void Connection::process() {
    while (phase_ == Phase::idle || phase_ == Phase::head || phase_ == Phase::chunked) {
        if (phase_ == Phase::chunked) {
            std::size_t consumed = 0;
            const ChunkedDecoder::Status status = chunked_->feed(input_, chunked_body_, consumed);
            input_.erase(0, consumed);
            if (status == ChunkedDecoder::Status::failed) {
                const HeadError& error = chunked_->error();
                refuse(Refusal{error.status, error.status == 413 ? "M_TOO_LARGE" : "M_UNRECOGNIZED",
                               request_name(head_->method, head_->target) + ": " + error.message +
                                   (error.status == 413
                                        ? " (matrix-mockserver --max-body-bytes)"
                                        : "; send chunk sizes in hex, each chunk followed by CRLF"),
                               true},
                       true, SharedBytes(std::move(chunked_body_)));
                return;
            }
            if (status == ChunkedDecoder::Status::need_more) {
                arm(core_.options.read_timeout);
                return;
            }
            chunked_.reset();
            dispatch(SharedBytes(std::move(chunked_body_)));
            return;
        }
        if (input_.empty()) {
            if (phase_ == Phase::head) {
                phase_ = Phase::idle;
                arm(core_.options.read_timeout);
            }
            return;
        }
        phase_ = Phase::head;
        const HeadScanner::Result scanned = scanner_.scan(input_);
        if (scanned.error) {
            refuse(Refusal{scanned.error->status, "M_UNRECOGNIZED", scanned.error->message, true},
                   false);
            return;
        }
        if (!scanned.complete()) {
            arm(core_.options.read_timeout);
            return;
        }
        const std::size_t skipped = scanner_.leading_blank_bytes();
        HeadError error;
        std::optional<RequestHead> head = parse_head(
            std::string_view(input_).substr(skipped, scanned.head_size - skipped), error);
        input_.erase(0, scanned.head_size);
        scanner_.reset();
        if (!head) {
            refuse(Refusal{error.status, "M_UNRECOGNIZED",
                           "the request is not well-formed HTTP/1.1: " + error.message, true},
                   false);
            return;
        }
        on_head(std::move(*head));
    }
}

void Connection::on_head(RequestHead head) {
    head_ = std::move(head);
    if (over_limit_) {
        ++core_.refused;
        Refusal refusal{429, "M_LIMIT_EXCEEDED",
                        "the mock server is serving its limit of " +
                            std::to_string(core_.connection_limit) +
                            " connections (matrix-mockserver --max-connections); retry later",
                        true};
        refusal.retry_after_ms = 1000;
        refuse(refusal, true);
        return;
    }
    if (std::optional<Refusal> refusal = core_.handler.check_head(*head_)) {
        refuse(*refusal, true);
        return;
    }
    const std::string* length = head_->header("Content-Length");
    const bool chunked = head_->header("Transfer-Encoding") != nullptr;
    // The handler's check has refused any framing but one chunked coding or one valid length.
    const std::size_t size =
        length != nullptr && !chunked ? std::strtoull(length->c_str(), nullptr, 10) : 0;
    if ((chunked || size > 0) && head_->expect_continue) {
        output_.emplace_back(std::string("HTTP/1.1 100 Continue\r\n\r\n"));
        flush();
        if (phase_ == Phase::closed) return;
    }
    if (chunked) {
        chunked_.emplace(core_.options.max_body_bytes);
        chunked_body_.clear();
        phase_ = Phase::chunked;
        return;  // process() goes on decoding what is buffered
    }
    if (size == 0) {
        dispatch({});
        return;
    }
    try {
        body_ = ByteBuffer(size);
    } catch (const std::bad_alloc&) {
        refuse(Refusal{413, "M_TOO_LARGE",
                       request_name(head_->method, head_->target) + ": no memory for a body of " +
                           std::to_string(size) + " bytes",
                       true},
               true);
        return;
    }
    body_filled_ = std::min(size, input_.size());
    std::copy_n(input_.data(), body_filled_, body_.data());
    input_.erase(0, body_filled_);
    if (body_filled_ == size) {
        dispatch(std::move(body_).freeze());
        return;
    }
    phase_ = Phase::body;
    arm(core_.options.read_timeout);
}

void Connection::dispatch(SharedBytes body) {
    phase_ = Phase::dispatched;
    loop_.clear_deadline(*this);
    body_filled_ = 0;
    ResponseFraming framing;
    framing.head_request = head_->method == "HEAD";
    framing.close = !head_->keep_alive;
    framing.keep_alive_1_0 = head_->keep_alive && head_->minor_version == 0;
    auto state = std::make_shared<detail::ExchangeState>(
        loop_.core_ptr(), loop_.shared_from_this(), weak_from_this(), ++current_serial_, framing);
    current_ = state;
    Request request{std::move(*head_), std::move(body), remote_address_, remote_port_};
    head_.reset();
    core_.workers.submit([&handler = core_.handler, request = std::move(request),
                          exchange = Exchange(std::move(state))]() mutable {
        try {
            handler.handle(std::move(request), exchange);
        } catch (const std::exception& e) {
            exchange.respond(detail::response_for(
                Refusal{500, "M_UNKNOWN",
                        std::string("the mock server failed on this request: ") + e.what()}));
        }
    });
    if (peer_closed_) abandon_current();
}

void Connection::refuse(const Refusal& refusal, bool report, SharedBytes partial_body) {
    Response response = detail::response_for(refusal);
    // What follows on the connection cannot be trusted, or was not read.
    response.close = true;
    bool close = false;
    const bool head_request = head_ && head_->method == "HEAD";
    for (SharedBytes& chunk :
         detail::serialize(std::move(response), {head_request, true, false}, close)) {
        output_.push_back(std::move(chunk));
    }
    close_after_output_ = true;
    phase_ = Phase::writing;
    chunked_.reset();
    body_ = ByteBuffer();
    if (report && head_) {
        // Recorded before the answer goes out, as every answered request is, so a client that
        // has its answer finds it in the journal. Refusals are rare; this one call runs here.
        core_.handler.refused(
            Request{std::move(*head_), std::move(partial_body), remote_address_, remote_port_},
            refusal);
    }
    head_.reset();
    flush();
}

void Connection::deliver(std::uint64_t serial, std::vector<SharedBytes> chunks, bool close) {
    if (phase_ != Phase::dispatched || serial != current_serial_) return;
    current_.reset();
    for (SharedBytes& chunk : chunks) output_.push_back(std::move(chunk));
    close_after_output_ = close || peer_closed_;
    phase_ = Phase::writing;
    flush();
}

void Connection::flush() {
    while (!output_.empty()) {
        iovec parts[16];
        int count = 0;
        for (auto it = output_.begin(); it != output_.end() && count < 16; ++it, ++count) {
            const std::size_t skip = count == 0 ? output_offset_ : 0;
            parts[count].iov_base = const_cast<char*>(it->data() + skip);
            parts[count].iov_len = it->size() - skip;
        }
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = static_cast<std::size_t>(count);
        // MSG_NOSIGNAL: a client gone mid-answer must not raise SIGPIPE in the host process.
        const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                arm(core_.options.write_timeout);  // EPOLLOUT resumes
                return;
            }
            close();
            return;
        }
        auto written = static_cast<std::size_t>(n);
        while (written > 0) {
            const std::size_t left = output_.front().size() - output_offset_;
            if (written < left) {
                output_offset_ += written;
                break;
            }
            written -= left;
            output_.pop_front();
            output_offset_ = 0;
        }
    }
    if (phase_ == Phase::writing) finish_response();
}

void Connection::finish_response() {
    if (close_after_output_) {
        if (peer_closed_) {
            close();
            return;
        }
        // Our side is done; the client sees end of stream after the answer. Whatever it still
        // sends is drained until it closes too, or the linger time passes.
        ::shutdown(fd_, SHUT_WR);
        phase_ = Phase::lingering;
        input_.clear();
        arm(std::min(kMaxLinger, core_.options.read_timeout));
        read_available();
        return;
    }
    phase_ = Phase::idle;
    arm(core_.options.keep_alive_timeout);
    process();  // a pipelined request already buffered
    if (read_paused_ && phase_ != Phase::closed && phase_ != Phase::dispatched &&
        phase_ != Phase::writing) {
        read_paused_ = false;
        read_available();
    }
}

void Connection::on_deadline() {
    switch (phase_) {
        case Phase::dispatched:
        case Phase::closed:
            return;  // no deadline is kept in these phases
        default:
            // Idle past keep-alive, silent mid-request, not reading its answer, or lingering.
            close();
    }
}

void Connection::abandon_current() {
    if (const auto state = current_.lock()) state->abandon();
}

void Connection::break_connection(std::uint64_t serial, Breakage how) {
    if (phase_ != Phase::dispatched || serial != current_serial_) return;
    current_.reset();  // answered by the breakage
    if (how == Breakage::reset) {
        // A zero linger time turns the close into an abort: the client gets RST, not FIN.
        const linger abort_on_close{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    }
    close();
}

void Connection::fail(const char* what) noexcept {
    try {
        if (phase_ == Phase::closed) return;
        if (phase_ == Phase::writing || phase_ == Phase::lingering) {
            close();  // an answer is already on its way, or out
            return;
        }
        current_.reset();
        output_.clear();
        output_offset_ = 0;
        head_.reset();
        refuse(Refusal{500, "M_UNKNOWN",
                       std::string("the mock server failed on this connection: ") + what, true},
               false);
    } catch (...) {
        close();
    }
}

void Connection::close() {
    if (phase_ == Phase::closed) return;
    const bool waiting = phase_ == Phase::dispatched;
    phase_ = Phase::closed;
    if (waiting) abandon_current();
    current_.reset();
    loop_.clear_deadline(*this);
    ::close(fd_);  // also removes it from the epoll set
    fd_ = -1;
    --core_.open;
    loop_.forget(id_);  // the loop's caller keeps this object alive until it returns
}

}  // namespace matrix::mock::http
