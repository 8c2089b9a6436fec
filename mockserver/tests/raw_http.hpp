// A minimal HTTP/1.1 client over a plain socket, so tests control every byte that is sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>

namespace matrix::mock::testing {

struct RawResponse {
    bool connected = false;
    bool reset = false;  // the server aborted the connection (ECONNRESET)
    std::string bytes;   // everything received until the server closed or the body was complete
    int status = 0;
    std::string body;

    std::string header(std::string_view name) const {
        const std::size_t end = bytes.find("\r\n\r\n");
        std::size_t pos = bytes.find("\r\n");
        while (pos != std::string::npos && pos < end) {
            const std::size_t next = bytes.find("\r\n", pos + 2);
            const std::string line = bytes.substr(pos + 2, next - pos - 2);
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos && colon == name.size()) {
                bool same = true;
                for (std::size_t i = 0; i < colon; ++i) {
                    same = same && std::tolower(static_cast<unsigned char>(line[i])) ==
                                       std::tolower(static_cast<unsigned char>(name[i]));
                }
                if (same) {
                    std::size_t start = colon + 1;
                    while (start < line.size() && line[start] == ' ') ++start;
                    return line.substr(start);
                }
            }
            pos = next;
        }
        return {};
    }
};

// Sends `request` as is to 127.0.0.1:port and reads one response (by Content-Length) or until
// the server closes. Gives up after `timeout_seconds` without data.
inline RawResponse send_raw(int port, std::string_view request, int timeout_seconds = 10) {
    RawResponse response;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return response;
    timeval timeout{timeout_seconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return response;
    }
    response.connected = true;
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    char buffer[65536];
    while (true) {
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            response.reset = errno == ECONNRESET;
            break;
        }
        if (n == 0) break;
        response.bytes.append(buffer, static_cast<std::size_t>(n));
        const std::size_t end = response.bytes.find("\r\n\r\n");
        if (end != std::string::npos) {
            const std::string length = response.header("Content-Length");
            if (!length.empty() &&
                response.bytes.size() >= end + 4 + std::strtoull(length.c_str(), nullptr, 10)) {
                break;
            }
        }
    }
    close(fd);
    if (response.bytes.rfind("HTTP/1.1 ", 0) == 0 && response.bytes.size() >= 12) {
        response.status = std::atoi(response.bytes.substr(9, 3).c_str());
    }
    const std::size_t end = response.bytes.find("\r\n\r\n");
    if (end != std::string::npos) response.body = response.bytes.substr(end + 4);
    return response;
}

// A request line plus Host, Connection: close and, when there is a body, Content-Length.
inline std::string http_request(std::string_view method, std::string_view target,
                                std::string_view body = {}, std::string_view extra_headers = {}) {
    std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n" +
                          "Host: 127.0.0.1\r\nConnection: close\r\n" + std::string(extra_headers);
    if (!body.empty() || method == "POST" || method == "PUT") {
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return request + "\r\n" + std::string(body);
}

}  // namespace matrix::mock::testing
