// Pushers: each user's list, set, replaced and deleted through /pushers/set. Nothing is pushed;
// the simulation keeps them so a client finds what it registered.
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

using PusherKey = std::tuple<std::string, std::string, std::string>;  // user, app_id, pushkey

std::size_t pusher_cost(const PusherKey& key, const std::string& json) {
    const auto& [user_id, app_id, pushkey] = key;
    return entry_cost(4 * sizeof(std::string), {user_id, app_id, pushkey, json});
}

void erase_pusher(State& state, std::map<PusherKey, std::string>::iterator it) {
    release(state, pusher_cost(it->first, it->second));
    state.pushers.erase(it);
}

Reply list_pushers(const State& state, const std::string& user_id) {
    std::vector<std::string> pushers;
    for (auto it = state.pushers.lower_bound({user_id, "", ""});
         it != state.pushers.end() && std::get<0>(it->first) == user_id; ++it) {
        pushers.push_back(it->second);
    }
    return ok(JsonObject().raw("pushers", json_array(pushers)).text());
}

Reply set_pusher(State& state, const Call& call, const std::string& user_id) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto kind = body->FindMember("kind");
    const bool deleting = kind != body->MemberEnd() && kind->value.IsNull();
    // The spec requires kind, app_id and pushkey always, and four more unless deleting; the
    // error names every missing one, as Synapse's does.
    std::vector<std::string> required = {"kind", "app_id", "pushkey"};
    if (!deleting) {
        required.insert(required.end(),
                        {"app_display_name", "device_display_name", "lang", "data"});
    }
    std::string missing;
    for (const std::string& name : required) {
        if (!body->HasMember(name.c_str())) missing += (missing.empty() ? "" : ", ") + name;
    }
    if (!missing.empty()) return error("M_MISSING_PARAM", "Missing parameters: " + missing, 400);
    const auto app_id = member_string(*body, "app_id");
    const auto pushkey = member_string(*body, "pushkey");
    if (!app_id || !pushkey) {
        return error("M_INVALID_PARAM", "app_id and pushkey must be strings", 400);
    }
    const PusherKey key{user_id, *app_id, *pushkey};
    if (deleting) {
        if (const auto it = state.pushers.find(key); it != state.pushers.end()) {
            erase_pusher(state, it);
        }
        return ok("{}");
    }
    const auto kind_text = member_string(*body, "kind");
    if (kind_text != "http" && kind_text != "email") {
        return error("M_INVALID_PARAM", "kind must be http, email or null", 400);
    }
    const auto data = body->FindMember("data");
    if (!data->value.IsObject()) return error("M_INVALID_PARAM", "data must be an object", 400);
    if (kind_text == "http" && !member_string(data->value, "url")) {
        return error("M_MISSING_PARAM", "data.url is required for http pushers", 400);
    }
    JsonObject pusher;
    pusher.str("pushkey", *pushkey).str("kind", *kind_text).str("app_id", *app_id);
    for (const char* name : {"app_display_name", "device_display_name", "profile_tag", "lang"}) {
        const auto value = member_string(*body, name);
        if (body->HasMember(name) && !value) {
            return error("M_INVALID_PARAM", std::string(name) + " must be a string", 400);
        }
        if (value) pusher.str(name, *value);
    }
    const std::string json = pusher.raw("data", to_text(data->value)).text();
    // Without append, this pusher replaces any other user's with the same app_id and pushkey.
    const bool append = body->HasMember("append") && (*body)["append"].IsTrue();
    std::vector<std::map<PusherKey, std::string>::iterator> others;
    if (!append) {
        for (auto it = state.pushers.begin(); it != state.pushers.end(); ++it) {
            if (std::get<1>(it->first) == *app_id && std::get<2>(it->first) == *pushkey &&
                std::get<0>(it->first) != user_id) {
                others.push_back(it);
            }
        }
    }
    // Counted in full even when it replaces an older pusher, as account data is.
    if (Reply full = refuse_if_full(state, pusher_cost(key, json))) return full;
    for (const auto& other : others) erase_pusher(state, other);
    if (const auto old = state.pushers.find(key); old != state.pushers.end()) {
        erase_pusher(state, old);
    }
    state.pushers.emplace(key, json);
    charge(state, pusher_cost(key, json));
    return ok("{}");
}

}  // namespace

Reply handle_pushers(State& state, Call& call) {
    const auto& p = call.path;
    const bool list = p.size() == 1 && p[0] == "pushers" && call.method == "GET";
    const bool set = p.size() == 2 && p[0] == "pushers" && p[1] == "set" && call.method == "POST";
    if (!list && !set) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (list) return list_pushers(state, auth.device->user_id);
    return set_pusher(state, call, auth.device->user_id);
}

}  // namespace matrix::mock::sim
