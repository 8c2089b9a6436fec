// MockHomeserver's typed seeding: each call forwards to the simulation, which must be on.
#include "matrix/mock/homeserver.hpp"

namespace matrix::mock {

namespace {

Simulation& simulation_of(MockHomeserver& server) {
    if (Simulation* simulation = server.simulation()) return *simulation;
    // In-process the simulation is off unless asked for, so this is the likely first mistake.
    throw SeedError({},
                    "the simulation is off, so there is nothing to seed: construct the server "
                    "with MockHomeserverOptions{.simulation = true}",
                    "M_UNRECOGNIZED", 404);
}

}  // namespace

Session MockHomeserver::add_user(std::string_view name, std::string_view password,
                                 SeedUserOptions options) {
    return simulation_of(*this).add_user(name, password, std::move(options));
}

std::string MockHomeserver::create_room(std::string_view creator, const SeedRoomOptions& options) {
    return simulation_of(*this).create_room(creator, options);
}

std::string MockHomeserver::create_room(const Session& creator, const SeedRoomOptions& options) {
    return simulation_of(*this).create_room(creator, options);
}

std::string MockHomeserver::send(std::string_view room_id, std::string_view sender,
                                 std::string_view text) {
    return simulation_of(*this).send(room_id, sender, text);
}

std::string MockHomeserver::inject_event(std::string_view room_id, std::string_view sender,
                                         std::string_view type, const Json& content,
                                         std::optional<std::string> state_key) {
    return simulation_of(*this).inject_event(room_id, sender, type, content, std::move(state_key));
}

}  // namespace matrix::mock
