// The simulation's admin routes under /__admin/sim/: seed users, rooms and events, inspect state
// and the content reports clients sent.
#include <algorithm>
#include <cstdint>

#include "simulation/seed_bodies.hpp"
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

SimulationAdminResponse bad(const std::string& message) {
    return {400, JsonObject().str("errcode", "M_BAD_JSON").str("error", message).text()};
}

// The seeding routes read their body into a typed call (seed_bodies.cpp, seeding.cpp): one
// implementation for the routes, the in-process API and seed files.
SimulationAdminResponse seed(State& state, const std::vector<std::string>& path,
                             const rapidjson::Value& body) {
    try {
        if (path.size() == 1 && path[0] == "users") {
            const SeedUserBody user = read_seed_user(body);
            const Session session = seed_user(state, user.username, user.password, user.options);
            return {200, JsonObject()
                             .str("user_id", session.user_id)
                             .str("access_token", session.access_token)
                             .str("device_id", session.device_id)
                             .text()};
        }
        if (path.size() == 1) {
            const SeedRoomBody room = read_seed_room(body);
            return {
                200,
                JsonObject().str("room_id", seed_room(state, room.creator, room.options)).text()};
        }
        const SeedEventBody event = read_seed_event(body);
        return {200, JsonObject()
                         .str("event_id", seed_event(state, path[1], event.sender, event.type,
                                                     event.content, event.state_key))
                         .text()};
    } catch (const AnsweredSeedError& answered) {
        return {answered.status(), answered.body()};
    } catch (const SeedError& refused) {
        return {refused.status(),
                JsonObject().str("errcode", refused.errcode()).str("error", refused.what()).text()};
    }
}

SimulationAdminResponse describe(const State& state) {
    std::vector<std::string> users;
    for (const auto& [user_id, user] : state.users) {
        const std::size_t devices = devices_of(state, user_id).size();
        users.push_back(JsonObject()
                            .str("user_id", user_id)
                            .str("displayname", user.displayname)
                            .boolean("guest", user.guest)
                            .boolean("deactivated", user.deactivated)
                            .num("devices", static_cast<std::int64_t>(devices))
                            .text());
    }
    std::vector<std::string> rooms;
    for (const auto& [room_id, room] : state.rooms) {
        JsonObject members;
        for (const auto& [user_id, value] : room.membership) members.str(user_id, value);
        std::vector<std::string> state_summary;
        for (const auto& [key, index] : room.state) {
            state_summary.push_back(
                JsonObject().str("type", key.first).str("state_key", key.second).text());
        }
        rooms.push_back(JsonObject()
                            .str("room_id", room_id)
                            .raw("members", members.text())
                            .raw("state", json_array(state_summary))
                            .num("event_count", static_cast<std::int64_t>(room.timeline.size()))
                            .text());
    }
    return {200,
            JsonObject()
                .raw("users", json_array(users))
                .raw("rooms", json_array(rooms))
                .num("stream_position", static_cast<std::int64_t>(state.position))
                .num("state_bytes", static_cast<std::int64_t>(state.state_bytes))
                .num("state_capacity_bytes", static_cast<std::int64_t>(std::min<std::size_t>(
                                                 state.options.state_capacity_bytes, INT64_MAX)))
                .text()};
}

}  // namespace

std::optional<SimulationAdminResponse> handle_sim_admin(State& state, const std::string& method,
                                                        const std::vector<std::string>& path,
                                                        const std::string& body) {
    if (method == "GET" && path.size() == 1 && path[0] == "state") return describe(state);
    if (method == "GET" && path.size() == 1 && path[0] == "reports") {
        return SimulationAdminResponse{200, reports_json(state)};
    }
    if (!path.empty() && path[0] == "3pid") return handle_threepid_admin(state, method, path, body);
    const bool users = path.size() == 1 && path[0] == "users";
    const bool rooms = path.size() == 1 && path[0] == "rooms";
    const bool events = path.size() == 3 && path[0] == "rooms" && path[2] == "events";
    if (method != "POST" || (!users && !rooms && !events)) return std::nullopt;
    const auto json = parse_object(body);
    if (!json || body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return bad("the body must be a JSON object");
    }
    return seed(state, path, *json);
}

}  // namespace matrix::mock::sim
