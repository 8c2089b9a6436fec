// matrix-longpoll-load: a load generator for a running matrix-mockserver (simulation on).
//
// It measures what long-polling /sync costs the server: the latency of other requests while
// N syncs are held, and how long one message takes to reach all of them (fan-out); how a
// room's history changes waking and empty incremental syncs; and how much memory the request
// journal takes per byte of request body it keeps. bench/longpoll_load.sh runs every phase
// against a fresh server.
//
// One thread, one epoll instance, non-blocking keep-alive HTTP/1.1 connections on loopback:
// the client has to hold 10,000 requests without 10,000 threads, and has to stay cheaper than
// the server it measures. Every answer is checked, every wait is bounded (a global deadline,
// and a per-step limit where the server promises an answer sooner), and a wait that runs out
// names its step and how far it got.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <rapidjson/document.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

double seconds_since(Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
}

std::string fixed(double value, int decimals) {
    if (std::isnan(value)) return "-";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// Bad command line: exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The run cannot go on (server unreachable, file limit, unreadable /proc): exit 1.
struct Fatal : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A step did not finish in time: exit 1.
struct StepTimeout : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
    std::string url = "http://127.0.0.1:8008";
    std::string host_header = "127.0.0.1:8008";
    in_addr_t address = htonl(INADDR_LOOPBACK);
    std::uint16_t port = 8008;
    long server_pid = 0;  // 0: not given
    std::string phase = "all";
    std::size_t held = 1000;
    std::size_t users = 100;
    std::size_t rounds = 5;
    std::vector<std::size_t> history = {0, 200'000};
    double sync_seconds = 3;
    std::size_t pipeline = 1;
    std::size_t bodies = 600;
    std::size_t body_bytes = 1 << 20;
    double deadline_seconds = 600;
    bool help = false;
};

constexpr const char* kHelp = R"(Usage: matrix-longpoll-load [OPTIONS]

Drives a RUNNING matrix-mockserver (simulation on, loopback only) with many concurrent
keep-alive HTTP/1.1 connections from one epoll thread, checks every answer and measures.
bench/longpoll_load.sh starts a fresh server for each phase and runs them all.

Phases (--phase longpoll|history|journal|all, default all, in that order):
  longpoll  --users accounts with --held devices between them, all joined to one public
            room, each device with its own /sync next_batch. Each of --rounds rounds holds
            one long-poll per device (GET /sync?since=...&timeout=60000, one connection each),
            measures 200 sequential GET /_matrix/client/versions on another connection while
            they are held, then sends one message and measures the send's latency and the
            fan-out: from the send written to the last held sync's answer read (every answer
            must carry the message). Needs --held + 100 open files (soft limit is raised to
            the hard limit).
  history   After POST /__admin/sim/reset, one room per event count H in --history, each
            with its own user of 100 devices and H events injected (POST
            /__admin/sim/rooms/{id}/events, one in flight on each of 32 connections, or see
            --pipeline). Then, alternating between the rooms so that only their history
            differs: the wake time of 100 held syncs (median of 11 messages per room), and
            empty incremental syncs (timeout=0, each with the since its previous answer gave)
            on 16 connections, in 3 slices per room of --sync-seconds/3 (median).
            Reports the ratios of the largest H against the smallest.
  journal   POST /__admin/reset, then --bodies POST /bench/blob requests of --body-bytes each
            (unmatched: 404, but journaled with their bodies) on 4 connections; reports the
            server's VmRSS before and after (/proc/PID/status) and GET /__admin/health.

Options:
  --url URL               the server, http://HOST:PORT with a loopback HOST
                          (default http://127.0.0.1:8008)
  --server-pid PID        the server's process id; required by the journal phase
  --phase NAME            longpoll, history, journal or all (default all)
  --held N                longpoll: held syncs, one device and connection each (default 1000)
  --users N               longpoll: accounts the devices are spread over (default 100)
  --rounds N              longpoll: messages, one per round of held syncs (default 5)
  --history LIST          history: event counts, comma-separated (default 0,200000)
  --sync-seconds S        history: how long to run empty incremental syncs (default 3)
  --pipeline N            history: inject with N requests in flight on each of 4 connections
                          (HTTP/1.1 pipelining) instead of 1 on each of 32 (default 1; the
                          cpp-httplib 0.11.4 server does not handle pipelined requests)
  --bodies N              journal: request bodies to send (default 600)
  --body-bytes N          journal: bytes per body, a JSON string (default 1048576)
  --deadline-seconds S    the whole run ends with exit 1 after S seconds (default 600)
  -h, --help              show this help

Output: a line or table per measurement, then a block of "RESULT key=value ..." lines.
Exit status: 0 when every answer was right, 1 on any failed answer, timeout or unreachable
server, 2 on a bad option.
)";

std::size_t parse_count(const std::string& option, std::string_view text, std::size_t minimum) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < minimum) {
        throw UsageError(option + ": expected an integer >= " + std::to_string(minimum) +
                         ", got '" + std::string(text) + "'");
    }
    return value;
}

double parse_seconds(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0) {
        throw UsageError(option + ": expected a positive number of seconds, got '" + text + "'");
    }
    return value;
}

// Loopback only: the tool measures the server, not a network, and must not load anyone else's.
void parse_url(Options& options, const std::string& url) {
    constexpr std::string_view kScheme = "http://";
    std::string_view rest = url;
    if (rest.substr(0, kScheme.size()) != kScheme) {
        throw UsageError("--url: expected http://HOST:PORT, got '" + url + "'");
    }
    rest.remove_prefix(kScheme.size());
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || rest.find('/') != std::string_view::npos) {
        throw UsageError("--url: expected http://HOST:PORT, got '" + url + "'");
    }
    const std::string host(rest.substr(0, colon));
    const std::size_t port = parse_count("--url port", rest.substr(colon + 1), 1);
    if (port > 65535) throw UsageError("--url: port out of range in '" + url + "'");
    in_addr parsed{};
    if (host == "localhost") {
        parsed.s_addr = htonl(INADDR_LOOPBACK);
    } else if (inet_pton(AF_INET, host.c_str(), &parsed) != 1 ||
               (ntohl(parsed.s_addr) >> 24) != 127) {
        throw UsageError("--url: the host must be a loopback IPv4 address or localhost, got '" +
                         host + "'");
    }
    options.url = url;
    options.address = parsed.s_addr;
    options.port = static_cast<std::uint16_t>(port);
    options.host_header = std::string(rest);
}

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string name = argv[i];
        std::optional<std::string> value;
        if (const std::size_t equals = name.find('=');
            name.starts_with("--") && equals != 0 && equals != std::string::npos) {
            value = name.substr(equals + 1);
            name.resize(equals);
        }
        if (name == "-h" || name == "--help") {
            options.help = true;
            continue;
        }
        static const std::vector<std::string> kKnown = {"--url",
                                                        "--server-pid",
                                                        "--phase",
                                                        "--held",
                                                        "--users",
                                                        "--rounds",
                                                        "--history",
                                                        "--sync-seconds",
                                                        "--bodies",
                                                        "--body-bytes",
                                                        "--deadline-seconds",
                                                        "--pipeline"};
        if (std::find(kKnown.begin(), kKnown.end(), name) == kKnown.end()) {
            throw UsageError("unknown option '" + name + "'");
        }
        if (!value) {
            if (i + 1 >= argc) throw UsageError(name + ": missing value");
            value = argv[++i];
        }
        const std::string& text = *value;
        if (name == "--url") {
            parse_url(options, text);
        } else if (name == "--server-pid") {
            options.server_pid = static_cast<long>(parse_count(name, text, 1));
        } else if (name == "--phase") {
            if (text != "longpoll" && text != "history" && text != "journal" && text != "all") {
                throw UsageError("--phase: expected longpoll, history, journal or all, got '" +
                                 text + "'");
            }
            options.phase = text;
        } else if (name == "--held") {
            options.held = parse_count(name, text, 1);
        } else if (name == "--users") {
            options.users = parse_count(name, text, 1);
        } else if (name == "--rounds") {
            options.rounds = parse_count(name, text, 1);
        } else if (name == "--history") {
            options.history.clear();
            std::string_view list = text;
            while (true) {
                const std::size_t comma = list.find(',');
                options.history.push_back(parse_count(name, list.substr(0, comma), 0));
                if (comma == std::string_view::npos) break;
                list.remove_prefix(comma + 1);
            }
        } else if (name == "--sync-seconds") {
            options.sync_seconds = parse_seconds(name, text);
        } else if (name == "--pipeline") {
            options.pipeline = parse_count(name, text, 1);
        } else if (name == "--bodies") {
            options.bodies = parse_count(name, text, 1);
        } else if (name == "--body-bytes") {
            options.body_bytes = parse_count(name, text, 2);  // a JSON string: two quotes
        } else if (name == "--deadline-seconds") {
            options.deadline_seconds = parse_seconds(name, text);
        }
    }
    const bool journal = options.phase == "journal" || options.phase == "all";
    if (!options.help && journal && options.server_pid == 0) {
        throw UsageError(
            "--server-pid: required by the journal phase (it reads the server's "
            "VmRSS); give it or choose --phase longpoll|history");
    }
    return options;
}

