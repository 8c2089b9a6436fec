// Tokens besides access tokens: refresh tokens (POST /refresh), single-use login tokens for
// m.login.token (POST /login/get_token, and SSO), and the registration-token check.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// Synapse's defaults: refreshable access tokens last 5 minutes, login tokens 2 minutes.
constexpr std::int64_t kRefreshableLifetimeMs = 5 * 60 * 1000;
constexpr std::int64_t kLoginTokenLifetimeMs = 2 * 60 * 1000;

std::string issue_refresh(State& state, const Device& device, const std::string& access_token) {
    const std::string refresh = "syr_" + random_id(state, kRefreshTokenRandomChars);
    state.refresh_tokens[refresh] = device;
    state.refresh_of_device[device.key()] = refresh;
    state.token_expiry[access_token] = now_ms() + kRefreshableLifetimeMs;
    charge(state, refresh_token_cost(device.user_id, device.device_id));
    return refresh;
}

// The old refresh token is revoked as soon as it is used, stricter than the spec's "once the
// new token is used", so that a client re-using it learns so at once.
Reply refresh(State& state, const Call& call) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto token = member_string(*body, "refresh_token");
    if (!token) return error("M_MISSING_PARAM", "refresh_token is required", 400);
    const auto found = state.refresh_tokens.find(*token);
    if (found == state.refresh_tokens.end()) {
        return ResponseDefinition::matrix_error(
            "M_UNKNOWN_TOKEN", "The refresh token is unknown or was already used", {}, true, 401);
    }
    const Device device = found->second;
    // The new access token replaces the old one on the same device, which forgets the old
    // refresh token with it (erase_token); the new pair costs what the old one did.
    std::string device_id;
    const std::string access_token = login(state, device.user_id, device.device_id, device_id);
    const std::string refresh_token = issue_refresh(state, device, access_token);
    return ok(JsonObject()
                  .str("access_token", access_token)
                  .str("refresh_token", refresh_token)
                  .num("expires_in_ms", kRefreshableLifetimeMs)
                  .text());
}

Reply get_login_token(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    if (Reply unfinished = require_password(state, *body, state.users[me.user_id])) {
        return unfinished;
    }
    if (Reply full = refuse_if_full(state, login_token_cost(me.user_id))) return full;
    std::int64_t lifetime = 0;
    const std::string token = issue_login_token(state, me.user_id, lifetime);
    return ok(JsonObject().str("login_token", token).num("expires_in_ms", lifetime).text());
}

}  // namespace

std::size_t refresh_token_cost(std::string_view user_id, std::string_view device_id) {
    const std::string token(4 + kRefreshTokenRandomChars, 'r');
    const std::string key = std::string(user_id) + "|" + std::string(device_id);
    return entry_cost(sizeof(std::string) + sizeof(Device), {token, user_id, device_id}) +
           entry_cost(2 * sizeof(std::string), {key, token}) +
           entry_cost(sizeof(std::string) + sizeof(std::int64_t),
                      {std::string(4 + kAccessTokenRandomChars, 't')});
}

std::size_t login_token_cost(std::string_view user_id) {
    return entry_cost(2 * sizeof(std::string) + sizeof(std::int64_t),
                      {std::string(4 + kLoginTokenRandomChars, 'l'), user_id});
}

void add_refresh_token(State& state, const Device& device, const std::string& access_token,
                       JsonObject& reply) {
    reply.str("refresh_token", issue_refresh(state, device, access_token))
        .num("expires_in_ms", kRefreshableLifetimeMs);
}

std::string issue_login_token(State& state, const std::string& user_id, std::int64_t& lifetime_ms) {
    const std::string token = "syl_" + random_id(state, kLoginTokenRandomChars);
    lifetime_ms = kLoginTokenLifetimeMs;
    state.login_tokens[token] = {user_id, now_ms() + kLoginTokenLifetimeMs};
    charge(state, login_token_cost(user_id));
    return token;
}

std::optional<std::string> redeem_login_token(State& state, const std::string& token) {
    const auto found = state.login_tokens.find(token);
    if (found == state.login_tokens.end()) return std::nullopt;
    auto [user_id, expires_at] = found->second;
    state.login_tokens.erase(found);
    release(state, login_token_cost(user_id));
    if (expires_at <= now_ms()) return std::nullopt;
    return user_id;
}

void forget_refresh_token(State& state, const std::string& access_token, const Device& device) {
    state.token_expiry.erase(access_token);
    const auto refresh = state.refresh_of_device.find(device.key());
    if (refresh == state.refresh_of_device.end()) return;
    state.refresh_tokens.erase(refresh->second);
    state.refresh_of_device.erase(refresh);
    release(state, refresh_token_cost(device.user_id, device.device_id));
}

Reply handle_tokens(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    if (p.size() == 1 && p[0] == "refresh" && m == "POST") return refresh(state, call);
    if (p.size() == 3 && p[0] == "register" && p[1] == "m.login.registration_token" &&
        p[2] == "validity" && m == "GET") {
        if (!query(call, "token")) return error("M_MISSING_PARAM", "token is required", 400);
        // Registration needs no token here (m.login.dummy), so none was ever issued.
        return ok(R"({"valid":false})");
    }
    if (p.size() == 2 && p[0] == "login" && p[1] == "get_token" && m == "POST") {
        const Auth auth = authenticate(state, call);
        if (!auth.device) return auth.error;
        return get_login_token(state, call, *auth.device);
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
