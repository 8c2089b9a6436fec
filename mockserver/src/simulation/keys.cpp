// End-to-end encryption keys: device keys, one-time and fallback keys (keys/upload, keys/query,
// keys/claim), and who changed them (keys/changes, /sync's device_lists). The simulation keeps
// the key material as uploaded and hands it on; it checks shapes as a homeserver would and never
// verifies a signature.
#include <set>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// Clients top up one-time keys when this count runs low, and some read a missing count as "no
// need": it is always given, as Synapse gives it.
constexpr std::string_view kDefaultKeyAlgorithm = "signed_curve25519";

std::size_t device_keys_entry_cost(std::string_view key) {
    return entry_cost(sizeof(std::string) + sizeof(DeviceKeys), {key});
}
std::size_t one_time_key_cost(std::string_view key_id, std::string_view key) {
    return entry_cost(2 * sizeof(std::string), {key_id, key});
}
std::size_t fallback_key_cost(std::string_view algorithm, std::string_view key_id,
                              std::string_view key) {
    return entry_cost(sizeof(std::string) + sizeof(FallbackKey), {algorithm, key_id, key});
}

// Whether `a` and `b` are both joined to some room (a user always shares with themselves).
bool shares_room(const State& state, const std::string& a, const std::string& b) {
    if (a == b) return true;
    const auto rooms = state.rooms_of_user.find(a);
    if (rooms == state.rooms_of_user.end()) return false;
    for (const std::string& room_id : rooms->second) {
        const auto room = state.rooms.find(room_id);
        if (room == state.rooms.end()) continue;
        const auto& members = room->second.membership;
        const auto mine = members.find(a);
        const auto theirs = members.find(b);
        if (mine != members.end() && mine->second == "join" && theirs != members.end() &&
            theirs->second == "join") {
            return true;
        }
    }
    return false;
}

std::uint64_t membership_changed_at(const Room& room, const std::string& user_id) {
    const auto it = room.membership_position.find(user_id);
    return it == room.membership_position.end() ? 0 : it->second;
}

// The keys of the user's devices, in device id order: the entries keyed "user|...".
template <typename Visit>
void for_each_device_keys(const State& state, const std::string& user_id, Visit visit) {
    const std::string prefix = user_id + "|";
    for (auto it = state.device_keys.lower_bound(prefix);
         it != state.device_keys.end() && it->first.starts_with(prefix); ++it) {
        visit(it->first.substr(prefix.size()), it->second);
    }
}

// The stored device keys as keys/query lists them: with unsigned.device_display_name.
std::string device_information(const State& state, const std::string& key,
                               const std::string& device_keys) {
    const auto name = state.device_names.find(key);
    if (name == state.device_names.end()) return device_keys;
    const std::string extra = JsonObject().str("device_display_name", name->second).text();
    // The stored object has no "unsigned" (upload drops it), so the member is added at its end.
    std::string out = device_keys.substr(0, device_keys.size() - 1);
    if (out.size() > 1) out += ',';
    return out + "\"unsigned\":" + extra + "}";
}

// Checks the device_keys of an upload: the caller's own device, with algorithms, keys and
// signatures. Returns the object as stored (without "unsigned") or the error.
std::pair<std::string, Reply> checked_device_keys(const rapidjson::Value& value, const Device& me) {
    if (!value.IsObject()) return {{}, error("M_BAD_JSON", "device_keys must be an object", 400)};
    const auto user_id = member_string(value, "user_id");
    const auto device_id = member_string(value, "device_id");
    if (!user_id || !device_id) {
        return {{}, error("M_BAD_JSON", "device_keys needs user_id and device_id strings", 400)};
    }
    if (*user_id != me.user_id || *device_id != me.device_id) {
        return {{},
                error("M_INVALID_PARAM",
                      "device_keys are for " + *user_id + " " + *device_id +
                          ", but the access token is " + me.user_id + " " + me.device_id,
                      400)};
    }
    const auto algorithms = value.FindMember("algorithms");
    if (algorithms == value.MemberEnd() || !algorithms->value.IsArray()) {
        return {{}, error("M_BAD_JSON", "device_keys.algorithms must be an array", 400)};
    }
    for (const auto& algorithm : algorithms->value.GetArray()) {
        if (!is_client_string(algorithm)) {
            return {{}, error("M_BAD_JSON", "device_keys.algorithms must list strings", 400)};
        }
    }
    for (const char* name : {"keys", "signatures"}) {
        const auto member = value.FindMember(name);
        if (member == value.MemberEnd() || !member->value.IsObject()) {
            return {{},
                    error("M_BAD_JSON", std::string("device_keys.") + name + " must be an object",
                          400)};
        }
    }
    rapidjson::Document copy;
    copy.CopyFrom(value, copy.GetAllocator());
    copy.RemoveMember("unsigned");
    return {to_text(copy), std::nullopt};
}