// ---------------------------------------------------------------------------------------------
// Non-blocking HTTP/1.1 client connections on one epoll loop

struct Response {
    int status = 0;     // 0: the transport failed, see error
    std::string error;  // why the transport failed
    std::string body;
    Clock::time_point written;  // the request's last byte handed to the kernel
    Clock::time_point done;     // the answer's last byte read
};
using Handler = std::function<void(Response&)>;

class Connection;

class Loop {
  public:
    Loop() : fd_(epoll_create1(EPOLL_CLOEXEC)) {
        if (fd_ < 0) throw Fatal(std::string("epoll_create1: ") + std::strerror(errno));
    }
    ~Loop() { ::close(fd_); }
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    int fd() const { return fd_; }
    // Errors met inside Connection::send() are reported from the loop, so a handler that
    // sends again never runs inside another send (no unbounded recursion when a server is down).
    void defer(Connection* connection) {
        if (std::find(deferred_.begin(), deferred_.end(), connection) == deferred_.end()) {
            deferred_.push_back(connection);
        }
    }
    void forget(Connection* connection) { std::erase(deferred_, connection); }
    // Dispatches events until done() or `until`; false when `until` came first.
    bool run_until(const std::function<bool()>& done, Clock::time_point until);

  private:
    int fd_;
    std::vector<Connection*> deferred_;
};

// One keep-alive connection. Requests queue and are written as the socket takes them (more
// than one in flight is HTTP pipelining); answers, which must carry Content-Length, complete
// them in order. A connection the server closed while idle (keep-alive timeout) is reopened
// and its unanswered requests sent again, once.
class Connection {
  public:
    Connection(Loop& loop, const sockaddr_in& address) : loop_(loop), address_(address) {}
    ~Connection() {
        loop_.forget(this);
        close_socket();
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Queues a request (its complete bytes). The handler gets the answer or the failure, from
    // the loop, never from inside send().
    void send(std::string wire, Handler handler) {
        const bool was_idle = pending_.empty();
        pending_.push_back({std::move(wire), std::move(handler), {}});
        if (fd_ >= 0 && was_idle && !connecting_ && !broken_ && peer_closed()) close_socket();
        if (fd_ < 0) {
            if (std::string why = open_socket(); !why.empty()) return defer_failure(why);
        }
        if (!connecting_ && !broken_) {
            if (std::string why = flush(); !why.empty()) defer_failure(why);
        }
    }

    // Every queued request has been handed to the kernel.
    bool all_written() const { return fd_ >= 0 && !connecting_ && written_ == pending_.size(); }

    void on_ready() {
        if (fd_ < 0) return;  // an event for a socket closed earlier in the same batch
        if (connecting_) {
            int error = 0;
            socklen_t length = sizeof error;
            getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) return lost(std::string("connect: ") + std::strerror(error));
            sockaddr_in peer{};
            socklen_t peer_length = sizeof peer;
            if (getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) return;
            connecting_ = false;
        }
        const std::uint64_t generation = generation_;
        drain();
        if (generation != generation_ || fd_ < 0 || broken_ || connecting_) return;
        if (std::string why = flush(); !why.empty()) lost(why);
    }

    void on_deferred() {
        if (deferred_error_.empty()) return;
        const std::string why = std::move(deferred_error_);
        deferred_error_.clear();
        lost(why);
    }

  private:
    struct Pending {
        std::string wire;
        Handler handler;
        Clock::time_point written;
    };
    struct Head {
        int status = 0;
        std::size_t length = 0;  // of the head, with its blank line
        std::size_t body = 0;
        bool close = false;
    };

