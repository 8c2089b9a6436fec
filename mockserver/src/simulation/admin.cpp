// The simulation's admin routes under /__admin/sim/: seed users, rooms and events, inspect state
// and the content reports clients sent.
#include <algorithm>
#include <cstdint>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

SimulationAdminResponse bad(const std::string& message) {
    return {400, JsonObject().str("errcode", "M_BAD_JSON").str("error", message).text()};
}

SimulationAdminResponse admin_response(const ResponseDefinition& response) {
    return {response.status, response.body};
}

SimulationAdminResponse add_user(State& state, const rapidjson::Value& body) {
    const auto username = member_string(body, "username");
    if (!username) return bad("field 'username' must be a string");
    const auto password = member_string(body, "password");
    if (!password) return bad("field 'password' must be a string");
    if (body.HasMember("displayname") && !is_client_string(body["displayname"])) {
        return bad("field 'displayname' must be a string");
    }
    const std::string user_id = user_id_for(state, *username);
    const std::size_t colon = user_id.find(':');
    if (colon == std::string::npos || !valid_localpart(user_id.substr(1, colon - 1))) {
        return bad("field 'username' is not a valid localpart: '" + *username + "'");
    }
    if (state.users.contains(user_id)) {
        return {400, JsonObject()
                         .str("errcode", "M_USER_IN_USE")
                         .str("error", "field 'username': " + user_id + " already exists")
                         .text()};
    }
    const auto displayname = member_string(body, "displayname");
    const auto wanted_device = member_string(body, "device_id");
    const std::size_t cost =
        user_cost(user_id, *password, displayname.value_or(default_displayname(user_id))) +
        login_cost(user_id, wanted_device);
    if (Reply full = refuse_if_full(state, cost)) return admin_response(*full);
    User& user = create_user(state, user_id, *password, false);
    if (displayname) {
        release(state, user.displayname.size());
        charge(state, displayname->size());
        user.displayname = *displayname;
    }
    std::string device_id;
    const std::string token = login(state, user_id, wanted_device, device_id);
    return {200, JsonObject()
                     .str("user_id", user_id)
                     .str("access_token", token)
                     .str("device_id", device_id)
                     .text()};
}

SimulationAdminResponse add_room(State& state, const rapidjson::Value& body) {
    const auto creator = member_string(body, "creator");
    if (!creator) return bad("field 'creator' must be a user id string");
    if (!state.users.contains(*creator)) return bad("field 'creator': no user " + *creator);
    auto [room_id, failure] = create_room(state, *creator, body);
    if (failure) return admin_response(*failure);
    return {200, JsonObject().str("room_id", room_id).text()};
}

SimulationAdminResponse add_event(State& state, const std::string& room_id,
                                  const rapidjson::Value& body) {
    if (!state.rooms.contains(room_id)) {
        return {
            404,
            JsonObject().str("errcode", "M_NOT_FOUND").str("error", "no room " + room_id).text()};
    }
    const auto sender = member_string(body, "sender");
    if (!sender) return bad("field 'sender' must be a user id string");
    const auto type = member_string(body, "type");
    if (!type) return bad("field 'type' must be a string");
    const auto content = body.FindMember("content");
    if (content == body.MemberEnd() || !content->value.IsObject()) {
        return bad("field 'content' must be an object");
    }
    std::optional<std::string> state_key;
    if (body.HasMember("state_key")) {
        state_key = member_string(body, "state_key");
        if (!state_key) return bad("field 'state_key' must be a string");
    }
    std::string content_text = to_text(content->value);
    if (Reply full = refuse_if_full(
            state, event_cost(state, room_id, *sender, *type, content_text, state_key))) {
        return admin_response(*full);
    }
    const std::size_t index =
        append_event(state, room_id, *sender, *type, std::move(content_text), state_key);
    return {200, JsonObject().str("event_id", state.events[index].event_id).text()};
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
    if (users) return add_user(state, *json);
    if (rooms) return add_room(state, *json);
    return add_event(state, path[1], *json);
}

}  // namespace matrix::mock::sim
