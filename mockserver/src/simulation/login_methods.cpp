// Ways to log in besides a password: single sign-on through a simulated identity provider, and
// OAuth 2.0 server metadata discovery, which the simulation answers as a server without it.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// The one simulated identity provider, and the account every SSO login signs in as.
constexpr std::string_view kIdpId = "sim";
constexpr std::string_view kSsoUser = "sso_user";
constexpr std::size_t kSsoPasswordChars = 32;

// The identity provider approves at once (there is no page to fill in): the browser goes
// straight back to the client with a login token for m.login.token, as after a real SSO login.
Reply sso_redirect(State& state, const Call& call) {
    const auto redirect_url = query(call, "redirectUrl");
    if (!redirect_url) return error("M_MISSING_PARAM", "redirectUrl is required", 400);
    const std::string user_id = user_id_for(state, kSsoUser);
    const bool first_use = !state.users.contains(user_id);
    const std::string password(kSsoPasswordChars, 'p');  // only its length is costed here
    const std::size_t cost =
        (first_use ? user_cost(user_id, password, default_displayname(user_id)) : 0) +
        login_token_cost(user_id);
    if (Reply full = refuse_if_full(state, cost)) return full;
    // A random password: the account is the identity provider's, never a password login's.
    if (first_use) create_user(state, user_id, random_id(state, kSsoPasswordChars), false);
    std::int64_t lifetime = 0;
    const std::string token = issue_login_token(state, user_id, lifetime);
    const char separator = redirect_url->find('?') == std::string::npos ? '?' : '&';
    ResponseDefinition response;
    response.status = 302;
    response.headers.push_back({"Location", *redirect_url + separator + "loginToken=" + token});
    return response;
}

}  // namespace

std::string sso_flow() {
    return JsonObject()
        .str("type", "m.login.sso")
        .raw("identity_providers",
             json_array({JsonObject().str("id", kIdpId).str("name", "Simulated SSO").text()}))
        .text();
}

Reply handle_login_methods(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "GET") return std::nullopt;
    if (p.size() == 1 && p[0] == "auth_metadata") {
        // The spec's answer for a homeserver that does not support the OAuth 2.0 API; clients
        // then use the legacy login API (GET /login), which the simulation does answer.
        return error("M_UNRECOGNIZED",
                     "The simulation has no OAuth 2.0 authorisation server: log in with the "
                     "legacy API (GET /login lists its flows)",
                     404);
    }
    if (p.size() < 3 || p.size() > 4 || p[0] != "login" || p[1] != "sso" || p[2] != "redirect") {
        return std::nullopt;
    }
    if (p.size() == 4 && p[3] != kIdpId) {
        return error("M_NOT_FOUND", "No identity provider " + p[3] + ": the simulation's is sim",
                     404);
    }
    return sso_redirect(state, call);
}

}  // namespace matrix::mock::sim
