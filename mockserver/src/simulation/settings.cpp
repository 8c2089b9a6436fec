// Discovery and per-user settings: /versions, capabilities, filters, account data. Push rules
// are push_rules.cpp's; their m.push_rules account data is read here and written only there.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

Reply handle_versions(State& state, Call& call) {
    if (call.method != "GET") return std::nullopt;
    std::vector<std::string> versions = {"\"r0.5.0\"", "\"r0.6.0\"", "\"r0.6.1\""};
    if (state.options.versions == VersionsProfile::v1_1) versions.push_back("\"v1.1\"");
    if (state.options.versions == VersionsProfile::latest) {
        for (int minor = 1; minor <= 11; ++minor) {
            versions.push_back("\"v1." + std::to_string(minor) + "\"");
        }
    }
    return ok(
        JsonObject().raw("versions", json_array(versions)).raw("unstable_features", "{}").text());
}

Reply handle_settings(State& state, Call& call) {
    const auto& p = call.path;
    const bool capabilities = p.size() == 1 && p[0] == "capabilities" && call.method == "GET";
    const bool user_scoped =
        p.size() >= 3 && p[0] == "user" && (p[2] == "filter" || p[2] == "account_data");
    // user/{userId}/rooms/{roomId}/account_data/{type}
    const bool room_data =
        p.size() == 6 && p[0] == "user" && p[2] == "rooms" && p[4] == "account_data";
    if (!capabilities && !user_scoped && !room_data) return std::nullopt;

    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device& device = *auth.device;

    if (capabilities) {
        return ok(R"({"capabilities":{"m.change_password":{"enabled":true},)"
                  R"("m.room_versions":{"default":"10","available":{"1":"stable","2":"stable",)"
                  R"("3":"stable","4":"stable","5":"stable","6":"stable","7":"stable",)"
                  R"("8":"stable","9":"stable","10":"stable","11":"stable"}},)"
                  R"("m.set_displayname":{"enabled":true},"m.set_avatar_url":{"enabled":true},)"
                  R"("m.3pid_changes":{"enabled":true},"m.get_login_token":{"enabled":true}}})");
    }
    if (p[1] != device.user_id) {
        return error("M_FORBIDDEN", "Cannot access another user's settings", 403);
    }
    User& user = state.users[device.user_id];

    if (user_scoped && p[2] == "filter") {
        if (p.size() == 3 && call.method == "POST") {
            const auto body = parse_object(call.entry.body);
            if (!body) return error("M_NOT_JSON", "The filter is not a JSON object", 400);
            std::string filter = to_text(*body);
            const std::size_t cost = sizeof(std::string) + filter.size();  // a vector slot
            if (Reply full = refuse_if_full(state, cost)) return full;
            user.filters.push_back(std::move(filter));
            charge(state, cost);
            return ok(
                JsonObject().str("filter_id", std::to_string(user.filters.size() - 1)).text());
        }
        if (p.size() == 4 && call.method == "GET") {
            for (std::size_t i = 0; i < user.filters.size(); ++i) {
                if (std::to_string(i) == p[3]) return ok(user.filters[i]);
            }
            return error("M_NOT_FOUND", "No such filter", 404);
        }
        return std::nullopt;
    }

    // Account data: user/{userId}/account_data/{type} or
    // user/{userId}/rooms/{roomId}/account_data/{type}.
    std::string room_id;
    std::string type;
    if (room_data) {
        room_id = p[3];
        type = p[5];
    } else if (p.size() == 4) {
        type = p[3];
    } else {
        return std::nullopt;
    }
    // The push rules are the server's to write (the /pushrules operations), so that the ruleset
    // is never one a client could not have set through them.
    const bool push_rules = room_id.empty() && type == "m.push_rules";
    if (call.method == "PUT") {
        if (push_rules) {
            return error("M_BAD_JSON",
                         "Cannot set m.push_rules through this API; use the /pushrules "
                         "operations",
                         405);
        }
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "Account data must be a JSON object", 400);
        std::string content = to_text(*body);
        // Counted in full even when it replaces older content: simpler, and only matters at
        // the very edge of the cap.
        if (Reply full = refuse_if_full(state, account_data_cost(room_id, type, content))) {
            return full;
        }
        set_account_data(state, user, room_id, type, std::move(content));
        return ok("{}");
    }
    if (call.method == "GET") {
        if (push_rules) return ok(push_rules_of(user));
        if (room_id.empty()) {
            const auto it = user.account_data.find(type);
            if (it != user.account_data.end()) return ok(it->second.content);
        } else {
            const auto it = user.room_account_data.find({room_id, type});
            if (it != user.room_account_data.end()) return ok(it->second.content);
        }
        return error("M_NOT_FOUND", "Account data not found", 404);
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