    std::string open_socket() {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            const int error = errno;
            return std::string("socket: ") + std::strerror(error) +
                   (error == EMFILE ? " (raise `ulimit -n`)" : "");
        }
        const int one = 1;
        // Small requests go out at once, not after the peer's delayed ACK.
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_);
        if (rc < 0 && errno != EINPROGRESS) {
            const int error = errno;
            ::close(fd);
            return std::string("connect: ") + std::strerror(error);
        }
        // Edge-triggered: every event is handled by reading and writing until EAGAIN, so no
        // epoll_ctl calls are needed to switch interest between reading and writing.
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        event.data.ptr = this;
        if (epoll_ctl(loop_.fd(), EPOLL_CTL_ADD, fd, &event) != 0) {
            const int error = errno;
            ::close(fd);
            return std::string("epoll_ctl: ") + std::strerror(error);
        }
        fd_ = fd;
        connecting_ = rc < 0;
        return {};
    }

    void close_socket() {
        if (fd_ >= 0) ::close(fd_);  // also leaves the epoll set
        fd_ = -1;
        connecting_ = false;
        broken_ = false;
        in_.clear();
        head_.reset();
        written_ = 0;
        write_offset_ = 0;
        answered_on_socket_ = 0;
        ++generation_;
    }

    // An idle keep-alive connection may have been closed by the server; a request written
    // into it would be lost, so it is checked (without blocking) before reuse.
    bool peer_closed() const {
        char byte = 0;
        const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n >= 0) return true;  // FIN, or bytes nobody asked for: start on a clean socket
        return errno != EAGAIN && errno != EWOULDBLOCK;
    }

    void defer_failure(const std::string& why) {
        broken_ = true;
        if (deferred_error_.empty()) deferred_error_ = why;
        loop_.defer(this);
    }

    // Writes what the socket takes; "" unless the socket failed.
    std::string flush() {
        while (written_ < pending_.size()) {
            iovec pieces[64];
            int count = 0;
            for (std::size_t i = written_; i < pending_.size() && count < 64; ++i, ++count) {
                const std::size_t skip = i == written_ ? write_offset_ : 0;
                pieces[count].iov_base = pending_[i].wire.data() + skip;
                pieces[count].iov_len = pending_[i].wire.size() - skip;
            }
            msghdr message{};
            message.msg_iov = pieces;
            message.msg_iovlen = static_cast<std::size_t>(count);
            ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) return {};
                return std::string("send: ") + std::strerror(errno);
            }
            const Clock::time_point now = Clock::now();
            auto left = static_cast<std::size_t>(n);
            while (left > 0) {
                const std::size_t rest = pending_[written_].wire.size() - write_offset_;
                if (left < rest) {
                    write_offset_ += left;
                    break;
                }
                left -= rest;
                pending_[written_].written = now;
                ++written_;
                write_offset_ = 0;
            }
        }
        return {};
    }

    void drain() {
        const std::uint64_t generation = generation_;
        bool eof = false;
        int error = 0;
        char buffer[65536];
        while (true) {
            const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n > 0) {
                in_.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) {
                eof = true;
            } else if (errno == EINTR) {
                continue;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                error = errno;
            }
            break;
        }
        std::string problem;
        while (generation == generation_ && complete_one(problem)) {
        }
        if (generation != generation_) return;  // closed while answering: nothing left here
        if (!problem.empty()) return lost(problem);
        if (eof) return lost("the server closed the connection");
        if (error != 0) lost(std::string("recv: ") + std::strerror(error));
    }

    // Completes the oldest request if its whole answer is buffered.
    bool complete_one(std::string& problem) {
        if (in_.empty()) return false;
        if (pending_.empty()) {
            problem = std::to_string(in_.size()) + " bytes arrived that no request asked for";
            return false;
        }
        if (!head_) {
            const std::size_t end = in_.find("\r\n\r\n");
            if (end == std::string::npos) {
                if (in_.size() > 65536) problem = "answer head over 64 KiB";
                return false;
            }
            head_ = parse_head(std::string_view(in_).substr(0, end + 2), problem);
            if (!head_) return false;
            head_->length = end + 4;
        }
        if (in_.size() < head_->length + head_->body) return false;
        Response response;
        response.status = head_->status;
        response.body.assign(in_, head_->length, head_->body);
        in_.erase(0, head_->length + head_->body);
        bool close = head_->close;
        head_.reset();
        Pending request = std::move(pending_.front());
        pending_.pop_front();
        if (written_ > 0) {
            --written_;
        } else {  // answered before it was all written: the server will not read the rest
            write_offset_ = 0;
            close = true;
        }
        ++answered_on_socket_;
        retried_ = false;
        response.written = request.written;
        response.done = Clock::now();
        if (close) close_socket();
        request.handler(response);
        if (fd_ < 0 && !pending_.empty()) {
            if (std::string why = open_socket(); !why.empty()) {
                defer_failure(why);
            } else if (!connecting_) {
                if (std::string failed = flush(); !failed.empty()) defer_failure(failed);
            }
        }
        return true;
    }

    static std::optional<Head> parse_head(std::string_view head, std::string& problem) {
        const std::size_t line_end = head.find("\r\n");
        const std::string_view status_line = head.substr(0, line_end);
        Head parsed;
        if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 ||
            std::from_chars(status_line.data() + 9, status_line.data() + 12, parsed.status).ptr !=
                status_line.data() + 12) {
            problem = "malformed status line '" + std::string(status_line.substr(0, 80)) + "'";
            return std::nullopt;
        }
        parsed.close = status_line.starts_with("HTTP/1.0");
        bool has_length = false;
        auto lower = [](std::string_view text) {
            std::string out(text);
            for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return out;
        };
        auto trim = [](std::string_view text) {
            while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
                text.remove_prefix(1);
            while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
                text.remove_suffix(1);
            return text;
        };
        std::size_t at = line_end + 2;
        while (at < head.size()) {
            const std::size_t end = head.find("\r\n", at);
            const std::string_view line = head.substr(at, end - at);
            at = end + 2;
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            const std::string name = lower(trim(line.substr(0, colon)));
            const std::string_view value = trim(line.substr(colon + 1));
            if (name == "content-length") {
                std::size_t length = 0;
                const auto [ptr, error] =
                    std::from_chars(value.data(), value.data() + value.size(), length);
                if (error != std::errc() || ptr != value.data() + value.size() ||
                    (has_length && length != parsed.body)) {
                    problem = "bad Content-Length '" + std::string(value) + "'";
                    return std::nullopt;
                }
                parsed.body = length;
                has_length = true;
            } else if (name == "transfer-encoding") {
                problem = "answer with Transfer-Encoding '" + std::string(value) +
                          "' (this tool reads Content-Length answers only)";
                return std::nullopt;
            } else if (name == "connection") {
                const std::string tokens = lower(value);
                if (tokens.find("close") != std::string::npos) parsed.close = true;
                if (tokens.find("keep-alive") != std::string::npos) parsed.close = false;
            }
        }
        const bool bodiless =
            parsed.status / 100 == 1 || parsed.status == 204 || parsed.status == 304;
        if (!has_length && !bodiless) {
            problem = "HTTP " + std::to_string(parsed.status) + " answer without Content-Length";
            return std::nullopt;
        }
        return parsed;
    }

    // The socket failed or closed. A reused connection the server closed before answering
    // anything (its keep-alive timeout raced our request) gets one retry on a new socket;
    // otherwise every unanswered request fails with `why`.
    void lost(const std::string& why) {
        const std::size_t partial = in_.size();
        const bool retry =
            !pending_.empty() && partial == 0 && answered_on_socket_ > 0 && !retried_;
        close_socket();
        if (pending_.empty()) return;
        if (retry) {
            retried_ = true;
            if (std::string problem = open_socket(); !problem.empty()) return lost(problem);
            if (!connecting_) {
                if (std::string problem = flush(); !problem.empty()) lost(problem);
            }
            return;
        }
        std::string message = why;
        if (partial > 0) message += " after " + std::to_string(partial) + " bytes of an answer";
        std::deque<Pending> failed;
        failed.swap(pending_);
        retried_ = false;
        const Clock::time_point now = Clock::now();
        for (Pending& request : failed) {
            Response response;
            response.error = message;
            response.written = request.written;
            response.done = now;
            request.handler(response);
        }
    }

    Loop& loop_;
    sockaddr_in address_;
    int fd_ = -1;
    bool connecting_ = false;
    bool broken_ = false;  // a send-time failure waits for the loop to report it
    std::string deferred_error_;
    std::deque<Pending> pending_;
    std::size_t written_ = 0;       // pending_[0, written_) are fully written
    std::size_t write_offset_ = 0;  // bytes of pending_[written_] already written
    std::string in_;
    std::optional<Head> head_;
    std::size_t answered_on_socket_ = 0;
    bool retried_ = false;
    std::uint64_t generation_ = 0;  // bumped whenever the socket is closed
};

bool Loop::run_until(const std::function<bool()>& done, Clock::time_point until) {
    std::vector<epoll_event> events(1024);
    while (true) {
        while (!deferred_.empty()) {
            std::vector<Connection*> now;
            now.swap(deferred_);
            for (Connection* connection : now) connection->on_deferred();
        }
        if (done()) return true;
        const Clock::time_point now = Clock::now();
        if (now >= until) return false;
        // Wake at least every 100 ms so done() (which may depend on time) is re-evaluated.
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
        const int timeout = static_cast<int>(std::min<long long>(wait, 100));
        const int n = epoll_wait(fd_, events.data(), static_cast<int>(events.size()), timeout);
        if (n < 0 && errno != EINTR) throw Fatal(std::string("epoll_wait: ") + strerror(errno));
        for (int i = 0; i < n; ++i) static_cast<Connection*>(events[i].data.ptr)->on_ready();
    }
}

