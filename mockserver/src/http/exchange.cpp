// Exchanges: the first answer wins, and it travels to the connection's loop to be written.
#include "http/exchange.hpp"

#include "http/connection.hpp"
#include "http/event_loop.hpp"
#include "http/server_core.hpp"

namespace matrix::mock::http {
namespace detail {
namespace {

// Small answers go out as one buffer (one write); larger bodies are written from their own
// buffer, uncopied.
constexpr std::size_t kCoalesceBelow = 16 * 1024;

void post_delivery(const ExchangeState& state, std::vector<SharedBytes> chunks, bool close) {
    state.loop->post([connection = state.connection, serial = state.serial,
                      chunks = std::move(chunks), close]() mutable {
        if (const auto alive = connection.lock()) alive->deliver(serial, std::move(chunks), close);
    });
}

}  // namespace

ExchangeState::ExchangeState(std::shared_ptr<ServerCore> core_ptr,
                             std::shared_ptr<EventLoop> loop_ptr,
                             std::weak_ptr<Connection> connection_ptr, std::uint64_t serial_number,
                             ResponseFraming base_framing)
    : core(std::move(core_ptr)),
      loop(std::move(loop_ptr)),
      connection(std::move(connection_ptr)),
      serial(serial_number),
      framing(base_framing) {
    ++core->held;
}

ExchangeState::~ExchangeState() {
    if (answered) return;
    --core->held;
    Response response;
    response.status = 500;
    response.headers.push_back({"Content-Type", "application/json"});
    response.body = SharedBytes(std::string(
        R"json({"errcode":"M_UNKNOWN","error":"the mock server dropped this request without an answer (a bug: please report it)"})json"));
    bool close = false;
    post_delivery(*this, serialize(std::move(response), framing, close), close);
}

void ExchangeState::abandon() {
    std::function<void()> hook;
    {
        std::lock_guard lock(mutex);
        if (answered || abandoned) return;
        abandoned = true;
        hook = std::move(on_abandoned);
    }
    if (hook) core->workers.submit(std::move(hook));
}

std::vector<SharedBytes> serialize(Response response, ResponseFraming framing, bool& close) {
    response.status = writable_status(response.status);
    framing.close = framing.close || response.close;
    close = framing.close;
    std::string head =
        response_head(response.status, response.headers, response.body.size(), framing);
    std::vector<SharedBytes> chunks;
    if (framing.head_request || !status_has_body(response.status) || response.body.empty()) {
        chunks.emplace_back(std::move(head));
    } else if (response.body.size() < kCoalesceBelow) {
        head.reserve(head.size() + response.body.size());
        head += response.body.view();
        chunks.emplace_back(std::move(head));
    } else {
        chunks.emplace_back(std::move(head));
        chunks.push_back(std::move(response.body));
    }
    return chunks;
}

Response response_for(const Refusal& refusal) {
    Response response;
    response.status = refusal.status;
    response.headers.push_back({"Content-Type", "application/json"});
    if (refusal.retry_after_ms) {
        const std::int64_t seconds = (*refusal.retry_after_ms + 999) / 1000;
        response.headers.push_back({"Retry-After", std::to_string(seconds)});
    }
    response.body = SharedBytes(refusal.body());
    response.close = refusal.close_connection;
    return response;
}

}  // namespace detail

bool Exchange::respond(Response response) const {
    bool gone = false;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->answered) return false;
        state_->answered = true;
        state_->on_abandoned = nullptr;
        gone = state_->abandoned;
    }
    --state_->core->held;
    bool close = false;
    std::vector<SharedBytes> chunks =
        detail::serialize(std::move(response), state_->framing, close);
    detail::post_delivery(*state_, std::move(chunks), close);
    return !gone;
}

void Exchange::break_connection(Breakage how) const {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->answered) return;
        state_->answered = true;
        state_->on_abandoned = nullptr;
    }
    --state_->core->held;
    state_->loop->post([connection = state_->connection, serial = state_->serial, how] {
        if (const auto alive = connection.lock()) alive->break_connection(serial, how);
    });
}

void Exchange::on_abandoned(std::function<void()> hook) const {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->answered) return;
        if (!state_->abandoned) {
            state_->on_abandoned = std::move(hook);
            return;
        }
    }
    hook();
}

bool Exchange::abandoned() const {
    std::lock_guard lock(state_->mutex);
    return state_->abandoned;
}

}  // namespace matrix::mock::http
