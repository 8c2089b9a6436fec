// User-interactive auth: the 401 challenges that open a session, and the stages that complete
// it, for operations that ask for the account's password again (add3PID: m.login.password
// only), for those that change an account or its devices (password changes, deactivation,
// device deletion: m.login.password or m.login.dummy), and for account changes made without a
// token, where the stage itself names the account (m.login.password, or for a forgotten
// password m.login.email.identity / m.login.msisdn with a validated 3PID session).
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr std::string_view kPasswordFlows = R"([{"stages":["m.login.password"]}])";
// Without a token, the stages that say whose account it is: the password, or a validated
// email address or phone number (a forgotten password).
constexpr std::string_view kPasswordOrThreepidFlows =
    R"([{"stages":["m.login.password"]},{"stages":["m.login.email.identity"]},)"
    R"({"stages":["m.login.msisdn"]}])";
constexpr std::string_view kPasswordOrDummyFlows =
    R"([{"stages":["m.login.password"]},{"stages":["m.login.dummy"]}])";

// Forgets a completed session, so that sessions do not outlive their operation.
void end_session(State& state, const std::optional<std::string>& session) {
    if (session && state.uia_sessions.erase(*session) > 0) release(state, uia_session_cost());
}

// Whom `auth` names: `identifier.user` (m.id.user) or the legacy `user`; nullopt when neither.
std::optional<std::string> named_user(const State& state, const rapidjson::Value& auth) {
    std::optional<std::string> name = member_string(auth, "user");
    if (const auto identifier = auth.FindMember("identifier");
        identifier != auth.MemberEnd() && identifier->value.IsObject()) {
        name = member_string(identifier->value, "user");
    }
    if (!name) return std::nullopt;
    return user_id_for(state, *name);
}

// A new challenge on a remembered session; the session is a write, so the budget decides.
ResponseDefinition challenge(State& state, std::string_view flows) {
    if (Reply full = refuse_if_full(state, uia_session_cost())) return *full;
    return ok(uia_challenge(state, flows), 401);
}

// The spec's failed stage: 401 again, with the error and the flows still open, on the
// client's session so that it can retry the stage (not a 403 the operations do not list).
ResponseDefinition failed_stage(std::string_view flows, std::string_view errcode,
                                std::string_view message,
                                const std::optional<std::string>& session) {
    JsonObject failed;
    failed.str("errcode", errcode).str("error", message).raw("flows", flows).raw("params", "{}");
    if (session) failed.str("session", *session);
    return ok(failed.text(), 401);
}

}  // namespace

std::size_t uia_session_cost() { return entry_cost(sizeof(std::string), {}) + kUiaSessionChars; }

std::string uia_challenge(State& state, std::string_view flows) {
    const std::string session = random_id(state, kUiaSessionChars);
    state.uia_sessions.insert(session);
    charge(state, uia_session_cost());
    return JsonObject().raw("flows", flows).raw("params", "{}").str("session", session).text();
}

Reply require_password(State& state, const rapidjson::Value& body, const User& user) {
    const auto auth = body.FindMember("auth");
    if (auth == body.MemberEnd() || !auth->value.IsObject())
        return challenge(state, kPasswordFlows);
    const auto session = member_string(auth->value, "session");
    const auto named = named_user(state, auth->value);
    const bool completed = member_string(auth->value, "type") == "m.login.password" &&
                           member_string(auth->value, "password") == user.password &&
                           (!named || *named == user.user_id);
    if (!completed) return failed_stage(kPasswordFlows, "M_FORBIDDEN", "Invalid password", session);
    end_session(state, session);
    return std::nullopt;
}

Reply check_user_interactive_auth(State& state, const rapidjson::Value& body, const User& user) {
    const auto auth = body.FindMember("auth");
    if (auth == body.MemberEnd() || !auth->value.IsObject()) {
        return challenge(state, kPasswordOrDummyFlows);
    }
    const auto session = member_string(auth->value, "session");
    const auto stage = member_string(auth->value, "type");
    if (stage != "m.login.dummy" && stage != "m.login.password") {
        return failed_stage(kPasswordOrDummyFlows, "M_UNRECOGNIZED", "Unsupported auth stage",
                            session);
    }
    if (stage == "m.login.password" && member_string(auth->value, "password") != user.password) {
        return failed_stage(kPasswordOrDummyFlows, "M_FORBIDDEN", "Invalid password", session);
    }
    end_session(state, session);
    return std::nullopt;
}

std::pair<std::string, Reply> identify_by_user_interactive_auth(State& state,
                                                                const rapidjson::Value& body,
                                                                bool allow_threepid) {
    const std::string_view flows = allow_threepid ? kPasswordOrThreepidFlows : kPasswordFlows;
    const auto auth = body.FindMember("auth");
    if (auth == body.MemberEnd() || !auth->value.IsObject()) return {{}, challenge(state, flows)};
    const auto session = member_string(auth->value, "session");
    const auto stage = member_string(auth->value, "type");
    if (stage == "m.login.password") {
        const auto named = named_user(state, auth->value);
        const auto user = named ? state.users.find(*named) : state.users.end();
        if (user == state.users.end() || user->second.deactivated ||
            member_string(auth->value, "password") != user->second.password) {
            return {{},
                    failed_stage(flows, "M_FORBIDDEN", "Invalid username or password", session)};
        }
        end_session(state, session);
        return {user->first, std::nullopt};
    }
    if (allow_threepid && (stage == "m.login.email.identity" || stage == "m.login.msisdn")) {
        const auto creds = auth->value.FindMember("threepid_creds");
        const auto sid = creds != auth->value.MemberEnd() && creds->value.IsObject()
                             ? member_string(creds->value, "sid")
                             : std::nullopt;
        const auto found = sid ? state.threepid_sessions.find(*sid) : state.threepid_sessions.end();
        if (found == state.threepid_sessions.end() ||
            member_string(creds->value, "client_secret") != found->second.client_secret) {
            return {{},
                    failed_stage(flows, "M_THREEPID_AUTH_FAILED",
                                 "No validation session matches threepid_creds", session)};
        }
        const ThreepidSession& validation = found->second;
        if (!validation.validated) {
            return {{},
                    failed_stage(flows, "M_THREEPID_AUTH_FAILED",
                                 "The 3PID has not been validated yet", session)};
        }
        const auto holder = state.threepids.find({validation.medium, validation.address});
        if (holder == state.threepids.end()) {
            return {
                {},
                failed_stage(flows, "M_THREEPID_NOT_FOUND", "No account has this 3PID", session)};
        }
        end_session(state, session);
        return {holder->second.user_id, std::nullopt};
    }
    return {{}, failed_stage(flows, "M_UNRECOGNIZED", "Unsupported auth stage", session)};
}

}  // namespace matrix::mock::sim
