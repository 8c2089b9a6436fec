// The simulated homeserver's model: users, devices, rooms, events and the stream ordering.
#include <algorithm>
#include <cctype>
#include <chrono>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

void State::clear() {
    // Held syncs stay registered and are answered by the next settle().
    wake_everyone = true;
    woken.clear();
    position = 0;
    events.clear();
    event_index.clear();
    rooms.clear();
    users.clear();
    tokens.clear();
    tokens_of_user.clear();
    token_expiry.clear();
    refresh_tokens.clear();
    refresh_of_device.clear();
    login_tokens.clear();
    aliases.clear();
    transactions.clear();
    media.clear();
    pending_media.clear();
    media_bytes = 0;
    state_bytes = 0;
    uia_sessions.clear();
    threepid_sessions.clear();
    threepid_session_ids.clear();
    threepids.clear();
    published_rooms.clear();
    pushers.clear();
    reports.clear();
    device_names.clear();
    presence.clear();
    rooms_of_user.clear();
    children.clear();
    read_positions.clear();
    unread_cache.clear();
    device_keys.clear();
    cross_signing.clear();
    key_changes.clear();
    to_device.clear();
    key_backups.clear();
}

Auth authenticate(State& state, const Call& call) {
    std::optional<std::string> token;
    for (const Header& header : call.entry.headers) {
        if (header_name_equals(header.name, "Authorization") &&
            header.value.rfind("Bearer ", 0) == 0) {
            token = header.value.substr(7);
        }
    }
    if (!token) token = query(call, "access_token");
    if (!token) return {{}, error("M_MISSING_TOKEN", "Missing access token", 401), true};
    const auto it = state.tokens.find(*token);
    if (it == state.tokens.end()) {
        return {{},
                ResponseDefinition::matrix_error("M_UNKNOWN_TOKEN", "Unrecognised access token", {},
                                                 false, 401),
                false};
    }
    if (const auto expiry = state.token_expiry.find(*token);
        expiry != state.token_expiry.end() && expiry->second <= now_ms()) {
        // Expired, not revoked: soft_logout tells the client to refresh rather than log in again.
        return {{},
                ResponseDefinition::matrix_error("M_UNKNOWN_TOKEN", "The access token has expired",
                                                 {}, true, 401),
                false};
    }
    mark_seen(it->second, call.entry.remote);
    return {it->second, std::nullopt, false};
}

std::string_view address_of(std::string_view remote) {
    if (!remote.empty() && remote.front() == '[') {
        const std::size_t close = remote.find(']');
        return close == std::string_view::npos ? remote.substr(1) : remote.substr(1, close - 1);
    }
    return remote.substr(0, remote.rfind(':'));
}

void mark_seen(Device& device, std::string_view remote) {
    device.last_seen_ts = now_ms();
    const std::string_view address = address_of(remote);
    // Longer is no IP address (and the budget holds kIpAddressMaxChars): keep the last one.
    if (address.size() <= kIpAddressMaxChars && address != device.last_seen_ip) {
        device.last_seen_ip.assign(address);
    }
}

std::string random_id(State& state, std::size_t length) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::uniform_int_distribution<std::size_t> pick(0, sizeof kAlphabet - 2);
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += kAlphabet[pick(state.random)];
    return out;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string user_id_for(const State& state, std::string_view name) {
    if (!name.empty() && name.front() == '@') return std::string(name);
    return "@" + std::string(name) + ":" + state.options.server_name;
}

bool valid_localpart(std::string_view localpart) {
    if (localpart.empty() || localpart.size() > 200) return false;
    return std::all_of(localpart.begin(), localpart.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '=' || c == '-' || c == '/' || c == '+';
    });
}

User& create_user(State& state, const std::string& user_id, std::string password, bool guest) {
    User& user = state.users[user_id];
    user.user_id = user_id;
    user.password = std::move(password);
    user.guest = guest;
    user.displayname = default_displayname(user_id);
    charge(state, user_cost(user_id, user.password, user.displayname));
    return user;
}

std::string default_displayname(const std::string& user_id) {
    const std::size_t colon = user_id.find(':');
    return user_id.substr(1, colon == std::string::npos ? std::string::npos : colon - 1);
}