// ---------------------------------------------------------------------------------------------
// The session: the server's address, request encoding, waits, failures and results

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
    }
    return out;
}

// JSON string literal contents for the few texts the tool puts in bodies (ids, names).
std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::string snippet(std::string_view body) {
    std::string out(body.substr(0, 160));
    for (char& c : out) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return body.size() > 160 ? out + "..." : out;
}

// "" when the answer has `status`, else what it was.
std::string expect_status(const Response& response, int status) {
    if (response.status == 0) return response.error;
    if (response.status == status) return {};
    return "HTTP " + std::to_string(response.status) + " (expected " + std::to_string(status) +
           "): " + snippet(response.body);
}

// Parses a JSON object answer and reads one string member; "" in `problem` when found.
std::string string_member(const Response& response, const char* name, std::string& problem) {
    problem = expect_status(response, 200);
    if (!problem.empty()) return {};
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    if (document.HasParseError() || !document.IsObject()) {
        problem = "answer is not a JSON object: " + snippet(response.body);
        return {};
    }
    const auto member = document.FindMember(name);
    if (member == document.MemberEnd() || !member->value.IsString()) {
        problem = std::string("answer has no string \"") + name + "\": " + snippet(response.body);
        return {};
    }
    return {member->value.GetString(), member->value.GetStringLength()};
}

class Session {
  public:
    explicit Session(const Options& opts)
        : options(opts),
          deadline(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(opts.deadline_seconds))) {
        address_.sin_family = AF_INET;
        address_.sin_port = htons(opts.port);
        address_.sin_addr.s_addr = opts.address;
    }

    const Options& options;
    const Clock::time_point deadline;
    Loop loop;
    std::string phase = "start";

    std::unique_ptr<Connection> connect() { return std::make_unique<Connection>(loop, address_); }

    // The complete bytes of one request; POST and PUT always carry a body (JSON).
    std::string request(std::string_view method, std::string_view target,
                        std::string_view token = {}, std::string_view body = {}) const {
        const bool has_body = method != "GET";
        std::string wire;
        wire.reserve(target.size() + token.size() + body.size() + 160);
        wire.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ");
        wire.append(options.host_header).append("\r\n");
        if (!token.empty()) wire.append("Authorization: Bearer ").append(token).append("\r\n");
        if (has_body) {
            wire.append("Content-Type: application/json\r\nContent-Length: ");
            wire.append(std::to_string(body.size())).append("\r\n");
        }
        wire.append("\r\n");
        if (has_body) wire.append(body);
        return wire;
    }

    // Runs the loop until completed() reaches total. Past the deadline, past `limit` from now,
    // or after kStallLimit without any progress (a server that stopped answering should not
    // cost the whole deadline), the run stops naming the step and how far it got.
    void await(const std::string& step, const std::function<std::size_t()>& completed,
               std::size_t total, std::optional<Clock::duration> limit = std::nullopt) {
        constexpr auto kStallLimit = std::chrono::seconds(120);
        const Clock::time_point started = Clock::now();
        Clock::time_point until = deadline;
        if (limit) until = std::min(until, started + *limit);
        std::size_t last_count = completed();
        Clock::time_point last_change = started;
        bool stalled = false;
        const bool finished = loop.run_until(
            [&] {
                const std::size_t count = completed();
                if (count >= total) return true;
                const Clock::time_point now = Clock::now();
                if (count != last_count) {
                    last_count = count;
                    last_change = now;
                }
                stalled = now - last_change > kStallLimit;
                return stalled;
            },
            until);
        if (finished && !stalled) return;
        std::string why;
        if (stalled) {
            why = "no progress for " + std::to_string(kStallLimit.count()) + " s";
        } else if (until == deadline) {
            why = "--deadline-seconds " + fixed(options.deadline_seconds, 0) + " reached";
        } else {
            why = "step limit " + fixed(std::chrono::duration<double>(*limit).count(), 0) + " s";
        }
        throw StepTimeout("phase " + phase + ", step '" + step +
                          "': " + std::to_string(completed()) + " of " + std::to_string(total) +
                          " completed after " + fixed(seconds_since(started), 1) + " s (" + why +
                          ")");
    }

    // Keeps answering events for a while (answers that arrive now are still read).
    void settle(Clock::duration duration) {
        loop.run_until([] { return false; }, std::min(deadline, Clock::now() + duration));
    }

    void fail(const std::string& step, const std::string& detail) {
        ++failures_;
        const std::size_t count = ++failures_by_step_[phase + ": " + step];
        if (count <= 5) std::cout << "  FAIL [" << step << "] " << detail << "\n";
        if (count == 5) std::cout << "  (further failures of this step are only counted)\n";
    }
    std::size_t failures() const { return failures_; }
    const std::map<std::string, std::size_t>& failures_by_step() const { return failures_by_step_; }

    void result(const std::string& line) { results_.push_back(line); }
    const std::vector<std::string>& results() const { return results_; }

  private:
    sockaddr_in address_{};
    std::size_t failures_ = 0;
    std::map<std::string, std::size_t> failures_by_step_;
    std::vector<std::string> results_;
};

// Sends `count` requests over `connections` fresh connections, at most `depth` in flight on
// each (depth > 1 pipelines), and checks every answer.
struct Batch {
    std::string step;
    std::size_t count = 0;
    std::size_t connections = 64;
    std::size_t depth = 1;
    std::function<std::string(std::size_t)> request;
    // "" when answer i is right, else what is wrong with it. Runs on the loop, so it must be
    // cheap (it delays every other answer).
    std::function<std::string(std::size_t, const Response&)> check;
};

struct BatchResult {
    std::size_t failed = 0;
    double seconds = 0;
};

BatchResult run_batch(Session& session, const Batch& batch) {
    BatchResult result;
    if (batch.count == 0) return result;
    std::vector<std::unique_ptr<Connection>> connections;
    for (std::size_t c = 0; c < std::min(batch.connections, batch.count); ++c) {
        connections.push_back(session.connect());
    }
    std::size_t next = 0;
    std::size_t done = 0;
    std::function<void(std::size_t)> issue = [&](std::size_t c) {
        if (next >= batch.count) return;
        const std::size_t i = next++;
        connections[c]->send(batch.request(i), [&, c, i](Response& response) {
            ++done;
            const std::string problem =
                response.status == 0 ? response.error : batch.check(i, response);
            if (!problem.empty()) {
                ++result.failed;
                session.fail(batch.step, "request " + std::to_string(i + 1) + ": " + problem);
            }
            issue(c);
        });
    };
    const Clock::time_point started = Clock::now();
    for (std::size_t d = 0; d < batch.depth; ++d) {
        for (std::size_t c = 0; c < connections.size(); ++c) issue(c);
    }
    session.await(
        batch.step, [&] { return done; }, batch.count);
    result.seconds = seconds_since(started);
    return result;
}

// One request on a connection of its own, within `limit`; the answer (status 0: it failed).
Response call(Session& session, const std::string& step, std::string wire,
              Clock::duration limit = std::chrono::seconds(30)) {
    auto connection = session.connect();
    Response answer;
    bool done = false;
    connection->send(std::move(wire), [&](Response& response) {
        answer = std::move(response);
        done = true;
    });
    session.await(
        step, [&] { return done ? 1U : 0U; }, 1, limit);
    return answer;
}

