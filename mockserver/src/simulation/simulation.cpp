// The Simulation facade: routes each request to its endpoint group under one lock.
#include "matrix/mock/simulation.hpp"

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

Simulation::~Simulation() { reset(); }

std::optional<SimulatedResponse> Simulation::handle(const JournalEntry& request) {
    if (request.raw_path.empty() || request.raw_path.front() != '/') return std::nullopt;
    auto segments = split_path(request.raw_path);
    if (!segments || segments->size() < 3 || (*segments)[0] != "_matrix") return std::nullopt;
    const std::string area = (*segments)[1];
    const std::string version = (*segments)[2];
    sim::Call call{request, request.method, {}, {}};
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
        if (!reply) reply = sim::handle_sync(*state_, call, lock);
    } else if (area == "media" && (version == "r0" || version == "v3")) {
        call.path.assign(segments->begin() + 3, segments->end());
        reply = sim::handle_media(*state_, call, false);
    } else if (area == "client" && version == "v1" && segments->size() > 4 &&
               (*segments)[3] == "media") {
        call.path.assign(segments->begin() + 4, segments->end());
        reply = sim::handle_media(*state_, call, true);
    }
    if (!reply) return std::nullopt;
    return SimulatedResponse{std::move(*reply), std::move(call.flags)};
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
    if (method == "POST" && segments.size() == 1 && segments[0] == "reset") {
        state_->clear();
        state_->changed.notify_all();
        return SimulationAdminResponse{200, "{}"};
    }
    return sim::handle_sim_admin(*state_, method, segments, body);
}

void Simulation::reset() {
    std::lock_guard lock(state_->mutex);
    state_->clear();
    state_->changed.notify_all();
}

}  // namespace matrix::mock
