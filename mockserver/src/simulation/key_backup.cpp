// Server-side key backup, the room_keys operations: each user's backup versions (numbered 1, 2,
// ... per user; the newest is the current one) and the session keys uploaded to them. An upload
// keeps a stored key unless the new one is better by the spec's rules, and every change to a
// version's keys gives it a new etag, so a client can tell that another one changed the backup.
#include <charconv>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

using KeyId = std::pair<std::string, std::string>;  // room id, session id
using Keys = std::map<KeyId, BackedUpKey>;

// --- what is stored, and its cost ----------------------------------------------------------

std::size_t backups_cost(std::string_view user_id) {
    return entry_cost(sizeof(std::string) + sizeof(KeyBackups), {user_id});
}

std::size_t version_cost(std::string_view algorithm, std::string_view auth_data) {
    return entry_cost(sizeof(std::uint64_t) + sizeof(KeyBackup), {algorithm, auth_data});
}

std::size_t key_cost(const KeyId& id, std::string_view json) {
    return entry_cost(2 * sizeof(std::string) + sizeof(BackedUpKey), {id.first, id.second, json});
}

// A version with all its keys.
std::size_t stored_cost(const KeyBackup& backup) {
    std::size_t cost = version_cost(backup.algorithm, backup.auth_data);
    for (const auto& [id, key] : backup.keys) cost += key_cost(id, key.json);
    return cost;
}

// The spec's order: a verified key beats an unverified one, then the one that decrypts from an
// earlier message, then the one forwarded fewer times. A tie keeps the stored key.
bool better(const BackedUpKey& candidate, const BackedUpKey& stored) {
    if (candidate.is_verified != stored.is_verified) return candidate.is_verified;
    if (candidate.first_message_index != stored.first_message_index) {
        return candidate.first_message_index < stored.first_message_index;
    }
    return candidate.forwarded_count < stored.forwarded_count;
}

// --- reading requests ----------------------------------------------------------------------

// A version id as POST hands them out; nullopt for anything else ("01" is not version 1).
std::optional<std::uint64_t> parse_version(const std::string& text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, failure] = std::from_chars(text.data(), end, value);
    if (failure != std::errc() || stop != end || std::to_string(value) != text) return std::nullopt;
    return value;
}

Reply unknown_version() { return error("M_NOT_FOUND", "Unknown backup version", 404); }

// The one backup algorithm the spec lists.
constexpr const char* kAlgorithm = "m.megolm_backup.v1.curve25519-aes-sha2";

struct Config {
    std::string algorithm;
    std::string auth_data;  // a JSON object
};

// The algorithm and auth_data that creating or updating a version needs.
std::pair<Config, Reply> read_config(const rapidjson::Value& body) {
    const auto auth_data = body.FindMember("auth_data");
    if (!body.HasMember("algorithm") || auth_data == body.MemberEnd()) {
        return {{}, error("M_MISSING_PARAM", "algorithm and auth_data are required", 400)};
    }
    const auto algorithm = member_string(body, "algorithm");
    if (algorithm != kAlgorithm) {
        return {{}, error("M_INVALID_PARAM", std::string("algorithm must be ") + kAlgorithm, 400)};
    }
    // The spec's AuthData for that algorithm: a public_key, and signatures as an object.
    const rapidjson::Value& auth = auth_data->value;
    if (!auth.IsObject() || !member_string(auth, "public_key") ||
        (auth.HasMember("signatures") && !auth["signatures"].IsObject())) {
        return {{},
                error("M_INVALID_PARAM",
                      "auth_data must be an object with a string public_key (and signatures "
                      "an object)",
                      400)};
    }
    return {{*algorithm, to_text(auth_data->value)}, std::nullopt};
}