// Fields of GET /__admin/health worth printing; the newer server adds some of them.
std::vector<std::pair<std::string, long long>> health_fields(Session& session,
                                                             const std::string& step) {
    std::vector<std::pair<std::string, long long>> fields;
    const Response answer = call(session, step, session.request("GET", "/__admin/health"));
    if (std::string problem = expect_status(answer, 200); !problem.empty()) {
        session.fail(step, problem);
        return fields;
    }
    rapidjson::Document document;
    document.Parse(answer.body.data(), answer.body.size());
    if (document.HasParseError() || !document.IsObject()) {
        session.fail(step, "health is not a JSON object: " + snippet(answer.body));
        return fields;
    }
    for (const char* group : {"journal", "connections"}) {
        const auto object = document.FindMember(group);
        if (object == document.MemberEnd() || !object->value.IsObject()) continue;
        for (const char* key :
             {"size", "capacity", "bytes", "max_bytes", "evicted", "open", "refused"}) {
            const auto value = object->value.FindMember(key);
            if (value != object->value.MemberEnd() && value->value.IsInt64()) {
                fields.emplace_back(std::string(group) + "_" + key, value->value.GetInt64());
            }
        }
    }
    return fields;
}

std::string describe(const std::vector<std::pair<std::string, long long>>& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        out += (out.empty() ? "" : " ") + key + "=" + std::to_string(value);
    }
    return out.empty() ? "(nothing reported)" : out;
}

// ---------------------------------------------------------------------------------------------
// Statistics

// Nearest-rank percentile; NaN for no samples.
double percentile(std::vector<double> samples, double p) {
    if (samples.empty()) return std::nan("");
    std::sort(samples.begin(), samples.end());
    const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
    const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
    return samples[std::min(index, samples.size() - 1)];
}