State::Tokens::iterator erase_token(State& state, State::Tokens::iterator it) {
    release(state, token_cost(it->first, it->second));
    forget_refresh_token(state, it->first, it->second);
    if (const auto user = state.tokens_of_user.find(it->second.user_id);
        user != state.tokens_of_user.end()) {
        user->second.erase(it->second.device_id);
        if (user->second.empty()) state.tokens_of_user.erase(user);
    }
    return state.tokens.erase(it);
}

void erase_device_tokens(State& state, const std::string& user_id,
                         const std::vector<std::string>& device_ids) {
    for (const std::string& device_id : device_ids) {
        const auto user = state.tokens_of_user.find(user_id);
        if (user == state.tokens_of_user.end()) return;
        const auto device = user->second.find(device_id);
        if (device == user->second.end()) continue;
        const auto token = state.tokens.find(device->second);
        if (token != state.tokens.end()) erase_token(state, token);
    }
}

std::vector<Device> devices_of(const State& state, const std::string& user_id) {
    std::vector<Device> devices;
    const auto user = state.tokens_of_user.find(user_id);
    if (user == state.tokens_of_user.end()) return devices;
    for (const auto& [device_id, token] : user->second) {
        const auto device = state.tokens.find(token);
        if (device != state.tokens.end()) devices.push_back(device->second);
    }
    return devices;
}

std::string login(State& state, const std::string& user_id, std::optional<std::string> device_id,
                  std::string& device_id_out) {
    device_id_out =
        device_id && !device_id->empty() ? *device_id : random_id(state, kDeviceIdRandomChars);
    // Logging in again with the same device id (or refreshing its token) replaces that
    // device's old token; the device stays, and so does when it was last seen.
    Device device_record{user_id, device_id_out};
    if (const auto user = state.tokens_of_user.find(user_id); user != state.tokens_of_user.end()) {
        if (const auto known = user->second.find(device_id_out); known != user->second.end()) {
            if (const auto old = state.tokens.find(known->second); old != state.tokens.end()) {
                device_record.last_seen_ts = old->second.last_seen_ts;
                device_record.last_seen_ip = old->second.last_seen_ip;
            }
        }
    }
    erase_device_tokens(state, user_id, {device_id_out});
    std::string token = "syt_" + random_id(state, kAccessTokenRandomChars);
    const Device& device = state.tokens[token] = std::move(device_record);
    state.tokens_of_user[user_id][device_id_out] = token;
    charge(state, token_cost(token, device));
    return token;
}

