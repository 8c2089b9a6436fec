// What every event loop, connection and exchange of one server shares: options, the handler,
// the worker pool and the counters behind ServerStats.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "http/server.hpp"
#include "http/worker_pool.hpp"

namespace matrix::mock::http {

struct ServerCore {
    ServerCore(ServerOptions opts, Handler& handler_ref, std::size_t limit)
        : options(std::move(opts)),
          handler(handler_ref),
          workers(options.worker_threads),
          connection_limit(limit) {}

    const ServerOptions options;
    Handler& handler;
    WorkerPool workers;
    const std::size_t connection_limit;

    std::atomic<std::size_t> open{0};
    std::atomic<std::size_t> peak{0};
    std::atomic<std::size_t> held{0};
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> refused{0};

    void opened() {
        const std::size_t now = ++open;
        std::size_t seen = peak.load(std::memory_order_relaxed);
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
    }
};

}  // namespace matrix::mock::http
