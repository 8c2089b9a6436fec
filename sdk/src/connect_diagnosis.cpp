// Connect-failure diagnosis: one non-blocking connect per resolved address, reading the errno.
#include "connect_diagnosis.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace matrix::detail {
namespace {

// The errno of one connect attempt to `address`: 0 when it connected, ETIMEDOUT when it did
// not finish within the timeout.
int try_connect(const addrinfo& address, std::chrono::milliseconds timeout) {
    const int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                            address.ai_protocol);
    if (fd < 0) return errno;
    int result = 0;
    if (::connect(fd, address.ai_addr, address.ai_addrlen) != 0) {
        result = errno;
        if (result == EINPROGRESS) {
            pollfd waiting{fd, POLLOUT, 0};
            const int ready = ::poll(&waiting, 1, static_cast<int>(timeout.count()));
            if (ready == 0) {
                result = ETIMEDOUT;
            } else if (ready < 0) {
                result = errno;
            } else {
                socklen_t length = sizeof result;
                if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length) != 0) result = errno;
            }
        }
    }
    ::close(fd);
    return result;
}

}  // namespace

ConnectFailure diagnose_connect_failure(const std::string& host, int port,
                                        const std::string& host_port,
                                        std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    const int resolved =
        ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses);
    if (resolved != 0) {
        return {TransportErrorKind::connection_failed,
                "cannot resolve host '" + host + "': " + ::gai_strerror(resolved)};
    }
    int error = 0;
    for (const addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
        error = try_connect(*address, timeout);
        if (error == 0) break;
    }
    ::freeaddrinfo(addresses);

    switch (error) {
        case 0:
            // Reachable now: the first attempt met a passing condition (a full backlog, a
            // server starting up).
            return {TransportErrorKind::connection_failed,
                    "could not connect to " + host_port + " (it accepts connections again now)"};
        case ECONNREFUSED:
            return {TransportErrorKind::connection_refused,
                    "connection refused (is a server listening at " + host_port + "?)"};
        case ETIMEDOUT:
            return {TransportErrorKind::connection_failed,
                    "no connection to " + host_port + " within " + std::to_string(timeout.count()) +
                        " ms (connect timeout)"};
        default:
            return {TransportErrorKind::connection_failed,
                    "cannot connect to " + host_port + ": " + std::strerror(error)};
    }
}

}  // namespace matrix::detail
