// Third-party identifiers (email addresses, phone numbers): the requestToken operations that
// open a validation session (the token an email or SMS would carry, readable through
// GET /__admin/sim/3pid/tokens), the admin route that stands for following the link, and the
// account's 3PIDs (list, add with user-interactive auth, bind, unbind, delete).
//
// The simulation is its own identity verifier: it sends nothing, and knows no identity server,
// so binds and unbinds at one are answered without effect.
#include <cctype>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// What the requestToken operation is for: the spec asks each to check the address differently.
enum class Purpose { add_to_account, registration, password_reset };

using ThreepidKey = std::pair<std::string, std::string>;  // (medium, address)

// The spec's grammar for client secrets (and session ids): [0-9a-zA-Z.=_-]{1,255}.
bool valid_client_secret(std::string_view secret) {
    if (secret.empty() || secret.size() > 255) return false;
    for (const char c : secret) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '=' && c != '_' &&
            c != '-') {
            return false;
        }
    }
    return true;
}

std::string lowered(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "local@domain", compared case-insensitively as Synapse does; nullopt when it is not one.
std::optional<std::string> canonical_email(const std::string& email) {
    const std::size_t at = email.find('@');
    if (at == 0 || at == std::string::npos || at + 1 == email.size()) return std::nullopt;
    for (const char c : email) {
        if (std::isspace(static_cast<unsigned char>(c)) ||
            std::iscntrl(static_cast<unsigned char>(c)))
            return std::nullopt;
    }
    return lowered(email);
}

// The number's digits. No numbering plan is applied (the country code is not prefixed to a
// national number): the simulation only needs the same number to give the same address.
std::optional<std::string> canonical_msisdn(const std::string& phone_number) {
    std::string digits;
    for (const char c : phone_number) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
            return std::nullopt;
        }
    }
    if (digits.empty()) return std::nullopt;
    return digits;
}

std::string session_key(std::string_view client_secret, std::string_view medium,
                        std::string_view address) {
    return std::string(client_secret) + "|" + std::string(medium) + "|" + std::string(address);
}

std::string random_digits(State& state, std::size_t count) {
    std::uniform_int_distribution<int> digit(0, 9);
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += static_cast<char>('0' + digit(state.random));
    return out;
}

Reply request_token(State& state, const Call& call, const std::string& medium, Purpose purpose) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto client_secret = member_string(*body, "client_secret");
    if (!client_secret) return error("M_MISSING_PARAM", "client_secret is required", 400);
    if (!valid_client_secret(*client_secret)) {
        return error("M_INVALID_PARAM", "client_secret must match [0-9a-zA-Z.=_-]{1,255}", 400);
    }
    if (!body->HasMember("send_attempt") || !(*body)["send_attempt"].IsInt64()) {
        return error("M_MISSING_PARAM", "send_attempt is required (an integer)", 400);
    }
    std::optional<std::string> address;
    if (medium == "email") {
        const auto email = member_string(*body, "email");
        if (!email) return error("M_MISSING_PARAM", "email is required", 400);
        address = canonical_email(*email);
        if (!address) return error("M_INVALID_PARAM", "Not an email address: " + *email, 400);
    } else {
        const auto phone_number = member_string(*body, "phone_number");
        if (!phone_number || !member_string(*body, "country")) {
            return error("M_MISSING_PARAM", "country and phone_number are required", 400);
        }
        address = canonical_msisdn(*phone_number);
        if (!address) {
            return error("M_INVALID_PARAM", "Not a phone number: " + *phone_number, 400);
        }
    }
    const bool in_use = state.threepids.contains({medium, *address});
    if (purpose == Purpose::password_reset && !in_use) {
        return error("M_THREEPID_NOT_FOUND", "No account has " + medium + " " + *address, 400);
    }
    if (purpose != Purpose::password_reset && in_use) {
        return error("M_THREEPID_IN_USE", "An account already has " + medium + " " + *address, 400);
    }
    // A retry (the same secret and address, whatever its send_attempt) continues its session.
    const std::string key = session_key(*client_secret, medium, *address);
    if (const auto existing = state.threepid_session_ids.find(key);
        existing != state.threepid_session_ids.end()) {
        return ok(JsonObject().str("sid", existing->second).text());
    }
    const std::size_t cost = threepid_session_cost(key, *client_secret, medium, *address);
    if (Reply full = refuse_if_full(state, cost)) return full;
    ThreepidSession session;
    session.sid = random_id(state, kThreepidSidChars);
    session.client_secret = *client_secret;
    session.medium = medium;
    session.address = *address;
    session.token = random_digits(state, kThreepidTokenDigits);
    const std::string sid = session.sid;
    state.threepid_session_ids.emplace(key, sid);
    state.threepid_sessions.emplace(sid, std::move(session));
    charge(state, cost);
    // No submit_url: the client then leaves validation to the user and the server, as the spec
    // says; here the user is whoever calls POST /__admin/sim/3pid/validate.
    return ok(JsonObject().str("sid", sid).text());
}