std::optional<std::uint64_t> parse_token(const State& state, const std::string& token) {
    if (token.size() < 2 || token[0] != 's' || token.size() > 20) return std::nullopt;
    std::uint64_t value = 0;
    for (std::size_t i = 1; i < token.size(); ++i) {
        if (token[i] < '0' || token[i] > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(token[i] - '0');
    }
    if (value > state.position) return std::nullopt;
    return value;
}

std::string state_string(const State& state, const Room& room, const std::string& type,
                         const char* field) {
    const auto it = room.state.find({type, ""});
    if (it == room.state.end()) return {};
    const auto content = parse_object(state.events[it->second].content);
    return content ? member_string(*content, field).value_or("") : "";
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

void bump(State& state) { ++state.position; }

void wake(State& state, const std::string& user_id) {
    if (state.waiters_of_user.contains(user_id)) state.woken.insert(user_id);
}

std::size_t append_event(State& state, const std::string& room_id, const std::string& sender,
                         const std::string& type, SharedBytes content,
                         std::optional<std::string> state_key, std::string txn_device,
                         std::string txn_id) {
    charge(state, event_cost(state, room_id, sender, type, content, state_key, txn_device, txn_id));
    bump(state);
    Event event;
    event.position = state.position;
    event.event_id = "$" + random_id(state, kEventIdRandomChars) + ":" + state.options.server_name;
    event.room_id = room_id;
    event.type = type;
    event.sender = sender;
    event.state_key = std::move(state_key);
    event.content = std::move(content);
    event.origin_server_ts = now_ms();
    event.txn_device = std::move(txn_device);
    event.txn_id = std::move(txn_id);
    const std::size_t index = state.events.size();
    state.event_index[event.event_id] = index;
    const auto [room_it, new_room] = state.rooms.try_emplace(room_id);
    if (new_room) charge(state, room_cost(room_id));
    Room& room = room_it->second;
    room.room_id = room_id;
    room.timeline.push_back(index);
    room.last_position = event.position;
    if (event.state_key) {
        room.state[{event.type, *event.state_key}] = index;
        if (event.type == "m.room.member") {
            const auto parsed = parse_object(event.content);
            room.membership[*event.state_key] =
                parsed ? member_string(*parsed, "membership").value_or("leave") : "leave";
            room.membership_position[*event.state_key] = event.position;
            state.rooms_of_user[*event.state_key].insert(room_id);
            // The member whose membership changed sees it whatever that membership now is.
            wake(state, *event.state_key);
        }
    }
    // Joined members see every new event; the others see nothing of it in their syncs.
    if (!state.waiters_of_user.empty()) {
        for (const auto& [user_id, value] : room.membership) {
            if (value == "join") wake(state, user_id);
        }
    }
    state.events.push_back(std::move(event));
    index_relation(state, index);
    return index;
}

std::vector<std::size_t>::const_iterator first_after(const State& state, const Room& room,
                                                     std::uint64_t after) {
    const std::vector<std::size_t>& timeline = room.timeline;
    const auto position = [&](std::size_t slot) { return state.events[timeline[slot]].position; };
    if (timeline.empty() || position(timeline.size() - 1) <= after) return timeline.end();
    // Galloping back from the newest event, then a binary search in the last gap: syncs and
    // pages nearly always ask about recent positions, so this touches a few recent events
    // (recently written, so in cache) rather than a path through the whole history.
    std::size_t high = timeline.size() - 1;  // position(high) > after
    std::size_t low = 0;                     // the answer is in [low, high]
    for (std::size_t step = 1; step <= high; step *= 2) {
        if (position(high - step) <= after) {
            low = high - step + 1;
            break;
        }
        high -= step;
    }
    return std::partition_point(
        timeline.begin() + static_cast<std::ptrdiff_t>(low),
        timeline.begin() + static_cast<std::ptrdiff_t>(high),
        [&](std::size_t index) { return state.events[index].position <= after; });
}

std::string membership(const State& state, const std::string& room_id, const std::string& user) {
    const auto room = state.rooms.find(room_id);
    if (room == state.rooms.end()) return {};
    const auto it = room->second.membership.find(user);
    return it == room->second.membership.end() ? std::string() : it->second;
}

std::string event_json(const State& state, const Event& event, const std::string& viewer_device) {
    // Only the device that sent it sees its transaction id, and bundled aggregations can hold a
    // child's transaction id or say whether the viewer took part in a thread: such JSON is
    // cached per viewing device; everything else looks the same to every viewer.
    const bool personal = !event.txn_id.empty() && event.txn_device == viewer_device;
    const auto index = static_cast<std::size_t>(&event - state.events.data());
    const bool cacheable = state.cache_event_json && index < state.events.size();
    std::pair<std::size_t, std::string> key{index, {}};
    if (cacheable) {
        if (personal || viewer_dependent_aggregations(state, event)) key.second = viewer_device;
        if (const auto it = state.event_json_cache.find(key); it != state.event_json_cache.end())
            return it->second;
    }
    std::string json = event_json_uncached(state, event, personal, viewer_device);
    if (cacheable) state.event_json_cache.emplace(std::move(key), json);
    return json;
}

namespace {

std::string render(const State& state, const Event& event, bool personal,
                   const std::string& viewer_device, bool bundle) {
    JsonObject out;
    out.str("type", event.type)
        .str("event_id", event.event_id)
        .str("sender", event.sender)
        .num("origin_server_ts", event.origin_server_ts)
        .str("room_id", event.room_id);
    if (event.state_key) out.str("state_key", *event.state_key);
    JsonObject unsigned_data;
    unsigned_data.num("age", std::max<std::int64_t>(0, now_ms() - event.origin_server_ts));
    if (personal) unsigned_data.str("transaction_id", event.txn_id);
    if (!event.redacted_because.empty()) {
        const auto it = state.event_index.find(event.redacted_because);
        if (it != state.event_index.end()) {
            unsigned_data.raw("redacted_because", event_json(state, state.events[it->second], {}));
        }
        out.raw("content", "{}");  // redaction strips the content
    } else {
        out.raw("content", event.content);
    }
    if (bundle) {
        if (const std::string relations = bundled_aggregations(state, event, viewer_device);
            !relations.empty()) {
            unsigned_data.raw("m.relations", relations);
        }
    }
    out.raw("unsigned", unsigned_data.text());
    return out.text();
}

}  // namespace

std::string event_json_uncached(const State& state, const Event& event, bool personal,
                                const std::string& viewer_device) {
    return render(state, event, personal, viewer_device, true);
}

std::string event_json_unbundled(const State& state, const Event& event,
                                 const std::string& viewer_device) {
    const bool personal = !event.txn_id.empty() && event.txn_device == viewer_device;
    return render(state, event, personal, viewer_device, false);
}

std::string member_content(const State& state, const std::string& user_id,
                           const std::string& membership_value) {
    const auto user = state.users.find(user_id);
    if (user == state.users.end() || membership_value != "join") {
        return JsonObject().str("membership", membership_value).text();
    }
    return join_content(user->second.displayname, user->second.avatar_url);
}

std::string join_content(const std::string& displayname, const std::string& avatar_url) {
    JsonObject content;
    content.str("membership", "join");
    if (!displayname.empty()) content.str("displayname", displayname);
    if (!avatar_url.empty()) content.str("avatar_url", avatar_url);
    return content.text();
}

namespace {

// The spec merges power_level_content_override into the defaults key by key.
std::string merge_override(const std::string& defaults, const rapidjson::Value& body,
                           const char* key) {
    const auto it = body.FindMember(key);
    if (it == body.MemberEnd() || !it->value.IsObject()) return defaults;
    auto merged = parse_object(defaults);
    for (const auto& member : it->value.GetObject()) {
        rapidjson::Value name(member.name, merged->GetAllocator());
        rapidjson::Value value(member.value, merged->GetAllocator());
        merged->RemoveMember(member.name);
        merged->AddMember(name, value, merged->GetAllocator());
    }
    return to_text(*merged);
}

// m.room.create's content: the request's creation_content (an upgrade's `predecessor`, a
// space's `type`) with the creator and version the server decides.
std::string create_content(const std::string& creator, const std::string& version,
                           const rapidjson::Value& body) {
    rapidjson::Document content(rapidjson::kObjectType);
    if (const auto it = body.FindMember("creation_content");
        it != body.MemberEnd() && it->value.IsObject()) {
        content.CopyFrom(it->value, content.GetAllocator());
    }
    auto& allocator = content.GetAllocator();
    content.RemoveMember("creator");
    content.RemoveMember("room_version");
    content.AddMember("creator", rapidjson::Value(creator.c_str(), allocator), allocator);
    content.AddMember("room_version", rapidjson::Value(version.c_str(), allocator), allocator);
    return to_text(content);
}

}  // namespace

std::pair<std::string, Reply> create_room(State& state, const std::string& creator,
                                          const rapidjson::Value& body,
                                          const std::vector<std::string>& joined) {
    const std::string preset =
        member_string(body, "preset")
            .value_or(member_string(body, "visibility").value_or("private") == "public"
                          ? "public_chat"
                          : "private_chat");
    std::optional<std::string> alias;
    if (const auto name = member_string(body, "room_alias_name")) {
        alias = "#" + *name + ":" + state.options.server_name;
        if (state.aliases.contains(*alias)) {
            return {{}, error("M_ROOM_IN_USE", "Room alias already taken", 400)};
        }
    }
    const std::string room_id =
        "!" + random_id(state, kRoomIdRandomChars) + ":" + state.options.server_name;
    const bool published = member_string(body, "visibility") == "public";

    // Every event is planned first, so the whole room is checked against the state budget
    // before any of it is stored.
    struct Planned {
        std::string type;
        std::string content;
        std::string state_key;
        std::string sender = {};  // the creator unless set
    };
    std::vector<Planned> plan;
    const std::string version = member_string(body, "room_version").value_or("10");
    plan.push_back({"m.room.create", create_content(creator, version, body), ""});
    plan.push_back({"m.room.member", member_content(state, creator, "join"), creator});
    JsonObject users;
    users.num(creator, 100);
    if (preset == "trusted_private_chat") {
        if (const auto it = body.FindMember("invite");
            it != body.MemberEnd() && it->value.IsArray()) {
            for (const auto& invitee : it->value.GetArray()) {
                if (is_client_string(invitee) && invitee.GetString() != creator) {
                    users.num(invitee.GetString(), 100);
                }
            }
        }
    }
    const std::string power_levels =
        JsonObject()
            .raw("users", users.text())
            .num("users_default", 0)
            .raw("events", R"({"m.room.name":50,"m.room.power_levels":100,)"
                           R"("m.room.history_visibility":100,"m.room.canonical_alias":50,)"
                           R"("m.room.avatar":50,"m.room.tombstone":100,"m.room.server_acl":100,)"
                           R"("m.room.encryption":100})")
            .num("events_default", 0)
            .num("state_default", 50)
            .num("ban", 50)
            .num("kick", 50)
            .num("redact", 50)
            .num("invite", 0)
            .text();
    plan.push_back({"m.room.power_levels",
                    merge_override(power_levels, body, "power_level_content_override"), ""});
    if (alias) {
        plan.push_back({"m.room.canonical_alias", JsonObject().str("alias", *alias).text(), ""});
    }
    plan.push_back(
        {"m.room.join_rules",
         JsonObject().str("join_rule", preset == "public_chat" ? "public" : "invite").text(), ""});
    plan.push_back(
        {"m.room.history_visibility", JsonObject().str("history_visibility", "shared").text(), ""});
    if (preset != "public_chat") {
        plan.push_back(
            {"m.room.guest_access", JsonObject().str("guest_access", "can_join").text(), ""});
    }
    if (const auto it = body.FindMember("initial_state");
        it != body.MemberEnd() && it->value.IsArray()) {
        for (const auto& item : it->value.GetArray()) {
            const auto type = member_string(item, "type");
            if (!type) continue;
            plan.push_back({*type, member_text(item, "content", "{}"),
                            member_string(item, "state_key").value_or("")});
        }
    }
    if (const auto name = member_string(body, "name")) {
        plan.push_back({"m.room.name", JsonObject().str("name", *name).text(), ""});
    }
    if (const auto topic = member_string(body, "topic")) {
        plan.push_back({"m.room.topic", JsonObject().str("topic", *topic).text(), ""});
    }
    const bool is_direct = body.HasMember("is_direct") && body["is_direct"].IsTrue();
    if (const auto it = body.FindMember("invite"); it != body.MemberEnd() && it->value.IsArray()) {
        for (const auto& invitee : it->value.GetArray()) {
            if (!is_client_string(invitee)) continue;
            JsonObject content;
            content.str("membership", "invite");
            if (is_direct) content.boolean("is_direct", true);
            plan.push_back({"m.room.member", content.text(), invitee.GetString()});
        }
    }

    // Seeded members join last, as if each had accepted an invite at once.
    for (const std::string& member : joined) {
        plan.push_back({"m.room.member", member_content(state, member, "join"), member, member});
    }

    std::size_t cost = room_cost(room_id);
    for (const Planned& event : plan) {
        cost += event_cost(state, room_id, event.sender.empty() ? creator : event.sender,
                           event.type, event.content, event.state_key);
    }
    if (published) cost += entry_cost(sizeof(std::string), {room_id});
    if (alias) cost += entry_cost(2 * sizeof(std::string), {*alias, room_id});
    if (Reply full = refuse_if_full(state, cost)) return {{}, std::move(full)};

    if (published) {
        state.published_rooms.insert(room_id);
        charge(state, entry_cost(sizeof(std::string), {room_id}));
    }
    if (alias) {
        state.aliases[*alias] = room_id;
        charge(state, entry_cost(2 * sizeof(std::string), {*alias, room_id}));
    }
    for (Planned& event : plan) {
        append_event(state, room_id, event.sender.empty() ? creator : event.sender, event.type,
                     std::move(event.content), std::move(event.state_key));
    }
    return {room_id, std::nullopt};
}

void set_account_data(State& state, User& user, const std::string& room_id, const std::string& type,
                      std::string content) {
    bump(state);
    user.account_data_position = state.position;
    wake(state, user.user_id);
    AccountData& data =
        room_id.empty() ? user.account_data[type] : user.room_account_data[{room_id, type}];
    // A new entry costs its content; a replaced one first gives the old content back (an empty
    // content means a fresh entry: stored contents are JSON objects, never empty).
    if (!data.content.empty()) release(state, account_data_cost(room_id, type, data.content));
    charge(state, account_data_cost(room_id, type, content));
    data.position = state.position;
    data.content = std::move(content);
}

}  // namespace matrix::mock::sim
