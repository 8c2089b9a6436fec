// What a client discovers about the server and the services around it: /.well-known/matrix/*,
// TURN credentials for calls, third-party (bridge) lookup, and OpenID tokens for other services.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// How long the TURN credentials are good for, as Synapse's default turn_user_lifetime (1 day).
constexpr std::int64_t kTurnLifetimeSeconds = 86400;
constexpr std::int64_t kOpenIdLifetimeSeconds = 3600;
constexpr std::size_t kOpenIdTokenChars = 24;
constexpr std::size_t kTurnPasswordChars = 28;

std::optional<std::string> host_header(const Call& call) {
    for (const Header& header : call.entry.headers) {
        if (header_name_equals(header.name, "Host") && !header.value.empty()) return header.value;
    }
    return std::nullopt;
}

// The server name without its port: "[::1]:8448" -> "[::1]", "example.org:8448" -> "example.org".
std::string hostname_of(const std::string& server_name) {
    if (!server_name.empty() && server_name.front() == '[') {
        return server_name.substr(0, server_name.find(']') + 1);
    }
    return server_name.substr(0, server_name.find(':'));
}

Reply well_known(const State& state, const Call& call) {
    const std::string& document = call.path[2];
    if (document == "client") {
        // The client reached this server by the Host it sent, so that is its base URL (plain
        // HTTP: the mock server does not speak TLS).
        const std::string base_url =
            "http://" + host_header(call).value_or(state.options.server_name);
        return ok(
            JsonObject().raw("m.homeserver", JsonObject().str("base_url", base_url).text()).text());
    }
    // The spec's answer for a server that publishes no such document.
    if (document == "support") {
        return error("M_NOT_FOUND",
                     "This server publishes no support contacts (/.well-known/matrix/support)",
                     404);
    }
    if (document == "policy_server") {
        return error("M_NOT_FOUND",
                     "This server names no policy server (/.well-known/matrix/policy_server)", 404);
    }
    return std::nullopt;
}

// Credentials in the shape of coturn's REST API ("expiry:user", a shared-secret HMAC), which is
// what Synapse hands out; no TURN server stands behind them.
Reply turn_server(State& state, const Device& me) {
    const std::string host = "turn." + hostname_of(state.options.server_name);
    const std::int64_t expiry = now_ms() / 1000 + kTurnLifetimeSeconds;
    const std::vector<std::string> uris = {quote("turn:" + host + ":3478?transport=udp"),
                                           quote("turn:" + host + ":3478?transport=tcp"),
                                           quote("turns:" + host + ":5349?transport=tcp")};
    return ok(JsonObject()
                  .str("username", std::to_string(expiry) + ":" + me.user_id)
                  .str("password", random_id(state, kTurnPasswordChars))
                  .raw("uris", json_array(uris))
                  .num("ttl", kTurnLifetimeSeconds)
                  .text());
}

// No bridge is attached, so no protocol exists and no reverse lookup finds anything.
Reply third_party(const Call& call) {
    const auto& p = call.path;
    if (p.size() == 2 && p[1] == "protocols") return ok("{}");
    if (p.size() == 3 && (p[1] == "protocol" || p[1] == "location" || p[1] == "user")) {
        return error("M_NOT_FOUND", "No such protocol: no bridge to " + p[2] + " runs here", 404);
    }
    if (p.size() == 2 && (p[1] == "location" || p[1] == "user")) {
        const char* parameter = p[1] == "location" ? "alias" : "userid";
        if (!query(call, parameter)) {
            return error("M_MISSING_PARAM", std::string("Missing query parameter ") + parameter,
                         400);
        }
        return ok("[]");
    }
    return std::nullopt;
}

Reply openid_token(State& state, const Call& call, const Device& me) {
    if (call.path[1] != me.user_id) {
        return error("M_FORBIDDEN", "Cannot request an OpenID token for another user", 403);
    }
    // Not kept: the simulation has no federation API where another service could redeem it.
    return ok(JsonObject()
                  .str("access_token", random_id(state, kOpenIdTokenChars))
                  .str("token_type", "Bearer")
                  .str("matrix_server_name", state.options.server_name)
                  .num("expires_in", kOpenIdLifetimeSeconds)
                  .text());
}

}  // namespace

Reply handle_discovery(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    if (p.size() == 3 && p[0] == ".well-known" && p[1] == "matrix") {
        return m == "GET" ? well_known(state, call) : std::nullopt;
    }
    const bool turn = p.size() == 2 && p[0] == "voip" && p[1] == "turnServer" && m == "GET";
    const bool lookup = p.size() >= 2 && p.size() <= 3 && p[0] == "thirdparty" && m == "GET";
    const bool openid = p.size() == 4 && p[0] == "user" && p[2] == "openid" &&
                        p[3] == "request_token" && m == "POST";
    if (!turn && !lookup && !openid) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (turn) return turn_server(state, *auth.device);
    if (lookup) return third_party(call);
    return openid_token(state, call, *auth.device);
}

}  // namespace matrix::mock::sim