double median(const std::vector<double>& samples) {
    if (samples.empty()) return std::nan("");
    std::vector<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Set-up shared by the phases: accounts, devices, one public room

struct Device {
    std::size_t user = 0;
    std::string device_id;
    std::string token;
    std::string next_batch;
};

struct Room {
    std::vector<std::string> user_ids;
    std::vector<Device> devices;  // devices[u] is user u's first device, for u < users
    std::string room_id;
};

void admin_post(Session& session, const std::string& step, const std::string& path) {
    const Response answer = call(session, step, session.request("POST", path, {}, "{}"));
    if (std::string problem = expect_status(answer, 200); !problem.empty()) {
        throw Fatal(step + ": " + problem);
    }
}

// `users` accounts named prefix1.., `devices` devices spread evenly over them (the first of
// each made by the admin API, the rest by /login), a public room made by the first user and
// joined by every user.
Room make_room(Session& session, const std::string& prefix, std::size_t users,
               std::size_t devices) {
    Room room;
    room.devices.resize(devices);
    for (std::size_t d = 0; d < devices; ++d) {
        room.devices[d].user = d % users;
        room.devices[d].device_id = "D" + std::to_string(d / users + 1);
    }
    auto username = [&](std::size_t user) { return prefix + std::to_string(user + 1); };
    room.user_ids.resize(users);
    const Clock::time_point started = Clock::now();
    Batch create{"create users", users, 64, 1, {}, {}};
    create.request = [&](std::size_t u) {
        return session.request("POST", "/__admin/sim/users", {},
                               R"({"username":)" + json_quote(username(u)) +
                                   R"(,"password":"pw","device_id":)" +
                                   json_quote(room.devices[u].device_id) + "}");
    };
    create.check = [&](std::size_t u, const Response& response) {
        std::string problem;
        room.devices[u].token = string_member(response, "access_token", problem);
        if (problem.empty()) room.user_ids[u] = string_member(response, "user_id", problem);
        return problem;
    };
    if (run_batch(session, create).failed > 0) throw Fatal("could not create the users");

    Batch login{"log in devices", devices - users, 64, 1, {}, {}};
    login.request = [&](std::size_t i) {
        const Device& device = room.devices[users + i];
        return session.request(
            "POST", "/_matrix/client/v3/login", {},
            R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":)" +
                json_quote(username(device.user)) + R"(},"password":"pw","device_id":)" +
                json_quote(device.device_id) + "}");
    };
    login.check = [&](std::size_t i, const Response& response) {
        std::string problem;
        room.devices[users + i].token = string_member(response, "access_token", problem);
        return problem;
    };
    if (run_batch(session, login).failed > 0) throw Fatal("could not log in every device");

    const Response created =
        call(session, "create room",
             session.request("POST", "/_matrix/client/v3/createRoom", room.devices[0].token,
                             R"({"preset":"public_chat"})"));
    std::string problem;
    room.room_id = string_member(created, "room_id", problem);
    if (!problem.empty()) throw Fatal("create room: " + problem);

    // The creator joins too (a no-op for the server), so every set-up makes the same calls.
    Batch join{"join room", users, 64, 1, {}, {}};
    join.request = [&](std::size_t u) {
        return session.request("POST", "/_matrix/client/v3/join/" + percent_encode(room.room_id),
                               room.devices[u].token, "{}");
    };
    join.check = [](std::size_t, const Response& response) { return expect_status(response, 200); };
    if (run_batch(session, join).failed > 0) throw Fatal("could not join every user");
    std::cout << "  set-up: " << users << " users, " << devices << " devices, room " << room.room_id
              << " joined by all, in " << fixed(seconds_since(started), 2) << " s\n";
    return room;
}

// Every device's initial /sync, for its next_batch.
void initial_syncs(Session& session, Room& room, const std::string& query) {
    Batch sync{"initial syncs", room.devices.size(), 64, 1, {}, {}};
    sync.request = [&](std::size_t d) {
        return session.request("GET", "/_matrix/client/v3/sync" + query, room.devices[d].token);
    };
    sync.check = [&](std::size_t d, const Response& response) {
        std::string problem;
        room.devices[d].next_batch = string_member(response, "next_batch", problem);
        return problem;
    };
    const BatchResult result = run_batch(session, sync);
    if (result.failed > 0) throw Fatal("initial syncs failed");
    std::cout << "  initial syncs: " << room.devices.size() << " in " << fixed(result.seconds, 2)
              << " s\n";
}

// ---------------------------------------------------------------------------------------------
// Holding one sync per device, then waking them all with one message

struct Wake {
    std::vector<double> versions_ms;  // while the syncs were held
    double send_ms = std::nan("");
    double first_ms = std::nan("");   // send written -> first held answer read
    double fanout_ms = std::nan("");  // send written -> last held answer read
    std::size_t failed = 0;
};

// "" when a held sync's answer is 200 and carries `event_id` in the room's timeline; the
// answer's next_batch becomes the device's.
std::string check_woken(const Response& response, const std::string& room_id,
                        const std::string& event_id, std::string& next_batch) {
    if (std::string problem = expect_status(response, 200); !problem.empty()) return problem;
    rapidjson::Document document;
    document.Parse(response.body.data(), response.body.size());
    if (document.HasParseError() || !document.IsObject()) {
        return "answer is not a JSON object: " + snippet(response.body);
    }
    const auto batch = document.FindMember("next_batch");
    if (batch == document.MemberEnd() || !batch->value.IsString()) {
        return "answer has no next_batch: " + snippet(response.body);
    }
    next_batch = batch->value.GetString();
    const rapidjson::Value* events = nullptr;
    if (const auto rooms = document.FindMember("rooms");
        rooms != document.MemberEnd() && rooms->value.IsObject()) {
        if (const auto join = rooms->value.FindMember("join");
            join != rooms->value.MemberEnd() && join->value.IsObject()) {
            if (const auto room = join->value.FindMember(room_id.c_str());
                room != join->value.MemberEnd() && room->value.IsObject()) {
                if (const auto timeline = room->value.FindMember("timeline");
                    timeline != room->value.MemberEnd() && timeline->value.IsObject()) {
                    const auto list = timeline->value.FindMember("events");
                    if (list != timeline->value.MemberEnd() && list->value.IsArray()) {
                        events = &list->value;
                    }
                }
            }
        }
    }
    if (events != nullptr) {
        for (const auto& event : events->GetArray()) {
            if (!event.IsObject()) continue;
            const auto id = event.FindMember("event_id");
            if (id != event.MemberEnd() && id->value.IsString() &&
                event_id == id->value.GetString()) {
                return {};
            }
        }
    }
    return "answer lacks the message " + event_id + " in rooms.join[" + room_id +
           "].timeline.events: " + snippet(response.body);
}

// Holds GET /sync?since=...&timeout=60000 for every device (held[d] is device d's
// connection), optionally measures `versions` sequential /versions on `probe` while they are
// held, then sends one message on `sender` and waits for every held answer.
Wake hold_and_wake(Session& session, Room& room, std::vector<std::unique_ptr<Connection>>& held,
                   Connection& sender, Connection* probe, std::size_t versions,
                   const std::string& label, const std::string& txn_id) {
    Wake wake;
    const std::size_t n = room.devices.size();
    std::vector<Response> answers(n);
    std::vector<char> answered(n, 0);
    std::size_t answered_count = 0;
    for (std::size_t d = 0; d < n; ++d) {
        const std::string target =
            "/_matrix/client/v3/sync?since=" + percent_encode(room.devices[d].next_batch) +
            "&timeout=60000";
        held[d]->send(session.request("GET", target, room.devices[d].token),
                      [&, d](Response& response) {
                          answers[d] = std::move(response);
                          answered[d] = 1;
                          ++answered_count;
                      });
    }
    // The server has a request once it has read it; the closest the client can see is every
    // request written, then a pause for the server to read them.
    session.await(
        label + ": write " + std::to_string(n) + " held syncs",
        [&] {
            std::size_t count = 0;
            for (std::size_t d = 0; d < n; ++d) count += held[d]->all_written() || answered[d];
            return count;
        },
        n);
    session.settle(std::chrono::milliseconds(500));
    if (probe != nullptr) {
        std::size_t done = 0;
        std::function<void()> next = [&] {
            probe->send(
                session.request("GET", "/_matrix/client/versions"), [&](Response& response) {
                    ++done;
                    if (std::string problem = expect_status(response, 200); !problem.empty()) {
                        ++wake.failed;
                        session.fail("/versions while held", label + ": " + problem);
                    } else {
                        wake.versions_ms.push_back(ms_between(response.written, response.done));
                    }
                    if (done < versions) next();
                });
        };
        next();
        session.await(
            label + ": /versions while held", [&] { return done; }, versions);
    }
    const std::size_t early = answered_count;
    Response sent;
    bool sent_done = false;
    const std::string target = "/_matrix/client/v3/rooms/" + percent_encode(room.room_id) +
                               "/send/m.room.message/" + percent_encode(txn_id);
    sender.send(session.request("PUT", target, room.devices[0].token,
                                R"({"msgtype":"m.text","body":"wake )" + txn_id + R"("})"),
                [&](Response& response) {
                    sent = std::move(response);
                    sent_done = true;
                });
    // The server answers a held sync by its 60 s timeout at the latest.
    session.await(
        label + ": send and held answers", [&] { return answered_count + (sent_done ? 1 : 0); },
        n + 1, std::chrono::seconds(75));
    std::string problem;
    const std::string event_id = string_member(sent, "event_id", problem);
    if (!problem.empty()) {
        ++wake.failed;
        session.fail("send", label + ": " + problem);
        // Without the message nothing is left to measure, and the server is likely gone.
        throw Fatal(label + ": the message was not sent, stopping: " + problem);
    }
    wake.send_ms = ms_between(sent.written, sent.done);
    if (early > 0) {
        session.fail("held syncs", label + ": " + std::to_string(early) +
                                       " held syncs answered before the message was sent");
    }
    Clock::time_point first = Clock::time_point::max();
    Clock::time_point last = Clock::time_point::min();
    for (std::size_t d = 0; d < n; ++d) {
        first = std::min(first, answers[d].done);
        last = std::max(last, answers[d].done);
        if (std::string wrong =
                check_woken(answers[d], room.room_id, event_id, room.devices[d].next_batch);
            !wrong.empty()) {
            ++wake.failed;
            session.fail("held syncs", label + ": device " + room.devices[d].device_id + " of " +
                                           room.user_ids[room.devices[d].user] + ": " + wrong);
        }
    }
    wake.first_ms = ms_between(sent.written, first);
    wake.fanout_ms = ms_between(sent.written, last);
    return wake;
}

// ---------------------------------------------------------------------------------------------
// Phases

// The soft limit goes up to the hard one; a hard limit under `needed` stops the phase.
void ensure_open_files(std::size_t needed) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) throw Fatal("getrlimit(RLIMIT_NOFILE) failed");
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
        throw Fatal("need " + std::to_string(needed) +
                    " open files (--held + 100), hard limit is " + std::to_string(limit.rlim_max) +
                    ": run `ulimit -n " + std::to_string(needed) +
                    "` (as root, or raise the hard limit in /etc/security/limits.conf), or use a "
                    "smaller --held");
    }
}