// The "algorithm:key_id" keys of an upload's one_time_keys or fallback_keys: each id with its
// algorithm, each key an object (signed) or a string (unsigned curve25519).
Reply check_key_map(const rapidjson::Value& value, const char* name) {
    if (!value.IsObject())
        return error("M_BAD_JSON", std::string(name) + " must be an object", 400);
    for (const auto& key : value.GetObject()) {
        const std::string_view id(key.name.GetString(), key.name.GetStringLength());
        const std::size_t colon = id.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size()) {
            return error("M_INVALID_PARAM",
                         std::string(name) + " ids are algorithm:key_id, not " + std::string(id),
                         400);
        }
        if (!key.value.IsObject() && !is_client_string(key.value)) {
            return error("M_BAD_JSON", std::string(name) + " values must be objects or strings",
                         400);
        }
    }
    return std::nullopt;
}

std::string algorithm_of(std::string_view key_id) {
    return std::string(key_id.substr(0, key_id.find(':')));
}

std::string upload_answer(const State& state, const Device& me) {
    return JsonObject().raw("one_time_key_counts", one_time_key_counts_json(state, me)).text();
}

Reply upload(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const std::string key = me.key();
    const auto existing = state.device_keys.find(key);
    const DeviceKeys* stored = existing == state.device_keys.end() ? nullptr : &existing->second;

    // Everything is checked and costed before anything is stored.
    std::size_t cost = stored ? 0 : device_keys_entry_cost(key);
    std::optional<std::string> device_keys;
    const auto device_member = body->FindMember("device_keys");
    if (device_member != body->MemberEnd() && !device_member->value.IsNull()) {
        auto [checked, bad] = checked_device_keys(device_member->value, me);
        if (bad) return bad;
        if (!stored || stored->device_keys != checked) {
            cost += checked.size() + key_change_cost(me.user_id);
            device_keys = std::move(checked);
        }
    }
    std::vector<std::pair<std::string, std::string>> one_time_keys;
    const auto otk_member = body->FindMember("one_time_keys");
    if (otk_member != body->MemberEnd() && !otk_member->value.IsNull()) {
        if (Reply bad = check_key_map(otk_member->value, "one_time_keys")) return bad;
        for (const auto& otk : otk_member->value.GetObject()) {
            std::string id(otk.name.GetString(), otk.name.GetStringLength());
            std::string text = to_text(otk.value);
            if (stored) {
                const auto old = stored->one_time_keys.find(id);
                if (old != stored->one_time_keys.end()) {
                    if (old->second == text) continue;  // a retried upload
                    return error("M_INVALID_PARAM",
                                 "One-time key " + id + " was already uploaded with other content",
                                 400);
                }
            }
            cost += one_time_key_cost(id, text);
            one_time_keys.emplace_back(std::move(id), std::move(text));
        }
    }
    std::vector<FallbackKey> fallback_keys;
    const auto fallback_member = body->FindMember("fallback_keys");
    if (fallback_member != body->MemberEnd() && !fallback_member->value.IsNull()) {
        if (Reply bad = check_key_map(fallback_member->value, "fallback_keys")) return bad;
        for (const auto& fallback : fallback_member->value.GetObject()) {
            FallbackKey entry{
                std::string(fallback.name.GetString(), fallback.name.GetStringLength()),
                to_text(fallback.value), false};
            cost += fallback_key_cost(algorithm_of(entry.key_id), entry.key_id, entry.key);
            fallback_keys.push_back(std::move(entry));
        }
    }
    if (Reply full = refuse_if_full(state, cost)) return full;

    const auto [it, added] = state.device_keys.try_emplace(key);
    if (added) charge(state, device_keys_entry_cost(key));
    DeviceKeys& keys = it->second;
    for (auto& [id, text] : one_time_keys) {
        charge(state, one_time_key_cost(id, text));
        keys.one_time_keys.emplace(std::move(id), std::move(text));
    }
    for (FallbackKey& fallback : fallback_keys) {
        const std::string algorithm = algorithm_of(fallback.key_id);
        const auto old = keys.fallback_keys.find(algorithm);
        if (old != keys.fallback_keys.end()) {
            // The same key again keeps its used mark, as Synapse does: a retried upload must
            // not make a used key look fresh.
            if (old->second.key_id == fallback.key_id && old->second.key == fallback.key) continue;
            release(state, fallback_key_cost(algorithm, old->second.key_id, old->second.key));
        }
        charge(state, fallback_key_cost(algorithm, fallback.key_id, fallback.key));
        keys.fallback_keys[algorithm] = std::move(fallback);
    }
    if (device_keys) {
        release(state, keys.device_keys.size());
        keys.device_keys = std::move(*device_keys);
        charge(state, keys.device_keys.size());
        note_key_change(state, me.user_id);
    }
    return ok(upload_answer(state, me));
}

