// A persistent raw TCP connection to the mock server, for tests that keep connections open
// (keep-alive clients, idle or half-sent requests) and control every byte sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "raw_http.hpp"

namespace matrix::mock::testing {

class RawConnection {
  public:
    explicit RawConnection(int port, std::uint32_t address = INADDR_LOOPBACK) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) return;
        sockaddr_in peer{};
        peer.sin_family = AF_INET;
        peer.sin_port = htons(static_cast<uint16_t>(port));
        peer.sin_addr.s_addr = htonl(address);
        if (connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof peer) != 0) {
            close(fd_);
            fd_ = -1;
        }
    }
    ~RawConnection() {
        if (fd_ >= 0) close(fd_);
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return fd_ >= 0; }

    bool send_bytes(std::string_view bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Reads one response (headers, then Content-Length bytes of body). nullopt when the server
    // closes first or nothing arrives within `timeout`.
    std::optional<RawResponse> read_response(
        std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            const std::size_t end = pending_.find("\r\n\r\n");
            if (end != std::string::npos) {
                RawResponse response;
                response.connected = true;
                response.bytes = pending_.substr(0, end + 4);
                const std::string length = response.header("Content-Length");
                const std::size_t body_length =
                    length.empty() ? 0 : std::strtoull(length.c_str(), nullptr, 10);
                if (pending_.size() >= end + 4 + body_length) {
                    response.body = pending_.substr(end + 4, body_length);
                    response.bytes += response.body;
                    pending_.erase(0, end + 4 + body_length);
                    if (response.bytes.size() >= 12)
                        response.status = std::atoi(response.bytes.substr(9, 3).c_str());
                    return response;
                }
            }
            if (!wait_readable(deadline)) return std::nullopt;
            char buffer[65536];
            const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) return std::nullopt;
            pending_.append(buffer, static_cast<std::size_t>(n));
        }
    }

    // True when the server closed the connection (end of stream or reset) within `timeout`,
    // after any bytes still buffered.
    bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (wait_readable(deadline)) {
            char buffer[4096];
            const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) return true;
            pending_.append(buffer, static_cast<std::size_t>(n));
        }
        return false;
    }

    const std::string& unread() const { return pending_; }

    // Ends the sending side only (a half-close): the server sees end of stream after the
    // request, and can still answer.
    void shut_write() { ::shutdown(fd_, SHUT_WR); }

  private:
    bool wait_readable(std::chrono::steady_clock::time_point deadline) const {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        return poll(&p, 1, static_cast<int>(left.count())) > 0;
    }

    int fd_ = -1;
    std::string pending_;
};

// A keep-alive request: like http_request, without Connection: close.
inline std::string keep_alive_request(std::string_view method, std::string_view target,
                                      std::string_view body = {}) {
    std::string request =
        std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!body.empty() || method == "POST" || method == "PUT")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return request + "\r\n" + std::string(body);
}

}  // namespace matrix::mock::testing