void longpoll_phase(Session& session) {
    const Options& options = session.options;
    session.phase = "longpoll";
    const std::size_t n = options.held;
    const std::size_t users = std::min(options.users, n);
    std::cout << "\n== longpoll: " << n << " held syncs, " << users << " users, " << options.rounds
              << " rounds\n";
    ensure_open_files(n + 100);
    admin_post(session, "POST /__admin/sim/reset", "/__admin/sim/reset");
    Room room = make_room(session, "u", users, n);
    initial_syncs(session, room, "");

    std::vector<std::unique_ptr<Connection>> held;
    for (std::size_t d = 0; d < n; ++d) held.push_back(session.connect());
    auto probe = session.connect();
    auto sender = session.connect();
    std::vector<Wake> rounds;
    std::size_t failed = 0;
    std::cout << "   round  versions p50 ms  p99 ms  send ms  first answer ms  fan-out ms  "
                 "us/held sync\n";
    for (std::size_t r = 0; r < options.rounds; ++r) {
        const std::string label = "round " + std::to_string(r + 1);
        const std::string txn =
            "lp" + std::to_string(getpid()) + "-" + std::to_string(n) + "-" + std::to_string(r + 1);
        Wake wake = hold_and_wake(session, room, held, *sender, probe.get(), 200, label, txn);
        failed += wake.failed;
        char line[200];
        std::snprintf(line, sizeof line, "  %6zu  %15s  %6s  %7s  %15s  %10s  %12s\n", r + 1,
                      fixed(percentile(wake.versions_ms, 50), 3).c_str(),
                      fixed(percentile(wake.versions_ms, 99), 3).c_str(),
                      fixed(wake.send_ms, 3).c_str(), fixed(wake.first_ms, 2).c_str(),
                      fixed(wake.fanout_ms, 2).c_str(),
                      fixed(wake.fanout_ms * 1000 / static_cast<double>(n), 2).c_str());
        std::cout << line;
        rounds.push_back(std::move(wake));
    }
    auto across = [&](auto field) {
        std::vector<double> values;
        for (const Wake& wake : rounds) {
            if (const double value = field(wake); !std::isnan(value)) values.push_back(value);
        }
        return median(values);
    };
    const double p50 = across([](const Wake& w) { return percentile(w.versions_ms, 50); });
    const double p99 = across([](const Wake& w) { return percentile(w.versions_ms, 99); });
    const double send = across([](const Wake& w) { return w.send_ms; });
    const double first = across([](const Wake& w) { return w.first_ms; });
    const double fanout = across([](const Wake& w) { return w.fanout_ms; });
    const double per_sync = fanout * 1000 / static_cast<double>(n);
    char line[200];
    std::snprintf(line, sizeof line, "  %6s  %15s  %6s  %7s  %15s  %10s  %12s\n", "median",
                  fixed(p50, 3).c_str(), fixed(p99, 3).c_str(), fixed(send, 3).c_str(),
                  fixed(first, 2).c_str(), fixed(fanout, 2).c_str(), fixed(per_sync, 2).c_str());
    std::cout << line;
    const auto health = health_fields(session, "health after longpoll");
    std::cout << "  server health: " << describe(health) << "\n";
    session.result("phase=longpoll held=" + std::to_string(n) + " users=" + std::to_string(users) +
                   " rounds=" + std::to_string(options.rounds) +
                   " versions_p50_ms=" + fixed(p50, 3) + " versions_p99_ms=" + fixed(p99, 3) +
                   " send_ms=" + fixed(send, 3) + " first_answer_ms=" + fixed(first, 2) +
                   " fanout_ms=" + fixed(fanout, 2) + " fanout_us_per_sync=" + fixed(per_sync, 2) +
                   " failures=" + std::to_string(failed));
}

struct HistoryRow {
    std::size_t events = 0;
    double inject_per_s = std::nan("");
    double wake_ms = std::nan("");
    double syncs_per_s = std::nan("");
    std::size_t failed = 0;
};

// Empty incremental syncs (timeout=0) back to back on `connections` connections, one device
// each, every request with the since its previous answer gave; answers per second.
double empty_sync_rate(Session& session, Room& room, std::size_t connection_count, double seconds,
                       std::size_t& failed) {
    const std::string step = "empty incremental syncs";
    std::vector<std::unique_ptr<Connection>> connections;
    connection_count = std::min(connection_count, room.devices.size());
    for (std::size_t c = 0; c < connection_count; ++c) connections.push_back(session.connect());
    const Clock::time_point started = Clock::now();
    const Clock::time_point stop = started + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(seconds));
    std::size_t done = 0;
    std::size_t running = connection_count;
    Clock::time_point last = started;
    std::function<void(std::size_t)> issue = [&](std::size_t c) {
        Device& device = room.devices[c];
        const std::string target =
            "/_matrix/client/v3/sync?since=" + percent_encode(device.next_batch) + "&timeout=0";
        connections[c]->send(session.request("GET", target, device.token), [&, c](Response& r) {
            ++done;
            last = r.done;
            std::string problem;
            const std::string next = string_member(r, "next_batch", problem);
            if (!problem.empty()) {
                ++failed;
                session.fail(step, "device " + room.devices[c].device_id + ": " + problem);
            } else {
                room.devices[c].next_batch = next;
            }
            if (Clock::now() < stop) {
                issue(c);
            } else {
                --running;
            }
        });
    };
    for (std::size_t c = 0; c < connection_count; ++c) issue(c);
    session.await(
        step, [&] { return connection_count - running; }, connection_count,
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds + 30)));
    const double elapsed = std::chrono::duration<double>(last - started).count();
    return elapsed > 0 ? static_cast<double>(done) / elapsed : std::nan("");
}

// Sets up one room with `events` events for the interleaved measurement: its own user with
// 100 devices, so a message in another room wakes none of its syncs.
Room history_room(Session& session, std::size_t index, std::size_t events, HistoryRow& row) {
    constexpr std::size_t kDevices = 100;
    row.events = events;
    Room room = make_room(session, "h" + std::to_string(index) + "x", 1, kDevices);
    const std::string inject_path =
        "/__admin/sim/rooms/" + percent_encode(room.room_id) + "/events";
    // Many requests in flight: building 200,000 events one round trip at a time takes minutes.
    const std::size_t depth = session.options.pipeline;
    Batch inject{"inject events", events, depth > 1 ? 4U : 32U, depth, {}, {}};
    inject.request = [&](std::size_t i) {
        return session.request(
            "POST", inject_path, {},
            R"({"sender":)" + json_quote(room.user_ids[0]) +
                R"(,"type":"m.room.message","content":{"msgtype":"m.text","body":"history )" +
                std::to_string(i) + R"("}})");
    };
    inject.check = [](std::size_t, const Response& response) {
        return expect_status(response, 200);
    };
    const BatchResult injected = run_batch(session, inject);
    row.failed += injected.failed;
    if (events > 0) {
        row.inject_per_s = static_cast<double>(events) / injected.seconds;
        std::cout << "  room " << index + 1 << ": injected " << events << " events in "
                  << fixed(injected.seconds, 2) << " s: " << fixed(row.inject_per_s, 0)
                  << " events/s\n";
    }
    initial_syncs(session, room,
                  "?filter=" + percent_encode(R"({"room":{"timeline":{"limit":1}}})"));
    return room;
}