Reply query_keys(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto wanted = body->FindMember("device_keys");
    if (wanted == body->MemberEnd() || !wanted->value.IsObject()) {
        return error("M_BAD_JSON", "device_keys must be an object of user ids", 400);
    }
    JsonObject devices;
    JsonObject masters;
    JsonObject self_signing;
    JsonObject user_signing;
    for (const auto& user : wanted->value.GetObject()) {
        const std::string user_id(user.name.GetString(), user.name.GetStringLength());
        if (!user.value.IsArray()) {
            return error("M_BAD_JSON", "device_keys." + user_id + " must be an array", 400);
        }
        std::set<std::string> device_ids;
        for (const auto& id : user.value.GetArray()) {
            if (!is_client_string(id)) {
                return error("M_BAD_JSON", "device_keys." + user_id + " must list device ids", 400);
            }
            device_ids.emplace(id.GetString(), id.GetStringLength());
        }
        if (!state.users.contains(user_id)) continue;  // unknown users are left out
        JsonObject of_user;
        for_each_device_keys(
            state, user_id, [&](const std::string& device_id, const DeviceKeys& k) {
                if (k.device_keys.empty()) return;
                if (!device_ids.empty() && !device_ids.contains(device_id)) return;
                of_user.raw(device_id,
                            device_information(state, user_id + "|" + device_id, k.device_keys));
            });
        devices.raw(user_id, of_user.text());
        const auto cross = state.cross_signing.find(user_id);
        if (cross == state.cross_signing.end()) continue;
        if (!cross->second.master.empty()) masters.raw(user_id, cross->second.master);
        if (!cross->second.self_signing.empty()) {
            self_signing.raw(user_id, cross->second.self_signing);
        }
        // A user-signing key says whom its owner trusts: shown to its owner only.
        if (user_id == me.user_id && !cross->second.user_signing.empty()) {
            user_signing.raw(user_id, cross->second.user_signing);
        }
    }
    return ok(JsonObject()
                  .raw("failures", "{}")
                  .raw("device_keys", devices.text())
                  .raw("master_keys", masters.text())
                  .raw("self_signing_keys", self_signing.text())
                  .raw("user_signing_keys", user_signing.text())
                  .text());
}

