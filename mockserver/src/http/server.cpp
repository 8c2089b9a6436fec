// The server: the listening socket, the event loops and the worker pool, started and stopped
// together.
#include "http/server.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "http/event_loop.hpp"
#include "http/server_core.hpp"

namespace matrix::mock::http {
namespace {

// Descriptors kept back from the connection limit for everything else the process opens:
// the listening socket, epoll and eventfd per loop, mapping and journal files, clients of
// its own in tests.
constexpr std::size_t kReservedDescriptors = 64;
// The kernel caps it at net.core.somaxconn (4096 on current kernels); bursts of thousands of
// clients connecting at once wait there rather than being refused.
constexpr int kListenBacklog = 4096;

std::size_t connection_limit_for(std::size_t wanted) {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur == RLIM_INFINITY) return wanted;
    const auto available = static_cast<std::size_t>(files.rlim_cur);
    if (available <= kReservedDescriptors + 1) return 1;
    return std::min(wanted, available - kReservedDescriptors);
}

int listen_on(const std::string& host, int port, int& bound_port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) return -1;
    int fd = -1;
    for (const addrinfo* it = found; it != nullptr; it = it->ai_next) {
        fd = ::socket(it->ai_family, it->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      it->ai_protocol);
        if (fd < 0) continue;
        // SO_REUSEADDR alone: a restart can bind while old connections sit in TIME_WAIT, but
        // a second server cannot bind the same port and silently take half the traffic
        // (which SO_REUSEPORT would allow).
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, it->ai_addr, it->ai_addrlen) == 0 && ::listen(fd, kListenBacklog) == 0) {
            break;
        }
        ::close(fd);
        fd = -1;
    }
    ::freeaddrinfo(found);
    if (fd < 0) return -1;
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
    bound_port = local.ss_family == AF_INET6
                     ? ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port)
                     : ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
    return fd;
}

}  // namespace

struct Server::Impl {
    std::shared_ptr<ServerCore> core;
    std::vector<std::shared_ptr<EventLoop>> loops;
    std::atomic<std::size_t> next_loop{0};
    int listen_fd = -1;
    int port = 0;
    bool started = false;
    bool stopped = false;
};

Server::Server(ServerOptions options, Handler& handler) : impl_(std::make_unique<Impl>()) {
    impl_->listen_fd = listen_on(options.host, options.port, impl_->port);
    if (impl_->listen_fd < 0) {
        throw std::runtime_error("cannot listen on " + options.host + ":" +
                                 std::to_string(options.port) +
                                 ": the port is in use or the address is not one of this "
                                 "machine's");
    }
    const std::size_t limit = connection_limit_for(options.max_connections);
    const std::size_t io_threads = std::max<std::size_t>(options.io_threads, 1);
    impl_->core = std::make_shared<ServerCore>(std::move(options), handler, limit);
    for (std::size_t i = 0; i < io_threads; ++i)
        impl_->loops.push_back(std::make_shared<EventLoop>(impl_->core));
}

Server::~Server() { stop(); }

int Server::port() const { return impl_->port; }

void Server::start() {
    if (impl_->started) return;
    impl_->started = true;
    Impl& impl = *impl_;
    impl.loops.front()->accept_on(
        impl.listen_fd, [&impl] { return impl.loops[impl.next_loop++ % impl.loops.size()]; });
    for (const auto& loop : impl.loops) loop->start();
}

void Server::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    // The loops close every connection (a held request's abandonment hook goes to the
    // workers, which still run), then the workers finish what they are doing.
    for (const auto& loop : impl_->loops) loop->stop();
    impl_->core->workers.stop();
    if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
    impl_->listen_fd = -1;
}

ServerStats Server::stats() const {
    const ServerCore& core = *impl_->core;
    ServerStats stats;
    stats.open_connections = core.open.load();
    stats.peak_connections = core.peak.load();
    stats.connection_limit = core.connection_limit;
    stats.accepted = core.accepted.load();
    stats.refused_connections = core.refused.load();
    stats.requests_in_flight = core.held.load();
    return stats;
}

}  // namespace matrix::mock::http
