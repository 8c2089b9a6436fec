// The event loop: epoll (edge-triggered for connections), an eventfd for posted tasks, and a
// deadline map for every connection's one timeout.
#include "http/event_loop.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "http/connection.hpp"
#include "http/server_core.hpp"

namespace matrix::mock::http {
namespace {

constexpr std::uint64_t kWakeKey = 0;
constexpr std::uint64_t kListenKey = UINT64_MAX;
constexpr std::size_t kScratchBytes = 64 * 1024;
constexpr int kEventsPerWait = 256;
// Connections past the limit still get a 429 with a reason, up to this many at a time; past
// that they are closed as soon as they are accepted.
constexpr std::size_t kRefusingSlots = 256;

void peer_address(const sockaddr_storage& storage, std::string& address, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (storage.ss_family == AF_INET) {
        const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
        inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        port = ntohs(in.sin_port);
    } else if (storage.ss_family == AF_INET6) {
        const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
        inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        port = ntohs(in6.sin6_port);
    }
    address = text;
}

}  // namespace

EventLoop::EventLoop(std::shared_ptr<ServerCore> core) : core_(std::move(core)) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) {
        if (epoll_fd_ >= 0) ::close(epoll_fd_);
        if (wake_fd_ >= 0) ::close(wake_fd_);
        throw std::runtime_error("cannot create an event loop (epoll or eventfd failed)");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeKey;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    scratch_.resize(kScratchBytes);
}

EventLoop::~EventLoop() {
    stop();
    ::close(epoll_fd_);
    ::close(wake_fd_);
    if (spare_fd_ >= 0) ::close(spare_fd_);
}

void EventLoop::start() {
    thread_ = std::thread([this] { run(); });
}

void EventLoop::stop() {
    {
        std::lock_guard lock(posted_mutex_);
        stopping_ = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
}

bool EventLoop::post(std::function<void()> task) {
    bool wake = false;
    {
        std::lock_guard lock(posted_mutex_);
        if (stopping_) return false;
        wake = posted_.empty();
        posted_.push_back(std::move(task));
    }
    // One wake-up per batch: the loop takes every task posted before it drains the queue.
    if (wake) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
    }
    return true;
}

void EventLoop::accept_on(int listen_fd, std::function<std::shared_ptr<EventLoop>()> pick) {
    listen_fd_ = listen_fd;
    pick_ = std::move(pick);
    spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;  // level-triggered: whatever one wake-up leaves is seen again
    event.data.u64 = kListenKey;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &event);
}

void EventLoop::run() {
    epoll_event events[kEventsPerWait];
    while (true) {
        {
            std::lock_guard lock(posted_mutex_);
            if (stopping_) break;
        }
        const int n = ::epoll_wait(epoll_fd_, events, kEventsPerWait, wait_timeout_ms());
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; ++i) {
            const std::uint64_t key = events[i].data.u64;
            if (key == kWakeKey) {
                std::uint64_t count = 0;
                [[maybe_unused]] const ssize_t read = ::read(wake_fd_, &count, sizeof count);
                run_posted();
            } else if (key == kListenKey) {
                accept_all();
            } else if (const auto it = connections_.find(key); it != connections_.end()) {
                const std::shared_ptr<Connection> keep = it->second;  // may close itself
                try {
                    keep->on_io(events[i].events);
                } catch (const std::exception& e) {
                    keep->fail(e.what());  // a bug, answered 500 on this connection alone
                }
            }
        }
        expire_deadlines();
    }
    // Stopping: answers posted before the stop are written (as far as the sockets take them
    // at once), then the connections go.
    run_posted();
    std::vector<std::shared_ptr<Connection>> open;
    open.reserve(connections_.size());
    for (const auto& [id, connection] : connections_) open.push_back(connection);
    for (const auto& connection : open) connection->close();
    connections_.clear();
}

void EventLoop::run_posted() {
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(posted_mutex_);
        tasks.swap(posted_);
    }
    for (auto& task : tasks) {
        try {
            task();
        } catch (const std::exception& e) {
            // A task is a delivery to one connection; the loop and the others go on.
            std::fprintf(stderr, "matrix-mockserver: a connection task failed: %s\n", e.what());
        }
    }
}

void EventLoop::accept_all() {
    // Bounded per wake-up so that a flood of connections cannot starve the rest of the loop.
    for (int i = 0; i < 256; ++i) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if ((errno == EMFILE || errno == ENFILE) && spare_fd_ >= 0) {
                // Out of descriptors: free the spare one to take the connection off the queue
                // and close it, instead of leaving it (and the loop, spinning) waiting.
                ::close(spare_fd_);
                const int dropped = ::accept(listen_fd_, nullptr, nullptr);
                if (dropped >= 0) ::close(dropped);
                spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
                ++core_->refused;
                continue;
            }
            return;  // EAGAIN: all taken
        }
        ++core_->accepted;
        core_->opened();
        const std::size_t open = core_->open.load();
        if (open > core_->connection_limit + kRefusingSlots) {
            ::close(fd);
            --core_->open;
            ++core_->refused;
            continue;
        }
        const int yes = 1;
        // Without TCP_NODELAY each keep-alive answer can wait ~40 ms for a delayed ACK.
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        const bool over_limit = open > core_->connection_limit;
        const std::shared_ptr<EventLoop> target = pick_ ? pick_() : shared_from_this();
        if (target.get() == this) {
            adopt(fd, peer, over_limit);
        } else if (!target->post(
                       [target, fd, peer, over_limit] { target->adopt(fd, peer, over_limit); })) {
            ::close(fd);
            --core_->open;
        }
    }
}

void EventLoop::adopt(int fd, const sockaddr_storage& peer, bool over_limit) {
    std::string address;
    int port = 0;
    peer_address(peer, address, port);
    const std::uint64_t id = next_id_++;
    auto connection =
        std::make_shared<Connection>(*this, fd, id, std::move(address), port, over_limit);
    connections_.emplace(id, connection);
    connection->start();
}

void EventLoop::set_deadline(Connection& connection, Clock::time_point when) {
    if (connection.has_deadline) deadlines_.erase(connection.deadline_entry);
    connection.deadline_entry = deadlines_.emplace(when, connection.id());
    connection.has_deadline = true;
}

void EventLoop::clear_deadline(Connection& connection) {
    if (!connection.has_deadline) return;
    deadlines_.erase(connection.deadline_entry);
    connection.has_deadline = false;
}

void EventLoop::forget(std::uint64_t id) { connections_.erase(id); }

void EventLoop::expire_deadlines() {
    const Clock::time_point now = Clock::now();
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        const std::uint64_t id = deadlines_.begin()->second;
        deadlines_.erase(deadlines_.begin());
        const auto it = connections_.find(id);
        if (it == connections_.end()) continue;
        const std::shared_ptr<Connection> keep = it->second;
        keep->has_deadline = false;
        try {
            keep->on_deadline();
        } catch (const std::exception& e) {
            keep->fail(e.what());
        }
    }
}

int EventLoop::wait_timeout_ms() const {
    if (deadlines_.empty()) return -1;
    const auto left = deadlines_.begin()->first - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    // Rounded up, so the loop never wakes just before a deadline and spins until it.
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
}

}  // namespace matrix::mock::http