std::string threepid_json(const ThreepidKey& key, const AccountThreepid& threepid) {
    return JsonObject()
        .str("medium", key.first)
        .str("address", key.second)
        .num("validated_at", threepid.validated_at)
        .num("added_at", threepid.added_at)
        .text();
}

Reply list_threepids(const State& state, const User& user) {
    std::vector<std::string> items;
    for (const ThreepidKey& key : user.threepids) {
        items.push_back(threepid_json(key, state.threepids.at(key)));
    }
    return ok(JsonObject().raw("threepids", json_array(items)).text());
}

Reply add_threepid(State& state, User& user, const rapidjson::Value& body) {
    const auto client_secret = member_string(body, "client_secret");
    const auto sid = member_string(body, "sid");
    if (!client_secret || !sid)
        return error("M_MISSING_PARAM", "client_secret and sid are required", 400);
    if (Reply challenge = require_password(state, body, user)) return challenge;
    const auto session = state.threepid_sessions.find(*sid);
    if (session == state.threepid_sessions.end() ||
        session->second.client_secret != *client_secret || !session->second.validated) {
        return error("M_THREEPID_AUTH_FAILED",
                     "No validated 3PID session " + *sid +
                         " with this client_secret (the simulation's stand-in for the email's "
                         "link is POST /__admin/sim/3pid/validate)",
                     400);
    }
    const ThreepidSession& validated = session->second;
    const ThreepidKey key{validated.medium, validated.address};
    if (const auto owner = state.threepids.find(key); owner != state.threepids.end()) {
        if (owner->second.user_id == user.user_id) return ok("{}");
        return error("M_THREEPID_IN_USE",
                     "Another account already has " + key.first + " " + key.second, 400);
    }
    const std::size_t cost = account_threepid_cost(user.user_id, key.first, key.second);
    if (Reply full = refuse_if_full(state, cost)) return full;
    state.threepids.emplace(key, AccountThreepid{user.user_id, validated.validated_at, now_ms()});
    user.threepids.insert(key);
    charge(state, cost);
    return ok("{}");
}

}  // namespace

std::pair<std::pair<std::string, std::string>, Reply> named_threepid(const rapidjson::Value& body) {
    const auto medium = member_string(body, "medium");
    const auto address = member_string(body, "address");
    if (!medium || !address) {
        return {{}, error("M_MISSING_PARAM", "medium and address are required", 400)};
    }
    if (*medium != "email" && *medium != "msisdn") {
        return {{}, error("M_INVALID_PARAM", "medium must be email or msisdn", 400)};
    }
    const std::string canonical = *medium == "email" ? lowered(*address) : *address;
    return {{*medium, canonical}, std::nullopt};
}

