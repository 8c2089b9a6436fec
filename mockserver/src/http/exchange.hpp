// The state one request's Exchange handles share with its connection: whether it was answered,
// whether the client left, and how its answer must be framed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "http/response_writer.hpp"
#include "http/server.hpp"

namespace matrix::mock::http {

class Connection;
class EventLoop;
struct ServerCore;

namespace detail {

struct ExchangeState {
    ExchangeState(std::shared_ptr<ServerCore> core_ptr, std::shared_ptr<EventLoop> loop_ptr,
                  std::weak_ptr<Connection> connection_ptr, std::uint64_t serial_number,
                  ResponseFraming base_framing);
    // A request dropped by its handler without an answer still gets one (500), so its
    // connection is never stuck.
    ~ExchangeState();
    ExchangeState(const ExchangeState&) = delete;
    ExchangeState& operator=(const ExchangeState&) = delete;

    // Called by the connection (loop thread) when the client goes before the answer.
    void abandon();

    const std::shared_ptr<ServerCore> core;
    const std::shared_ptr<EventLoop> loop;
    const std::weak_ptr<Connection> connection;
    const std::uint64_t serial;  // which of the connection's requests this answers
    const ResponseFraming framing;

    std::mutex mutex;
    bool answered = false;
    bool abandoned = false;
    std::function<void()> on_abandoned;
};

// The bytes of `response` for a request framed as `framing`; `close` says whether the
// connection ends after them.
std::vector<SharedBytes> serialize(Response response, ResponseFraming framing, bool& close);

// The answer the server gives for a refusal of its own (or of Handler::check_head).
Response response_for(const Refusal& refusal);

}  // namespace detail
}  // namespace matrix::mock::http