// One key per (device, algorithm) asked for: a one-time key, given out once and deleted; when
// none is left, the fallback key, kept and marked used; nothing when neither exists.
Reply claim(State& state, const Call& call) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto wanted = body->FindMember("one_time_keys");
    if (wanted == body->MemberEnd() || !wanted->value.IsObject()) {
        return error("M_BAD_JSON", "one_time_keys must be an object of user ids", 400);
    }
    for (const auto& user : wanted->value.GetObject()) {
        if (!user.value.IsObject()) {
            return error("M_BAD_JSON", "one_time_keys values must be objects of device ids", 400);
        }
        for (const auto& device : user.value.GetObject()) {
            if (!is_client_string(device.value)) {
                return error("M_BAD_JSON", "one_time_keys must name an algorithm per device", 400);
            }
        }
    }
    JsonObject claimed;
    for (const auto& user : wanted->value.GetObject()) {
        const std::string user_id(user.name.GetString(), user.name.GetStringLength());
        JsonObject of_user;
        bool any = false;
        for (const auto& device : user.value.GetObject()) {
            const std::string device_id(device.name.GetString(), device.name.GetStringLength());
            const std::string algorithm(device.value.GetString(), device.value.GetStringLength());
            const auto keys = state.device_keys.find(user_id + "|" + device_id);
            if (keys == state.device_keys.end()) continue;
            auto& otks = keys->second.one_time_keys;
            const std::string prefix = algorithm + ":";
            const auto otk = otks.lower_bound(prefix);
            if (otk != otks.end() && otk->first.starts_with(prefix)) {
                of_user.raw(device_id, JsonObject().raw(otk->first, otk->second).text());
                release(state, one_time_key_cost(otk->first, otk->second));
                otks.erase(otk);
                any = true;
                continue;
            }
            const auto fallback = keys->second.fallback_keys.find(algorithm);
            if (fallback == keys->second.fallback_keys.end()) continue;
            fallback->second.used = true;
            of_user.raw(device_id,
                        JsonObject().raw(fallback->second.key_id, fallback->second.key).text());
            any = true;
        }
        if (any) claimed.raw(user_id, of_user.text());
    }
    return ok(JsonObject().raw("failures", "{}").raw("one_time_keys", claimed.text()).text());
}

Reply changes(const State& state, const Call& call, const Device& me) {
    const auto from_token = query(call, "from");
    const auto to_token = query(call, "to");
    if (!from_token || !to_token) {
        return error("M_MISSING_PARAM", "keys/changes needs from and to", 400);
    }
    const auto from = parse_token(state, *from_token);
    const auto to = parse_token(state, *to_token);
    if (!from || !to) {
        return error("M_INVALID_PARAM",
                     "from and to must be sync tokens this server issued (next_batch)", 400);
    }
    const DeviceListChanges found = device_list_changes(state, me.user_id, *from, *to);
    std::vector<std::string> changed;
    std::vector<std::string> left;
    for (const std::string& user : found.changed) changed.push_back(quote(user));
    for (const std::string& user : found.left) left.push_back(quote(user));
    return ok(
        JsonObject().raw("changed", json_array(changed)).raw("left", json_array(left)).text());
}

}  // namespace

std::size_t key_change_cost(std::string_view user_id) {
    return entry_cost(sizeof(std::uint64_t) + sizeof(std::string), {user_id});
}

void note_key_change(State& state, const std::string& user_id) {
    bump(state);
    state.key_changes.emplace(state.position, user_id);
    charge(state, key_change_cost(user_id));
    wake(state, user_id);
    const auto rooms = state.rooms_of_user.find(user_id);
    if (rooms == state.rooms_of_user.end()) return;
    for (const std::string& room_id : rooms->second) {
        const auto room = state.rooms.find(room_id);
        if (room == state.rooms.end()) continue;
        for (const auto& [member, membership] : room->second.membership) {
            if (membership == "join") wake(state, member);
        }
    }
}

