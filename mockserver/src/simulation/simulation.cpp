// The Simulation facade: routes each request to its endpoint group under one lock.
#include "matrix/mock/simulation.hpp"

#include <condition_variable>

#include "matrix/percent_encoding.hpp"
#include "simulation/state.hpp"

namespace matrix::mock {

struct Simulation::State : sim::State {
    using sim::State::State;
};

namespace {

// Splits "/a/b%3Ac/" into {"a", "b:c", ""}; nullopt when a segment has a bad escape.
std::optional<std::vector<std::string>> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        auto decoded = percent_decode(std::string_view(path).substr(start, end - start));
        if (!decoded) return std::nullopt;
        segments.push_back(std::move(*decoded));
        start = end + 1;
    }
    return segments;
}

}  // namespace

Simulation::Simulation(SimulationOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

Simulation::~Simulation() {
    reset();  // answers every held sync while the state is whole
    state_->timers.stop();
}

SimulationDispatch Simulation::handle_async(const JournalEntry& request, SimulationCallback done) {
    if (request.raw_path.empty() || request.raw_path.front() != '/') return {};
    auto segments = split_path(request.raw_path);
    if (!segments || segments->size() < 3 || (*segments)[0] != "_matrix") return {};
    const std::string area = (*segments)[1];
    const std::string version = (*segments)[2];
    sim::Call call{request, request.method, {}, {}};
    call.done = &done;
    std::unique_lock lock(state_->mutex);
    sim::Reply reply;
    if (area == "client" && version == "versions" && segments->size() == 3) {
        reply = sim::handle_versions(*state_, call);
    } else if (area == "client" && (version == "r0" || version == "v3")) {
        call.path.assign(segments->begin() + 3, segments->end());
        reply = sim::handle_accounts(*state_, call);
        if (!reply) reply = sim::handle_settings(*state_, call);
        if (!reply) reply = sim::handle_rooms(*state_, call);
        if (!reply) reply = sim::handle_events(*state_, call);
        if (!reply) reply = sim::handle_devices(*state_, call);
        if (!reply) reply = sim::handle_sync(*state_, call);
    } else if (area == "media" && (version == "r0" || version == "v3")) {
        call.path.assign(segments->begin() + 3, segments->end());
        reply = sim::handle_media(*state_, call, false);
    } else if (area == "client" && version == "v1" && segments->size() > 4 &&
               (*segments)[3] == "media") {
        call.path.assign(segments->begin() + 4, segments->end());
        reply = sim::handle_media(*state_, call, true);
    }
    if (!reply) return {};
    const SimulationDispatch dispatch{true, call.held};
    if (call.held == 0) {
        // This request's own answer first: its latency must not include the held syncs it wakes.
        lock.unlock();
        done(SimulatedResponse{std::move(*reply), std::move(call.flags)});
        lock.lock();
    }
    sim::settle(*state_, lock);
    return dispatch;
}

std::optional<SimulatedResponse> Simulation::handle(const JournalEntry& request) {
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<SimulatedResponse> answer;
    const SimulationDispatch dispatch = handle_async(request, [&](SimulatedResponse response) {
        std::lock_guard lock(mutex);
        answer = std::move(response);
        answered.notify_all();
    });
    if (!dispatch.handled) return std::nullopt;
    std::unique_lock lock(mutex);
    answered.wait(lock, [&] { return answer.has_value(); });
    return answer;
}

void Simulation::release(std::uint64_t held) {
    std::unique_lock lock(state_->mutex);
    sim::answer_waiter(*state_, held);
    sim::deliver_ready(*state_, lock);
}

std::size_t Simulation::held_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->waiters.size();
}

std::optional<SimulationAdminResponse> Simulation::handle_admin(const std::string& method,
                                                                const std::string& path,
                                                                const std::string& body) {
    static constexpr std::string_view kPrefix = "/__admin/sim/";
    if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
    // The HTTP layer hands over the path already decoded; split it as it is.
    std::vector<std::string> segments;
    std::size_t start = kPrefix.size();
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    std::unique_lock lock(state_->mutex);
    std::optional<SimulationAdminResponse> response;
    if (method == "POST" && segments.size() == 1 && segments[0] == "reset") {
        state_->clear();
        response = SimulationAdminResponse{200, "{}"};
    } else {
        response = sim::handle_sim_admin(*state_, method, segments, body);
    }
    sim::settle(*state_, lock);
    return response;
}

void Simulation::reset() {
    std::unique_lock lock(state_->mutex);
    state_->clear();
    sim::settle(*state_, lock);
}

}  // namespace matrix::mock