// Every history size lives in the same server at once, in its own room, and the measurements
// alternate between the rooms: the journal, the heap and the caches are the same for all of
// them, so only the room's history differs.
void history_phase(Session& session) {
    session.phase = "history";
    constexpr std::size_t kWakes = 11;
    constexpr std::size_t kSyncSlices = 3;
    const std::vector<std::size_t>& sizes = session.options.history;
    std::cout << "\n== history: rooms of " << sizes.size() << " sizes, measured alternately\n";
    admin_post(session, "POST /__admin/sim/reset", "/__admin/sim/reset");
    std::vector<HistoryRow> rows(sizes.size());
    std::vector<Room> rooms;
    for (std::size_t i = 0; i < sizes.size(); ++i)
        rooms.push_back(history_room(session, i, sizes[i], rows[i]));

    std::vector<std::unique_ptr<Connection>> held;
    for (std::size_t d = 0; d < rooms.front().devices.size(); ++d)
        held.push_back(session.connect());
    auto sender = session.connect();
    std::vector<std::vector<double>> wakes(rooms.size());
    for (std::size_t r = 0; r < kWakes; ++r) {
        for (std::size_t i = 0; i < rooms.size(); ++i) {
            const std::string txn = "h" + std::to_string(getpid()) + "-" + std::to_string(i) + "-" +
                                    std::to_string(r + 1);
            const Wake wake = hold_and_wake(
                session, rooms[i], held, *sender, nullptr, 0,
                "room " + std::to_string(i + 1) + " wake " + std::to_string(r + 1), txn);
            rows[i].failed += wake.failed;
            if (!std::isnan(wake.fanout_ms)) wakes[i].push_back(wake.fanout_ms);
        }
    }
    held.clear();
    std::vector<std::vector<double>> rates(rooms.size());
    const double slice = session.options.sync_seconds / kSyncSlices;
    for (std::size_t s = 0; s < kSyncSlices; ++s) {
        for (std::size_t i = 0; i < rooms.size(); ++i)
            rates[i].push_back(empty_sync_rate(session, rooms[i], 16, slice, rows[i].failed));
    }
    for (std::size_t i = 0; i < rooms.size(); ++i) {
        rows[i].wake_ms = median(wakes[i]);
        rows[i].syncs_per_s = median(rates[i]);
    }

    std::cout << "\n  history events  inject events/s  wake-100 median ms  empty sync req/s\n";
    for (const HistoryRow& row : rows) {
        char line[160];
        std::snprintf(line, sizeof line, "  %14zu  %15s  %18s  %16s\n", row.events,
                      fixed(row.inject_per_s, 0).c_str(), fixed(row.wake_ms, 2).c_str(),
                      fixed(row.syncs_per_s, 0).c_str());
        std::cout << line;
        session.result("phase=history events=" + std::to_string(row.events) + " inject_per_s=" +
                       fixed(row.inject_per_s, 0) + " wake100_median_ms=" + fixed(row.wake_ms, 2) +
                       " empty_sync_per_s=" + fixed(row.syncs_per_s, 0) +
                       " failures=" + std::to_string(row.failed));
    }
    if (rows.size() >= 2) {
        const auto [smallest, largest] = std::minmax_element(
            rows.begin(), rows.end(),
            [](const HistoryRow& a, const HistoryRow& b) { return a.events < b.events; });
        const double wake_ratio = largest->wake_ms / smallest->wake_ms;
        const double throughput_ratio = largest->syncs_per_s / smallest->syncs_per_s;
        std::cout << "  " << largest->events << " vs " << smallest->events << " events: wake time x"
                  << fixed(wake_ratio, 2) << ", empty-sync throughput x"
                  << fixed(throughput_ratio, 3) << "\n";
        session.result("phase=history ratio_of=" + std::to_string(largest->events) + "/" +
                       std::to_string(smallest->events) + " wake_ratio=" + fixed(wake_ratio, 3) +
                       " throughput_ratio=" + fixed(throughput_ratio, 3));
    }
}

// VmRSS of `pid` in bytes.
double resident_bytes(long pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    std::ifstream status(path);
    if (!status) throw Fatal("cannot read " + path + ": is --server-pid the server's pid?");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::strtod(line.c_str() + 6, nullptr) * 1024;
    }
    throw Fatal(path + " has no VmRSS line");
}

void journal_phase(Session& session) {
    const Options& options = session.options;
    session.phase = "journal";
    constexpr double kMiB = 1024.0 * 1024.0;
    std::cout << "\n== journal: " << options.bodies << " bodies of " << options.body_bytes
              << " bytes (POST /bench/blob)\n";
    admin_post(session, "POST /__admin/reset", "/__admin/reset");
    session.settle(std::chrono::milliseconds(200));
    const double before = resident_bytes(options.server_pid);

    // A JSON string, so the server gets past its JSON check to the unmatched answer; each body
    // repeats its own index, so no two are equal (a server may not share equal bodies).
    Batch blobs{"send bodies", options.bodies, 4, 1, {}, {}};
    blobs.request = [&](std::size_t i) {
        char unit[16];
        std::snprintf(unit, sizeof unit, "%08zu;", i);
        std::string body(options.body_bytes, ' ');
        body.front() = '"';
        body.back() = '"';
        for (std::size_t at = 1; at + 1 < body.size(); ++at) body[at] = unit[(at - 1) % 9];
        return session.request("POST", "/bench/blob", {}, body);
    };
    blobs.check = [](std::size_t, const Response& response) {
        return expect_status(response, 404);
    };
    const BatchResult sent = run_batch(session, blobs);
    session.settle(std::chrono::milliseconds(200));
    const double after = resident_bytes(options.server_pid);
    const auto health = health_fields(session, "health after the bodies");
    const double total =
        static_cast<double>(options.bodies) * static_cast<double>(options.body_bytes);
    std::cout << "  sent " << options.bodies << " bodies (" << fixed(total / kMiB, 1) << " MiB) in "
              << fixed(sent.seconds, 2) << " s\n";
    std::cout << "  server RSS before " << fixed(before / kMiB, 1) << " MiB, after "
              << fixed(after / kMiB, 1) << " MiB, growth " << fixed((after - before) / kMiB, 1)
              << " MiB (" << fixed((after - before) / total, 3) << " per body byte sent)\n";
    std::cout << "  server health: " << describe(health) << "\n";
    std::string line = "phase=journal bodies=" + std::to_string(options.bodies) +
                       " body_bytes=" + std::to_string(options.body_bytes) +
                       " rss_before_mib=" + fixed(before / kMiB, 1) +
                       " rss_after_mib=" + fixed(after / kMiB, 1) +
                       " rss_growth_mib=" + fixed((after - before) / kMiB, 1) +
                       " rss_growth_per_body_byte=" + fixed((after - before) / total, 3);
    for (const auto& [key, value] : health) {
        line += " " + key + "=" + std::to_string(value);
        if (key == "journal_bytes" && value > 0) {
            const double per_byte = after / static_cast<double>(value);
            std::cout << "  RSS per journal byte held: " << fixed(per_byte, 3) << "\n";
            line += " rss_per_byte_held=" + fixed(per_byte, 3);
        }
    }
    session.result(line + " failures=" + std::to_string(sent.failed));
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines appear as they happen when piped
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const UsageError& error) {
        std::cerr << "matrix-longpoll-load: " << error.what() << " (see --help)\n";
        return 2;
    }
    if (options.help) {
        std::cout << kHelp;
        return 0;
    }
    const Clock::time_point started = Clock::now();
    Session session(options);
    std::string status = "ok";
    try {
        std::cout << "matrix-longpoll-load: " << options.url << ", phase " << options.phase
                  << ", deadline " << options.deadline_seconds << " s\n";
        const Response versions =
            call(session, "GET /_matrix/client/versions",
                 session.request("GET", "/_matrix/client/versions"), std::chrono::seconds(10));
        if (std::string problem = expect_status(versions, 200); !problem.empty()) {
            throw Fatal("the server at " + options.url + " does not answer: " + problem);
        }
        std::cout << "  server health: " << describe(health_fields(session, "health")) << "\n";
        const bool all = options.phase == "all";
        if (all || options.phase == "longpoll") longpoll_phase(session);
        if (all || options.phase == "history") history_phase(session);
        if (all || options.phase == "journal") journal_phase(session);
    } catch (const StepTimeout& error) {
        std::cout << "TIMEOUT in " << error.what() << "\n";
        status = "timeout";
    } catch (const Fatal& error) {
        std::cout << "ERROR in phase " << session.phase << ": " << error.what() << "\n";
        status = "error";
    }
    if (status == "ok" && session.failures() > 0) status = "failed";
    std::cout << "\n";
    for (const auto& [step, count] : session.failures_by_step()) {
        std::cout << "failures: " << count << " in " << step << "\n";
    }
    for (const std::string& line : session.results()) std::cout << "RESULT " << line << "\n";
    std::cout << "RESULT status=" << status << " failures=" << session.failures()
              << " seconds=" << fixed(seconds_since(started), 1) << "\n";
    return status == "ok" ? 0 : 1;
}
