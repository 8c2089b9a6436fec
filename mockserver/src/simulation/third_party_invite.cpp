// inviteBy3PID (POST /rooms/{roomId}/invite with an email address or phone number instead of a
// user id). A homeserver asks the identity server named in the request who holds the 3PID; the
// simulation plays that identity server with its own accounts' 3PIDs (as if every 3PID added
// to an account were bound there). When an account holds the address, that user is invited as
// inviteUser would; otherwise the room gets the m.room.third_party_invite state event an
// identity server's stored invite produces, under a fresh token as its state key. Nothing is
// sent to anyone, and the token cannot be redeemed: no identity server signs it.
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr std::size_t kInviteTokenChars = 24;
constexpr std::size_t kPublicKeyChars = 43;  // an Ed25519 key in unpadded base64

// A hint of the address for the room's members that does not give it away (the spec asks
// display_name not to contain the 3PID): "ali...@exa..." or "+44...".
std::string obscured(const std::string& medium, const std::string& address) {
    if (medium == "email") {
        const std::size_t at = address.find('@');
        if (at != std::string::npos) {
            return address.substr(0, std::min<std::size_t>(at, 3)) + "...@" +
                   address.substr(at + 1, 3) + "...";
        }
    }
    return address.substr(0, 3) + "...";
}

}  // namespace

Reply handle_third_party_invite(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "POST" || p.size() != 3 || p[0] != "rooms" || p[2] != "invite") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const std::string& room_id = p[1];
    if (!state.rooms.contains(room_id)) {
        return error("M_NOT_FOUND", "Unknown room " + room_id, 404);
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    for (const char* required : {"id_server", "id_access_token"}) {
        if (!member_string(*body, required)) {
            return error("M_MISSING_PARAM", std::string(required) + " is required", 400);
        }
    }
    const auto [threepid, failure] = named_threepid(*body);
    if (failure) return failure;
    const std::string id_server = *member_string(*body, "id_server");
    if (membership(state, room_id, device.user_id) != "join") {
        return error("M_FORBIDDEN", "You are not in this room", 403);
    }

    if (const auto holder = state.threepids.find(threepid); holder != state.threepids.end()) {
        return change_membership(state, device, room_id, "invite", holder->second.user_id, {});
    }

    const std::string key_validity_url =
        "https://" + id_server + "/_matrix/identity/v2/pubkey/isvalid";
    const std::string public_key = random_id(state, kPublicKeyChars);
    const std::string content =
        JsonObject()
            .str("display_name", obscured(threepid.first, threepid.second))
            .str("key_validity_url", key_validity_url)
            .str("public_key", public_key)
            .raw("public_keys", json_array({JsonObject()
                                                .str("key_validity_url", key_validity_url)
                                                .str("public_key", public_key)
                                                .text()}))
            .text();
    const std::string token = random_id(state, kInviteTokenChars);
    if (Reply full =
            refuse_if_full(state, event_cost(state, room_id, device.user_id,
                                             "m.room.third_party_invite", content, token))) {
        return full;
    }
    append_event(state, room_id, device.user_id, "m.room.third_party_invite", content, token);
    return ok("{}");
}

}  // namespace matrix::mock::sim