namespace {

void delete_threepid(State& state, User& user, const ThreepidKey& key) {
    const auto owner = state.threepids.find(key);
    if (owner == state.threepids.end() || owner->second.user_id != user.user_id) return;
    release(state, account_threepid_cost(user.user_id, key.first, key.second));
    state.threepids.erase(owner);
    user.threepids.erase(key);
}

// The account's 3PIDs: /account/3pid and /account/3pid/{add,bind,unbind,delete}.
Reply account_threepids(State& state, const Call& call) {
    const auto& p = call.path;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    User& user = state.users[auth.device->user_id];
    if (p.size() == 2 && call.method == "GET") return list_threepids(state, user);
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    if (p.size() == 2) {
        // post3PIDs, deprecated: since r0.6 it only binds at an identity server, which has to
        // vouch for the credentials; the simulation knows none.
        const auto creds = body->FindMember("three_pid_creds");
        if (creds == body->MemberEnd() || !creds->value.IsObject()) {
            return error("M_MISSING_PARAM", "three_pid_creds is required", 400);
        }
        return error("M_THREEPID_AUTH_FAILED",
                     "No identity server can verify these credentials here; add the 3PID with "
                     "POST /account/3pid/add",
                     403);
    }
    const std::string& action = p[2];
    if (action == "add") return add_threepid(state, user, *body);
    if (action == "bind") {
        for (const char* required : {"client_secret", "id_server", "id_access_token", "sid"}) {
            if (!member_string(*body, required)) {
                return error("M_MISSING_PARAM", std::string(required) + " is required", 400);
            }
        }
        return ok("{}");  // the identity server's business; none is reached
    }
    auto [key, failure] = named_threepid(*body);
    if (failure) return failure;
    if (action == "delete") delete_threepid(state, user, key);
    // No identity server was told of the 3PID, so none can be asked to forget it.
    return ok(R"({"id_server_unbind_result":"no-support"})");
}

std::optional<Purpose> request_token_purpose(const std::vector<std::string>& p) {
    if (p.size() == 4 && p[0] == "account" && p[1] == "3pid") return Purpose::add_to_account;
    if (p.size() == 3 && p[0] == "register") return Purpose::registration;
    if (p.size() == 4 && p[0] == "account" && p[1] == "password") return Purpose::password_reset;
    return std::nullopt;
}

SimulationAdminResponse admin_error(int status, std::string_view errcode,
                                    const std::string& message) {
    return {status, JsonObject().str("errcode", errcode).str("error", message).text()};
}

SimulationAdminResponse list_sessions(const State& state) {
    std::vector<std::string> items;
    for (const auto& [sid, session] : state.threepid_sessions) {
        items.push_back(JsonObject()
                            .str("sid", sid)
                            .str("client_secret", session.client_secret)
                            .str("medium", session.medium)
                            .str("address", session.address)
                            .str("token", session.token)
                            .boolean("validated", session.validated)
                            .text());
    }
    return {200, json_array(items)};
}

// What following the link in the email (or typing the SMS code) does at a real server.
SimulationAdminResponse validate_session(State& state, const std::string& body) {
    const auto json = parse_object(body);
    const auto sid = json ? member_string(*json, "sid") : std::nullopt;
    const auto token = json ? member_string(*json, "token") : std::nullopt;
    if (!sid || !token) {
        return admin_error(400, "M_BAD_JSON", "the body must be {\"sid\": ..., \"token\": ...}");
    }
    const auto session = state.threepid_sessions.find(*sid);
    if (session == state.threepid_sessions.end()) {
        return admin_error(404, "M_NOT_FOUND", "no 3PID session " + *sid);
    }
    if (session->second.token != *token) {
        return admin_error(400, "M_THREEPID_AUTH_FAILED",
                           "token does not match the one session " + *sid + " sent");
    }
    if (!session->second.validated) {
        session->second.validated = true;
        session->second.validated_at = now_ms();
    }
    return {200, R"({"success":true})"};
}

}  // namespace

void forget_threepids(State& state, User& user) {
    const std::set<ThreepidKey> keys = user.threepids;  // delete_threepid erases from it
    for (const ThreepidKey& key : keys) delete_threepid(state, user, key);
}

Reply handle_threepids(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool token_request = p.size() >= 3 && p.back() == "requestToken" && m == "POST";
    if (token_request) {
        const std::string& medium = p[p.size() - 2];
        const std::optional<Purpose> purpose = request_token_purpose(p);
        if (!purpose || (medium != "email" && medium != "msisdn")) return std::nullopt;
        return request_token(state, call, medium, *purpose);
    }
    const bool account = p.size() >= 2 && p.size() <= 3 && p[0] == "account" && p[1] == "3pid";
    if (!account || (p.size() == 2 && m != "GET" && m != "POST") ||
        (p.size() == 3 && m != "POST")) {
        return std::nullopt;
    }
    if (p.size() == 3 && p[2] != "add" && p[2] != "bind" && p[2] != "unbind" && p[2] != "delete") {
        return std::nullopt;
    }
    return account_threepids(state, call);
}

std::optional<SimulationAdminResponse> handle_threepid_admin(State& state,
                                                             const std::string& method,
                                                             const std::vector<std::string>& path,
                                                             const std::string& body) {
    if (path.size() != 2 || path[0] != "3pid") return std::nullopt;
    if (method == "GET" && path[1] == "tokens") return list_sessions(state);
    if (method == "POST" && path[1] == "validate") return validate_session(state, body);
    return std::nullopt;
}

}  // namespace matrix::mock::sim