DeviceListChanges device_list_changes(const State& state, const std::string& user_id,
                                      std::uint64_t from, std::uint64_t to) {
    std::set<std::string> changed;
    std::set<std::string> maybe_left;
    for (auto it = state.key_changes.upper_bound(from);
         it != state.key_changes.end() && it->first <= to; ++it) {
        if (shares_room(state, user_id, it->second)) changed.insert(it->second);
    }
    // Membership changes in the user's rooms: a user now sharing a room has keys to fetch; one
    // who no longer does (they left, or the user did) may be forgotten.
    const auto rooms = state.rooms_of_user.find(user_id);
    if (rooms != state.rooms_of_user.end()) {
        for (const std::string& room_id : rooms->second) {
            const auto room_it = state.rooms.find(room_id);
            if (room_it == state.rooms.end() || room_it->second.last_position <= from) continue;
            const Room& room = room_it->second;
            const auto mine = room.membership.find(user_id);
            if (mine == room.membership.end()) continue;
            const std::uint64_t my_change = membership_changed_at(room, user_id);
            const bool joined = mine->second == "join";
            const bool i_changed = my_change > from && my_change <= to;
            if (i_changed) {
                // The user joined (everyone there is new to them) or left (everyone may go).
                for (const auto& [member, membership] : room.membership) {
                    if (member != user_id && membership == "join") {
                        (joined ? changed : maybe_left).insert(member);
                    }
                }
                continue;
            }
            if (!joined) continue;
            // Others' membership events since `from`: as many as the room's new events, so a
            // held sync rebuilt for each message does not walk a large room's members.
            for (auto slot = first_after(state, room, from); slot != room.timeline.end(); ++slot) {
                const Event& event = state.events[*slot];
                if (event.position > to) break;
                if (event.type != "m.room.member" || !event.state_key ||
                    *event.state_key == user_id) {
                    continue;
                }
                const auto now = room.membership.find(*event.state_key);
                if (now != room.membership.end() && now->second == "join") {
                    changed.insert(*event.state_key);
                } else {
                    maybe_left.insert(*event.state_key);
                }
            }
        }
    }
    DeviceListChanges out;
    for (const std::string& user : maybe_left) {
        if (!shares_room(state, user_id, user)) out.left.push_back(user);
    }
    for (const std::string& user : changed) {
        if (shares_room(state, user_id, user)) out.changed.push_back(user);
    }
    return out;
}

std::string one_time_key_counts_json(const State& state, const Device& device) {
    std::map<std::string, std::int64_t> counts{{std::string(kDefaultKeyAlgorithm), 0}};
    const auto keys = state.device_keys.find(device.key());
    if (keys != state.device_keys.end()) {
        for (const auto& [id, key] : keys->second.one_time_keys) ++counts[algorithm_of(id)];
    }
    JsonObject out;
    for (const auto& [algorithm, count] : counts) out.num(algorithm, count);
    return out.text();
}

std::string unused_fallback_key_types_json(const State& state, const Device& device) {
    std::vector<std::string> types;
    const auto keys = state.device_keys.find(device.key());
    if (keys != state.device_keys.end()) {
        for (const auto& [algorithm, fallback] : keys->second.fallback_keys) {
            if (!fallback.used) types.push_back(quote(algorithm));
        }
    }
    return json_array(types);
}

void forget_device_keys(State& state, const std::string& user_id,
                        const std::vector<std::string>& device_ids) {
    bool had_device_keys = false;
    for (const std::string& device_id : device_ids) {
        const std::string key = user_id + "|" + device_id;
        const auto it = state.device_keys.find(key);
        if (it == state.device_keys.end()) continue;
        const DeviceKeys& keys = it->second;
        std::size_t bytes = device_keys_entry_cost(key) + keys.device_keys.size();
        for (const auto& [id, text] : keys.one_time_keys) bytes += one_time_key_cost(id, text);
        for (const auto& [algorithm, fallback] : keys.fallback_keys) {
            bytes += fallback_key_cost(algorithm, fallback.key_id, fallback.key);
        }
        had_device_keys = had_device_keys || !keys.device_keys.empty();
        release(state, bytes);
        state.device_keys.erase(it);
    }
    // Others must hear that the device is gone; the record is small, and is kept even when the
    // budget is spent, since a deletion must never be refused.
    if (had_device_keys) note_key_change(state, user_id);
}

Reply handle_keys(State& state, Call& call) {
    const auto& p = call.path;
    if (p.size() != 2 || p[0] != "keys") return std::nullopt;
    const bool post = call.method == "POST";
    const bool known = (post && (p[1] == "upload" || p[1] == "query" || p[1] == "claim")) ||
                       (call.method == "GET" && p[1] == "changes");
    if (!known) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device me = *auth.device;
    if (p[1] == "upload") return upload(state, call, me);
    if (p[1] == "query") return query_keys(state, call, me);
    if (p[1] == "claim") return claim(state, call);
    return changes(state, call, me);
}

}  // namespace matrix::mock::sim
