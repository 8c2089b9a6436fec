// User-interactive auth for requests that change an account or its devices: password changes,
// deactivation and device deletion all offer the same two flows and answer alike.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// The 401 every unfinished attempt gets. The session is not kept: a single stage completes
// the auth, so there is nothing to resume. A failed stage adds errcode and error, as the spec's
// user-interactive auth does, rather than a 403 the operations do not list.
ResponseDefinition challenge(State& state, std::string_view errcode = {},
                             std::string_view message = {}) {
    JsonObject out;
    if (!errcode.empty()) out.str("errcode", errcode).str("error", message);
    out.raw("flows", R"([{"stages":["m.login.password"]},{"stages":["m.login.dummy"]}])")
        .raw("params", "{}")
        .str("session", random_id(state, kUiaSessionChars));
    return ok(out.text(), 401);
}

}  // namespace

Reply check_user_interactive_auth(State& state, const rapidjson::Value& body, const User& user) {
    const auto auth = body.FindMember("auth");
    if (auth == body.MemberEnd() || !auth->value.IsObject()) return challenge(state);
    const auto stage = member_string(auth->value, "type");
    if (stage == "m.login.dummy") return std::nullopt;
    if (stage != "m.login.password") {
        return challenge(state, "M_UNRECOGNIZED", "Unsupported auth stage");
    }
    if (member_string(auth->value, "password") != user.password) {
        return challenge(state, "M_FORBIDDEN", "Invalid password");
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