// A KeyBackupData object as a client uploads it; nullopt when it lacks a required member.
std::optional<BackedUpKey> read_key(const rapidjson::Value& data) {
    if (!data.IsObject()) return std::nullopt;
    const auto end = data.MemberEnd();
    const auto index = data.FindMember("first_message_index");
    const auto forwarded = data.FindMember("forwarded_count");
    const auto verified = data.FindMember("is_verified");
    const auto session_data = data.FindMember("session_data");
    if (index == end || !index->value.IsInt64() || forwarded == end ||
        !forwarded->value.IsInt64() || verified == end || !verified->value.IsBool() ||
        session_data == end || !session_data->value.IsObject()) {
        return std::nullopt;
    }
    return BackedUpKey{verified->value.GetBool(), index->value.GetInt64(),
                       forwarded->value.GetInt64(), to_text(data)};
}

using Uploads = std::vector<std::pair<KeyId, BackedUpKey>>;

Reply bad_key(const KeyId& id) {
    return error("M_BAD_JSON",
                 "The key of session " + id.second + " in room " + id.first +
                     " needs an integer first_message_index and forwarded_count, a boolean "
                     "is_verified and an object session_data",
                 400);
}

// {"sessions": {session id: key data}} for `room`, appended to `out`.
Reply read_room(const std::string& room, const rapidjson::Value& backup, Uploads& out) {
    const Reply bad =
        error("M_BAD_JSON", "The keys of room " + room + " need a sessions object", 400);
    if (!backup.IsObject()) return bad;
    const auto sessions = backup.FindMember("sessions");
    if (sessions == backup.MemberEnd() || !sessions->value.IsObject()) return bad;
    for (const auto& member : sessions->value.GetObject()) {
        KeyId id{room, std::string(member.name.GetString(), member.name.GetStringLength())};
        auto key = read_key(member.value);
        if (!key) return bad_key(id);
        out.emplace_back(std::move(id), std::move(*key));
    }
    return std::nullopt;
}

// The keys a PUT uploads, by its path: every room's, one room's or one session's.
std::pair<Uploads, Reply> read_uploads(const std::vector<std::string>& path,
                                       const rapidjson::Value& body) {
    Uploads uploads;
    if (path.size() == 4) {
        KeyId id{path[2], path[3]};
        auto key = read_key(body);
        if (!key) return {{}, bad_key(id)};
        uploads.emplace_back(std::move(id), std::move(*key));
        return {std::move(uploads), std::nullopt};
    }
    if (path.size() == 3) {
        Reply bad = read_room(path[2], body, uploads);
        return {std::move(uploads), std::move(bad)};
    }
    const auto rooms = body.FindMember("rooms");
    if (rooms == body.MemberEnd() || !rooms->value.IsObject()) {
        return {{}, error("M_BAD_JSON", "rooms must be an object of room ids to keys", 400)};
    }
    for (const auto& member : rooms->value.GetObject()) {
        const std::string room(member.name.GetString(), member.name.GetStringLength());
        if (Reply bad = read_room(room, member.value, uploads)) return {{}, std::move(bad)};
    }
    return {std::move(uploads), std::nullopt};
}

// --- answers -------------------------------------------------------------------------------

// RoomKeysUpdateResponse: what a change to the keys answers.
Reply update_answer(const KeyBackup& backup) {
    return ok(JsonObject()
                  .str("etag", std::to_string(backup.etag))
                  .num("count", static_cast<std::int64_t>(backup.keys.size()))
                  .text());
}

std::string version_json(std::uint64_t version, const KeyBackup& backup) {
    return JsonObject()
        .str("algorithm", backup.algorithm)
        .raw("auth_data", backup.auth_data)
        .num("count", static_cast<std::int64_t>(backup.keys.size()))
        .str("etag", std::to_string(backup.etag))
        .str("version", std::to_string(version))
        .text();
}

// {"sessions": {...}} of the room `it` is at; leaves `it` after that room's keys.
std::string room_json(Keys::const_iterator& it, Keys::const_iterator last) {
    const std::string& room = it->first.first;
    JsonObject sessions;
    for (; it != last && it->first.first == room; ++it)
        sessions.raw(it->first.second, it->second.json);
    return JsonObject().raw("sessions", sessions.text()).text();
}

// --- versions ------------------------------------------------------------------------------

