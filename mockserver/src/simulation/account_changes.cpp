// changePassword and deactivateAccount. The spec makes their access token optional: with one,
// the token's user confirms with user-interactive auth (the password, or m.login.dummy); without
// one, the auth stage itself says whose account it is (the password with the user named, or,
// for a forgotten password, a validated email address or phone number on the account).
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// The account whose password or existence changes, and the device asking, if it has a token.
struct Requester {
    std::string user_id;
    std::optional<Device> device;
};

// Every device of the user but `keep` (their tokens and names).
void log_out_devices(State& state, const std::string& user_id, const std::optional<Device>& keep) {
    std::vector<std::string> device_ids;
    for (const Device& device : devices_of(state, user_id)) {
        if (!keep || device.device_id != keep->device_id) device_ids.push_back(device.device_id);
    }
    forget_devices(state, user_id, device_ids);
}

Reply change_password(State& state, const rapidjson::Value& body, const Requester& requester) {
    const auto new_password = member_string(body, "new_password");
    if (!new_password) return error("M_MISSING_PARAM", "new_password is required", 400);
    if (Reply full = refuse_if_full(state, new_password->size())) return full;
    User& user = state.users.at(requester.user_id);
    release(state, user.password.size());
    charge(state, new_password->size());
    user.password = *new_password;
    const bool logout_devices =
        !body.HasMember("logout_devices") || body["logout_devices"].IsTrue();
    if (logout_devices) log_out_devices(state, requester.user_id, requester.device);
    return ok("{}");
}

Reply deactivate(State& state, const Requester& requester) {
    User& user = state.users.at(requester.user_id);
    user.deactivated = true;
    log_out_devices(state, requester.user_id, std::nullopt);
    forget_threepids(state, user);
    forget_key_backups(state, requester.user_id);
    return ok(R"({"id_server_unbind_result":"no-support"})");
}

}  // namespace

Reply handle_account_changes(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "POST" || p.size() != 2 || p[0] != "account" ||
        (p[1] != "password" && p[1] != "deactivate")) {
        return std::nullopt;
    }
    const bool password = p[1] == "password";
    const Auth auth = authenticate(state, call);
    if (!auth.device && !auth.anonymous) return auth.error;  // a token, but a bad one
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);

    Requester requester;
    if (auth.device) {
        requester = {auth.device->user_id, auth.device};
        if (Reply unfinished =
                check_user_interactive_auth(state, *body, state.users.at(requester.user_id))) {
            return unfinished;
        }
    } else {
        auto [user_id, unfinished] =
            identify_by_user_interactive_auth(state, *body, /*allow_threepid=*/password);
        if (unfinished) return unfinished;
        requester.user_id = std::move(user_id);
    }
    return password ? change_password(state, *body, requester) : deactivate(state, requester);
}

}  // namespace matrix::mock::sim
