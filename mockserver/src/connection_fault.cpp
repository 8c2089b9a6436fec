// Connection faults: finds the connection's socket and replaces it so it breaks as asked.
#include "connection_fault.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace matrix::mock {
namespace {

// One fault at a time: the scan of /proc/self/fd and the descriptor swap that follows must not
// interleave with another worker's swap, or the scan's own directory descriptor can take a
// number that the other worker is replacing at that moment. Faults are rare (a test asks for
// them), so serialising them costs nothing. It also gives ThreadSanitizer the ordering it
// cannot see otherwise: opendir creates its descriptor inside libc, out of the sanitizer's
// view, so a number reused after another thread's dup2 looked like a race on that descriptor.
std::mutex& connection_fault_mutex() {
    static std::mutex mutex;
    return mutex;
}

struct Endpoint {
    std::string address;
    int port = -1;
};

Endpoint endpoint_of(const sockaddr_storage& storage) {
    char text[INET6_ADDRSTRLEN] = {};
    if (storage.ss_family == AF_INET) {
        const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
        inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        return {text, ntohs(in.sin_port)};
    }
    if (storage.ss_family == AF_INET6) {
        const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
        inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        return {text, ntohs(in6.sin6_port)};
    }
    return {};
}

// The HTTP layer does not hand sockets to handlers, but a TCP connection is identified by its
// two ends, so the open descriptors are searched for the one with these ends.
int find_connection(const std::string& remote_address, int remote_port, int local_port) {
    DIR* fds = opendir("/proc/self/fd");
    if (fds == nullptr) return -1;
    int found = -1;
    while (const dirent* entry = readdir(fds)) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0') continue;
        sockaddr_storage peer{};
        socklen_t peer_length = sizeof peer;
        if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_length) !=
            0) {
            continue;
        }
        sockaddr_storage local{};
        socklen_t local_length = sizeof local;
        if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_length) !=
            0) {
            continue;
        }
        const Endpoint remote = endpoint_of(peer);
        if (remote.port == remote_port && remote.address == remote_address &&
            endpoint_of(local).port == local_port) {
            found = static_cast<int>(fd);
            break;
        }
    }
    closedir(fds);
    return found;
}

}  // namespace

bool apply_connection_fault(Fault fault, const std::string& remote_address, int remote_port,
                            int local_port) {
    if (fault == Fault::none) return true;
    const std::scoped_lock one_fault_at_a_time(connection_fault_mutex());
    const int fd = find_connection(remote_address, remote_port, local_port);
    if (fd < 0) return false;
    if (fault == Fault::connection_reset) {
        // A zero linger time turns the close into an abort: the peer gets RST, not FIN.
        const linger abort_on_close{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    }
    // dup2 closes the connection (its last descriptor) and reuses the number for a socket that
    // was never connected, so the HTTP layer's response write fails instead of sending bytes.
    const int placeholder = socket(AF_INET, SOCK_STREAM, 0);
    if (placeholder < 0) {
        shutdown(fd, SHUT_RDWR);
        return true;
    }
    dup2(placeholder, fd);
    close(placeholder);
    return true;
}

bool end_connection_after_response(const std::string& remote_address, int remote_port,
                                   int local_port) {
    const std::scoped_lock one_fault_at_a_time(connection_fault_mutex());
    const int fd = find_connection(remote_address, remote_port, local_port);
    if (fd < 0) return false;
    // Closing with unread bytes makes the kernel send RST, which can destroy the answer before
    // the client reads it; so what already arrived is read and dropped first (bounded, so a
    // client still sending cannot keep this thread), then FIN goes after the answer.
    const int flags = fcntl(fd, F_GETFL, 0);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    char discard[16384];
    for (int i = 0; i < 256 && recv(fd, discard, sizeof discard, 0) > 0; ++i) {
    }
    shutdown(fd, SHUT_WR);
    const int placeholder = socket(AF_INET, SOCK_STREAM, 0);
    if (placeholder < 0) return true;
    dup2(placeholder, fd);
    close(placeholder);
    return true;
}

}  // namespace matrix::mock