Reply create_version(State& state, const Call& call, const std::string& user_id) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    auto [config, bad] = read_config(*body);
    if (bad) return bad;
    const bool first = !state.key_backups.contains(user_id);
    const std::size_t cost =
        version_cost(config.algorithm, config.auth_data) + (first ? backups_cost(user_id) : 0);
    if (Reply full = refuse_if_full(state, cost)) return full;
    charge(state, cost);
    KeyBackups& backups = state.key_backups[user_id];
    const std::uint64_t version = ++backups.last_version;
    backups.versions.emplace(
        version, KeyBackup{std::move(config.algorithm), std::move(config.auth_data), {}, 0});
    return ok(JsonObject().str("version", std::to_string(version)).text());
}

Reply update_version(State& state, const Call& call, KeyBackup& backup,
                     const std::string& version) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    // read_config() holds the algorithm to the one a backup can have: the backup's own.
    auto [config, bad] = read_config(*body);
    if (bad) return bad;
    if (body->HasMember("version") && member_string(*body, "version") != version) {
        return error("M_INVALID_PARAM", "The version in the body does not match the path's", 400);
    }
    if (Reply full = refuse_if_full(state, config.auth_data.size())) return full;
    release(state, backup.auth_data.size());
    charge(state, config.auth_data.size());
    backup.auth_data = std::move(config.auth_data);
    return ok("{}");
}

// getRoomKeysVersionCurrent, postRoomKeysVersion, and get, put and delete of one version.
Reply versions_operation(State& state, const Call& call, const std::string& user_id) {
    const auto& p = call.path;
    if (p.size() == 2 && call.method == "POST") return create_version(state, call, user_id);
    const auto found = state.key_backups.find(user_id);
    KeyBackups* backups = found == state.key_backups.end() ? nullptr : &found->second;
    if (p.size() == 2) {
        if (!backups || backups->versions.empty()) {
            return error("M_NOT_FOUND", "No current backup version", 404);
        }
        const auto& [version, backup] = *backups->versions.rbegin();
        return ok(version_json(version, backup));
    }
    const auto number = parse_version(p[2]);
    const auto live = backups && number ? backups->versions.find(*number)
                                        : std::map<std::uint64_t, KeyBackup>::iterator();
    if (!backups || !number || live == backups->versions.end()) {
        // Deleting a version deleted before succeeds, as the spec asks.
        const bool deleted = backups && number && *number >= 1 && *number <= backups->last_version;
        if (call.method == "DELETE" && deleted) return ok("{}");
        return unknown_version();
    }
    if (call.method == "GET") return ok(version_json(live->first, live->second));
    if (call.method == "PUT") return update_version(state, call, live->second, p[2]);
    release(state, stored_cost(live->second));
    backups->versions.erase(live);
    return ok("{}");
}

// --- keys ----------------------------------------------------------------------------------

// The version the `version` query names: any existing one to read or delete keys, the current
// one to store them. For a store to any other (even one that never existed) the answer is 403
// with current_version, as Synapse's is, so that the client learns which to use.
std::pair<KeyBackup*, Reply> version_for_keys(State& state, const Call& call,
                                              const std::string& user_id, bool storing) {
    const auto text = query(call, "version");
    if (!text)
        return {nullptr, error("M_MISSING_PARAM", "The version query parameter is required", 400)};
    const auto backups = state.key_backups.find(user_id);
    if (backups == state.key_backups.end() || backups->second.versions.empty()) {
        return {nullptr, unknown_version()};
    }
    auto& versions = backups->second.versions;
    const auto number = parse_version(*text);
    const auto found = number ? versions.find(*number) : versions.end();
    if (storing && found != std::prev(versions.end())) {
        const std::string current = std::to_string(versions.rbegin()->first);
        return {nullptr, ok(JsonObject()
                                .str("errcode", "M_WRONG_ROOM_KEYS_VERSION")
                                .str("error", "Wrong backup version: the current one is " + current)
                                .str("current_version", current)
                                .text(),
                            403)};
    }
    if (found == versions.end()) return {nullptr, unknown_version()};
    return {&found->second, std::nullopt};
}

