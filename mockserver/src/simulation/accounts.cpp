// Accounts: register (with user-interactive auth), login, logout, whoami, profile.
#include <cctype>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// Whether the client asked for a refresh token (`"refresh_token": true`).
bool wants_refresh(const rapidjson::Value& body) {
    return body.HasMember("refresh_token") && body["refresh_token"].IsTrue();
}

// What a login (or a registration that logs in) stores: a device, maybe its display name
// (initial_device_display_name), and maybe a refresh token.
std::size_t session_cost(const std::string& user_id, const rapidjson::Value& body) {
    const auto device_id = member_string(body, "device_id");
    const Device device{user_id, device_id && !device_id->empty()
                                     ? *device_id
                                     : std::string(kDeviceIdRandomChars, 'd')};
    const auto name = member_string(body, "initial_device_display_name");
    return login_cost(user_id, device_id) + (name ? device_name_cost(device, *name) : 0) +
           (wants_refresh(body) ? refresh_token_cost(user_id, device.device_id) : 0);
}

// Logs the user in on the device the body asks for, or a new one (the caller checked
// session_cost), and answers as login does. The login request is the device's first sighting.
ResponseDefinition start_session(State& state, const Call& call, const std::string& user_id,
                                 const rapidjson::Value& body) {
    const auto device_id = member_string(body, "device_id");
    // The spec ignores the display name for a device the user already has.
    const auto known = state.tokens_of_user.find(user_id);
    const bool existing =
        device_id && known != state.tokens_of_user.end() && known->second.contains(*device_id);
    std::string device;
    const std::string token = login(state, user_id, device_id, device);
    mark_seen(state.tokens.at(token), call.entry.remote);
    if (const auto name = member_string(body, "initial_device_display_name"); name && !existing) {
        set_device_name(state, Device{user_id, device}, *name);
    }
    JsonObject reply;
    reply.str("user_id", user_id)
        .str("access_token", token)
        .str("device_id", device)
        .str("home_server", state.options.server_name);
    if (wants_refresh(body)) add_refresh_token(state, Device{user_id, device}, token, reply);
    return ok(reply.text());
}

Reply register_user(State& state, Call& call) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const bool guest = query(call, "kind").value_or("user") == "guest";
    const bool inhibit = body->HasMember("inhibit_login") && (*body)["inhibit_login"].IsTrue();
    std::string localpart;
    if (!guest) {
        const auto auth = body->FindMember("auth");
        if (auth == body->MemberEnd() || !auth->value.IsObject()) {
            // The challenge's session is kept, so it is a write too.
            if (Reply full = refuse_if_full(state, uia_session_cost())) return full;
            return ok(uia_challenge(state, R"([{"stages":["m.login.dummy"]}])"), 401);
        }
        const auto type = member_string(auth->value, "type");
        if (type != "m.login.dummy") {
            return error("M_UNRECOGNIZED", "Only the m.login.dummy stage is offered", 400);
        }
    }
    localpart = member_string(*body, "username").value_or("");
    if (localpart.empty()) localpart = (guest ? "guest_" : "user_") + random_id(state, 8);
    for (char& c : localpart) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!valid_localpart(localpart)) {
        return error("M_INVALID_USERNAME", "The username has forbidden characters", 400);
    }
    const std::string user_id = user_id_for(state, localpart);
    if (state.users.contains(user_id)) return error("M_USER_IN_USE", "User ID already taken", 400);
    std::string password = member_string(*body, "password").value_or("");
    const std::size_t cost = user_cost(user_id, password, default_displayname(user_id)) +
                             (inhibit ? 0 : session_cost(user_id, *body));
    if (Reply full = refuse_if_full(state, cost)) return full;
    create_user(state, user_id, std::move(password), guest);
    if (inhibit) return ok(JsonObject().str("user_id", user_id).text());
    return start_session(state, call, user_id, *body);
}

// m.login.token: a token from POST /login/get_token or the SSO redirect, good once.
Reply log_in_with_token(State& state, const Call& call, const rapidjson::Value& body) {
    const auto token = member_string(body, "token");
    if (!token) return error("M_MISSING_PARAM", "token is required for m.login.token", 400);
    // Costed with the token's user before the token is taken, so a full state keeps it.
    const auto pending = state.login_tokens.find(*token);
    if (pending != state.login_tokens.end()) {
        if (Reply full = refuse_if_full(state, session_cost(pending->second.first, body))) {
            return full;
        }
    }
    const auto user_id = redeem_login_token(state, *token);
    if (!user_id) return error("M_FORBIDDEN", "Invalid, used or expired login token", 403);
    const auto user = state.users.find(*user_id);
    if (user == state.users.end() || user->second.deactivated) {
        return error("M_USER_DEACTIVATED", "This account has been deactivated", 403);
    }
    return start_session(state, call, *user_id, body);
}

Reply log_in(State& state, Call& call) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto type = member_string(*body, "type");
    if (type == "m.login.token") return log_in_with_token(state, call, *body);
    if (type != "m.login.password") {
        return error("M_UNKNOWN", "Only m.login.password and m.login.token are supported", 400);
    }
    std::optional<std::string> name = member_string(*body, "user");  // the legacy form
    if (const auto identifier = body->FindMember("identifier");
        identifier != body->MemberEnd() && identifier->value.IsObject()) {
        const auto kind = member_string(identifier->value, "type");
        if (kind == "m.id.thirdparty" || kind == "m.id.phone") {
            return error("M_FORBIDDEN", "No third-party identifiers are bound here", 403);
        }
        if (kind != "m.id.user") return error("M_UNKNOWN", "Unknown identifier type", 400);
        name = member_string(identifier->value, "user");
    }
    if (!name) return error("M_MISSING_PARAM", "No user given", 400);
    std::string lowered = *name;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string user_id = user_id_for(state, lowered);
    const auto user = state.users.find(user_id);
    const auto password = member_string(*body, "password");
    if (user == state.users.end() || user->second.deactivated || user->second.guest || !password ||
        *password != user->second.password) {
        return error("M_FORBIDDEN", "Invalid username or password", 403);
    }
    if (Reply full = refuse_if_full(state, session_cost(user_id, *body))) return full;
    return start_session(state, call, user_id, *body);
}

