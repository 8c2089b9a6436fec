// Why a TCP connection could not be made: refused, unresolvable, unreachable or timed out.
#pragma once

#include <chrono>
#include <string>

#include "matrix/client.hpp"

namespace matrix::detail {

struct ConnectFailure {
    TransportErrorKind kind = TransportErrorKind::connection_failed;
    std::string reason;  // e.g. "connection refused (is a server listening at 127.0.0.1:1?)"
};

// cpp-httplib reports every failed connect as one error code without the errno, so this makes
// one more connection attempt of its own to learn the cause. Bounded by `timeout`.
ConnectFailure diagnose_connect_failure(const std::string& host, int port,
                                        const std::string& host_port,
                                        std::chrono::milliseconds timeout);

}  // namespace matrix::detail
