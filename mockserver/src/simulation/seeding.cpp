// Typed seeding: users, rooms and events put straight into the simulation's state, for tests
// and for the standalone server's --user and --seed. The admin routes (admin.cpp) and seed
// files (seed_file.cpp) parse JSON into these calls, so the rules live here once.
#include <algorithm>
#include <set>

#include "simulation/seed_bodies.hpp"
#include "simulation/state.hpp"

namespace matrix::mock {

namespace {

std::string describe(const std::string& key, const std::string& reason) {
    return key.empty() ? reason : key + ": " + reason;
}

}  // namespace

SeedError::SeedError(std::string key, std::string reason, std::string errcode, int status)
    : StandardError(describe(key, reason)),
      key_(std::move(key)),
      reason_(std::move(reason)),
      errcode_(std::move(errcode)),
      status_(status) {}

}  // namespace matrix::mock

namespace matrix::mock::sim {

namespace {

// A refusal the model answered with (the state budget, a taken alias) as a SeedError.
[[noreturn]] void throw_reply(const ResponseDefinition& reply) {
    const auto body = parse_object(reply.body);
    const auto field = [&](const char* key) {
        return body ? member_string(*body, key) : std::nullopt;
    };
    const std::string errcode = field("errcode").value_or("M_UNKNOWN");
    const std::string message = field("error").value_or(reply.body);
    throw AnsweredSeedError(SeedError({}, message, errcode, reply.status), reply.body);
}

// The user id `name` stands for (a localpart or a full id), which must be a user here.
std::string existing_user(const State& state, std::string_view name, const std::string& key) {
    const std::string user_id = user_id_for(state, name);
    if (!state.users.contains(user_id)) {
        throw SeedError(key, "no user \"" + user_id + "\" (add the user first)");
    }
    return user_id;
}

std::string indexed(std::string_view key, std::size_t index) {
    return std::string(key) + "[" + std::to_string(index) + "]";
}

void require_object(const std::optional<Json>& value, const std::string& key) {
    if (value && !value->is_object()) {
        throw SeedError(key, std::string("must be a JSON object, not ") + to_string(value->kind()));
    }
}

// The members, checked: existing users, neither the creator nor invited, each once.
std::vector<std::string> joined_members(const State& state, const std::string& creator,
                                        const SeedRoomOptions& options,
                                        const std::set<std::string>& invited) {
    std::vector<std::string> members;
    for (std::size_t i = 0; i < options.members.size(); ++i) {
        const std::string key = indexed("members", i);
        const std::string user_id = existing_user(state, options.members[i], key);
        if (user_id == creator) throw SeedError(key, user_id + " is the creator, who joins anyway");
        if (invited.contains(user_id)) throw SeedError(key, user_id + " is also in invite");
        if (std::ranges::find(members, user_id) != members.end()) {
            throw SeedError(key, user_id + " is listed twice");
        }
        members.push_back(user_id);
    }
    return members;
}

// createRoom's body for the options, the users in it resolved to their ids.
std::string create_room_body(const State& state, const SeedRoomOptions& options,
                             std::set<std::string>& invited) {
    JsonObject body;
    if (options.name) body.str("name", *options.name);
    if (options.topic) body.str("topic", *options.topic);
    if (options.room_alias_name) {
        const std::string& alias = *options.room_alias_name;
        if (alias.empty() || alias.find_first_of(": \t\r\n#") != std::string::npos) {
            throw SeedError(
                "room_alias_name",
                "must be an alias localpart (no '#', ':' or spaces), got \"" + alias + "\"");
        }
        const std::string full = "#" + alias + ":" + state.options.server_name;
        if (const auto taken = state.aliases.find(full); taken != state.aliases.end()) {
            throw SeedError("room_alias_name", full + " already names " + taken->second,
                            "M_ROOM_IN_USE");
        }
        body.str("room_alias_name", alias);
    }
    if (options.preset) {
        const std::string& preset = *options.preset;
        if (preset != "private_chat" && preset != "public_chat" &&
            preset != "trusted_private_chat") {
            throw SeedError("preset",
                            "must be private_chat, public_chat or trusted_private_chat, got \"" +
                                preset + "\"");
        }
        body.str("preset", preset);
    }
    if (options.visibility) {
        if (*options.visibility != "public" && *options.visibility != "private") {
            throw SeedError("visibility",
                            "must be public or private, got \"" + *options.visibility + "\"");
        }
        body.str("visibility", *options.visibility);
    }
    if (options.room_version) body.str("room_version", *options.room_version);
    std::vector<std::string> invites;
    for (std::size_t i = 0; i < options.invite.size(); ++i) {
        const std::string key = indexed("invite", i);
        const std::string user_id = existing_user(state, options.invite[i], key);
        if (!invited.insert(user_id).second) throw SeedError(key, user_id + " is listed twice");
        invites.push_back(quote(user_id));
    }
    if (!invites.empty()) body.raw("invite", json_array(invites));
    if (options.is_direct) body.boolean("is_direct", true);
    std::vector<std::string> initial_state;
    for (std::size_t i = 0; i < options.initial_state.size(); ++i) {
        const SeedStateEvent& event = options.initial_state[i];
        const std::string key = indexed("initial_state", i);
        if (event.type.empty()) throw SeedError(key + ".type", "must not be empty");
        require_object(event.content, key + ".content");
        initial_state.push_back(JsonObject()
                                    .str("type", event.type)
                                    .str("state_key", event.state_key)
                                    .raw("content", event.content.text())
                                    .text());
    }
    if (!initial_state.empty()) body.raw("initial_state", json_array(initial_state));
    require_object(options.creation_content, "creation_content");
    if (options.creation_content) body.raw("creation_content", options.creation_content->text());
    require_object(options.power_level_content_override, "power_level_content_override");
    if (options.power_level_content_override) {
        body.raw("power_level_content_override", options.power_level_content_override->text());
    }
    return body.text();
}

}  // namespace

Session seed_user(State& state, std::string_view name, std::string_view password,
                  const SeedUserOptions& options) {
    const std::string user_id = user_id_for(state, name);
    const std::size_t colon = user_id.find(':');
    if (colon == std::string::npos || !valid_localpart(user_id.substr(1, colon - 1))) {
        throw SeedError("username", "\"" + std::string(name) +
                                        "\" is not a valid localpart (a-z, 0-9, and . _ = - / +)");
    }
    if (user_id.substr(colon + 1) != state.options.server_name) {
        throw SeedError("username",
                        user_id + " is not on this server (" + state.options.server_name + ")");
    }
    if (state.users.contains(user_id)) {
        throw SeedError("username", user_id + " already exists", "M_USER_IN_USE");
    }
    const std::string displayname = options.displayname.value_or(default_displayname(user_id));
    const std::size_t cost =
        user_cost(user_id, password, displayname) + login_cost(user_id, options.device_id);
    if (Reply full = refuse_if_full(state, cost)) throw_reply(*full);
    User& user = create_user(state, user_id, std::string(password), false);
    if (options.displayname) {
        release(state, user.displayname.size());
        charge(state, options.displayname->size());
        user.displayname = *options.displayname;
    }
    Session session{user_id, {}, {}};
    session.access_token = login(state, user_id, options.device_id, session.device_id);
    return session;
}

std::string seed_room(State& state, std::string_view creator, const SeedRoomOptions& options) {
    const std::string creator_id = existing_user(state, creator, "creator");
    std::set<std::string> invited;
    const std::string body_text = create_room_body(state, options, invited);
    if (invited.contains(creator_id)) throw SeedError("invite", creator_id + " is the creator");
    const std::vector<std::string> members = joined_members(state, creator_id, options, invited);
    const auto body = parse_object(body_text);
    auto [room_id, failure] = create_room(state, creator_id, *body, members);
    if (failure) throw_reply(*failure);
    return room_id;
}

std::string seed_event(State& state, std::string_view room_id, std::string_view sender,
                       std::string_view type, std::string_view content,
                       const std::optional<std::string>& state_key) {
    const std::string room(room_id);
    if (!state.rooms.contains(room)) throw SeedError({}, "no room " + room, "M_NOT_FOUND", 404);
    const std::string sender_id = user_id_for(state, sender);
    const std::size_t colon = sender_id.find(':');
    if (colon == std::string::npos || colon < 2 || colon + 1 == sender_id.size()) {
        throw SeedError("sender", "must be a user id like @alice:" + state.options.server_name +
                                      " or a localpart, got \"" + std::string(sender) + "\"");
    }
    if (type.empty()) throw SeedError("type", "must not be empty");
    const std::string type_text(type);
    std::string content_text(content);
    if (Reply full = refuse_if_full(
            state, event_cost(state, room, sender_id, type_text, content_text, state_key))) {
        throw_reply(*full);
    }
    const std::size_t index =
        append_event(state, room, sender_id, type_text, std::move(content_text), state_key);
    return state.events[index].event_id;
}

}  // namespace matrix::mock::sim
