// Discovery and per-user settings: /versions, capabilities, push rules, filters, account data.
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

namespace {

std::string push_rule(std::string_view rule_id, bool enabled, std::string_view conditions,
                      std::string_view actions) {
    return JsonObject()
        .str("rule_id", rule_id)
        .boolean("default", true)
        .boolean("enabled", enabled)
        .raw("conditions", conditions)
        .raw("actions", actions)
        .text();
}

// The server-default rules clients expect to find (a subset of the spec's list, same shapes).
std::string default_push_rules(const std::string& user_id) {
    const std::string override_rules = json_array({
        push_rule(".m.rule.master", false, "[]", "[]"),
        push_rule(".m.rule.suppress_notices", true,
                  R"([{"kind":"event_match","key":"content.msgtype","pattern":"m.notice"}])", "[]"),
        push_rule(".m.rule.invite_for_me", true,
                  R"([{"kind":"event_match","key":"type","pattern":"m.room.member"},)"
                  R"({"kind":"event_match","key":"content.membership","pattern":"invite"},)"
                  R"({"kind":"event_match","key":"state_key","pattern":)" +
                      quote(user_id) + "}]",
                  R"(["notify",{"set_tweak":"sound","value":"default"}])"),
        push_rule(".m.rule.member_event", true,
                  R"([{"kind":"event_match","key":"type","pattern":"m.room.member"}])", "[]"),
    });
    const std::string underride_rules = json_array({
        push_rule(".m.rule.call", true,
                  R"([{"kind":"event_match","key":"type","pattern":"m.call.invite"}])",
                  R"(["notify",{"set_tweak":"sound","value":"ring"}])"),
        push_rule(".m.rule.room_one_to_one", true,
                  R"([{"kind":"room_member_count","is":"2"},)"
                  R"({"kind":"event_match","key":"type","pattern":"m.room.message"}])",
                  R"(["notify",{"set_tweak":"sound","value":"default"}])"),
        push_rule(".m.rule.message", true,
                  R"([{"kind":"event_match","key":"type","pattern":"m.room.message"}])",
                  R"(["notify"])"),
        push_rule(".m.rule.encrypted", true,
                  R"([{"kind":"event_match","key":"type","pattern":"m.room.encrypted"}])",
                  R"(["notify"])"),
    });
    const std::string global = JsonObject()
                                   .raw("override", override_rules)
                                   .raw("content", "[]")
                                   .raw("room", "[]")
                                   .raw("sender", "[]")
                                   .raw("underride", underride_rules)
                                   .text();
    return JsonObject().raw("global", global).text();
}

}  // namespace

Reply handle_settings(State& state, Call& call) {
    const auto& p = call.path;
    const bool capabilities = p.size() == 1 && p[0] == "capabilities" && call.method == "GET";
    const bool pushrules = !p.empty() && p[0] == "pushrules";
    const bool user_scoped =
        p.size() >= 3 && p[0] == "user" && (p[2] == "filter" || p[2] == "account_data");
    // user/{userId}/rooms/{roomId}/account_data/{type}
    const bool room_data =
        p.size() == 6 && p[0] == "user" && p[2] == "rooms" && p[4] == "account_data";
    if (!capabilities && !pushrules && !user_scoped && !room_data) return std::nullopt;

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
    if (pushrules) {
        if (call.method != "GET") return ok("{}");  // rule edits are accepted and forgotten
        const std::string rules = default_push_rules(device.user_id);
        if (p.size() == 1 || (p.size() == 2 && p[1].empty())) return ok(rules);
        if ((p.size() == 2 || (p.size() == 3 && p[2].empty())) && p[1] == "global") {
            const auto parsed = parse_object(rules);
            return ok(member_text(*parsed, "global", "{}"));
        }
        return error("M_NOT_FOUND", "No such push rule", 404);
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
    if (call.method == "PUT") {
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