// Logout deletes the device (or all of the user's), as the spec says.
void drop_devices(State& state, const Device& device, bool all_devices) {
    std::vector<std::string> device_ids{device.device_id};
    if (all_devices) {
        for (const Device& other : devices_of(state, device.user_id))
            device_ids.push_back(other.device_id);
    }
    forget_devices(state, device.user_id, device_ids);
}

std::vector<std::string> joined_rooms(const State& state, const std::string& user_id) {
    std::vector<std::string> rooms;
    for (const auto& [room_id, room] : state.rooms) {
        const auto it = room.membership.find(user_id);
        if (it != room.membership.end() && it->second == "join") rooms.push_back(room_id);
    }
    return rooms;
}

Reply profile(State& state, Call& call) {
    const auto& p = call.path;
    const auto user = state.users.find(p[1]);
    if (call.method == "GET") {
        if (user == state.users.end()) return error("M_NOT_FOUND", "Profile not found", 404);
        JsonObject out;
        const bool all = p.size() == 2;
        if ((all || p[2] == "displayname") && !user->second.displayname.empty()) {
            out.str("displayname", user->second.displayname);
        }
        if ((all || p[2] == "avatar_url") && !user->second.avatar_url.empty()) {
            out.str("avatar_url", user->second.avatar_url);
        }
        return ok(out.text());
    }
    const bool remove = call.method == "DELETE";
    if ((call.method != "PUT" && !remove) || p.size() != 3) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (auth.device->user_id != p[1] || user == state.users.end()) {
        return error("M_FORBIDDEN", "Cannot change another user's profile", 403);
    }
    std::optional<std::string> value;
    if (remove) {
        // Only these two fields are kept, so any other is already absent: the spec's 200.
        if (p[2] != "displayname" && p[2] != "avatar_url") return ok("{}");
        value = "";
    } else {
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
        value = member_string(*body, p[2].c_str());
        if (!value) return error("M_BAD_JSON", p[2] + " must be a string", 400);
    }
    const bool displayname = p[2] == "displayname";
    std::string& field = displayname ? user->second.displayname : user->second.avatar_url;
    if (remove && field.empty()) return ok("{}");  // nothing to delete, no member events
    // Each joined room gets its member event again so the new profile shows up, as Synapse
    // does; the whole change is costed before any of it is stored.
    const std::string content = join_content(displayname ? *value : user->second.displayname,
                                             displayname ? user->second.avatar_url : *value);
    const std::vector<std::string> rooms = joined_rooms(state, p[1]);
    std::size_t cost = value->size();
    for (const std::string& room_id : rooms) {
        cost += event_cost(state, room_id, p[1], "m.room.member", content, p[1]);
    }
    if (Reply full = refuse_if_full(state, cost)) return full;
    release(state, field.size());
    charge(state, value->size());
    field = *value;
    for (const std::string& room_id : rooms) {
        append_event(state, room_id, p[1], "m.room.member", content, p[1]);
    }
    return ok("{}");
}

}  // namespace

Reply handle_accounts(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    if (p.size() == 1 && p[0] == "register" && m == "POST") return register_user(state, call);
    if (p.size() == 2 && p[0] == "register" && p[1] == "available" && m == "GET") {
        const std::string name = query(call, "username").value_or("");
        if (!valid_localpart(name)) {
            return error("M_INVALID_USERNAME", "The username has forbidden characters", 400);
        }
        if (state.users.contains(user_id_for(state, name))) {
            return error("M_USER_IN_USE", "User ID already taken", 400);
        }
        return ok(R"({"available":true})");
    }
    if (p.size() == 1 && p[0] == "login") {
        if (m == "GET") {
            return ok(R"({"flows":[{"type":"m.login.password"},)" + sso_flow() +
                      R"(,{"type":"m.login.token","get_login_token":true}]})");
        }
        if (m == "POST") return log_in(state, call);
        return std::nullopt;
    }
    if (p.size() >= 2 && p.size() <= 3 && p[0] == "profile") {
        if (p.size() == 3 && p[2] != "displayname" && p[2] != "avatar_url" && m != "DELETE") {
            return std::nullopt;
        }
        return profile(state, call);
    }
    const bool whoami = p.size() == 2 && p[0] == "account" && p[1] == "whoami" && m == "GET";
    const bool logout = !p.empty() && p[0] == "logout" && m == "POST" &&
                        (p.size() == 1 || (p.size() == 2 && p[1] == "all"));
    if (!whoami && !logout) return std::nullopt;

    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    User& user = state.users[device.user_id];
    if (whoami) {
        return ok(JsonObject()
                      .str("user_id", device.user_id)
                      .str("device_id", device.device_id)
                      .boolean("is_guest", user.guest)
                      .text());
    }
    drop_devices(state, device, p.size() == 2);
    return ok("{}");
}

}  // namespace matrix::mock::sim