Reply store_keys(State& state, KeyBackup& backup, Uploads uploads) {
    // Counted in full even for keys that stay as they are, so it is known before any changes.
    std::size_t cost = 0;
    for (const auto& [id, key] : uploads) cost += key_cost(id, key.json);
    if (Reply full = refuse_if_full(state, cost)) return full;
    bool changed = false;
    for (auto& [id, key] : uploads) {
        const auto stored = backup.keys.find(id);
        if (stored != backup.keys.end() && !better(key, stored->second)) continue;
        if (stored != backup.keys.end()) {
            release(state, key_cost(id, stored->second.json));
            backup.keys.erase(stored);
        }
        charge(state, key_cost(id, key.json));
        backup.keys.emplace(std::move(id), std::move(key));
        changed = true;
    }
    if (changed) ++backup.etag;
    return update_answer(backup);
}

// The stored keys a path names: all, one room's or one session's.
std::pair<Keys::iterator, Keys::iterator> keys_named(Keys& keys,
                                                     const std::vector<std::string>& path) {
    if (path.size() == 2) return {keys.begin(), keys.end()};
    if (path.size() == 4) {
        const auto it = keys.find({path[2], path[3]});
        return {it, it == keys.end() ? it : std::next(it)};
    }
    const auto first = keys.lower_bound({path[2], ""});
    auto last = first;
    while (last != keys.end() && last->first.first == path[2]) ++last;
    return {first, last};
}

Reply read_keys(const std::vector<std::string>& path, Keys::const_iterator first,
                Keys::const_iterator last) {
    if (path.size() == 4) {
        if (first == last) return error("M_NOT_FOUND", "Key not found", 404);
        return ok(first->second.json);
    }
    // A room without keys answers {"sessions": {}}, as the spec says.
    if (path.size() == 3) return ok(first == last ? R"({"sessions":{}})" : room_json(first, last));
    JsonObject rooms;
    while (first != last) {
        const std::string room = first->first.first;
        rooms.raw(room, room_json(first, last));
    }
    return ok(JsonObject().raw("rooms", rooms.text()).text());
}

Reply keys_operation(State& state, const Call& call, const std::string& user_id) {
    const bool storing = call.method == "PUT";
    const auto [backup, refused] = version_for_keys(state, call, user_id, storing);
    if (!backup) return refused;
    if (storing) {
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
        auto [uploads, bad] = read_uploads(call.path, *body);
        if (bad) return bad;
        return store_keys(state, *backup, std::move(uploads));
    }
    const auto [first, last] = keys_named(backup->keys, call.path);
    if (call.method == "GET") return read_keys(call.path, first, last);
    if (first == last) return update_answer(*backup);  // nothing to delete: the etag stays
    for (auto it = first; it != last; ++it) release(state, key_cost(it->first, it->second.json));
    backup->keys.erase(first, last);
    ++backup->etag;
    return update_answer(*backup);
}

}  // namespace

Reply handle_key_backup(State& state, Call& call) {
    const auto& p = call.path;
    if (p.size() < 2 || p[0] != "room_keys") return std::nullopt;
    const bool versions = p[1] == "version" && p.size() <= 3;
    const bool keys = p[1] == "keys" && p.size() <= 4;
    if (!versions && !keys) return std::nullopt;
    const std::string& method = call.method;
    const bool known = p.size() == 2 && versions
                           ? method == "GET" || method == "POST"
                           : method == "GET" || method == "PUT" || method == "DELETE";
    if (!known) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (versions) return versions_operation(state, call, auth.device->user_id);
    return keys_operation(state, call, auth.device->user_id);
}

void forget_key_backups(State& state, const std::string& user_id) {
    const auto it = state.key_backups.find(user_id);
    if (it == state.key_backups.end()) return;
    for (const auto& [version, backup] : it->second.versions) release(state, stored_cost(backup));
    release(state, backups_cost(user_id));
    state.key_backups.erase(it);
}

}  // namespace matrix::mock::sim
