// Cross-signing: a user's master, self-signing and user-signing keys (keys/device_signing/upload)
// and the signatures clients add to device and cross-signing keys (keys/signatures/upload). The
// keys and signatures are stored and served as sent; none is verified.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

struct Slot {
    const char* member;  // in the upload body
    const char* usage;   // what its "usage" must list
    std::string CrossSigningKeys::*field;
};
constexpr Slot kSlots[] = {
    {"master_key", "master", &CrossSigningKeys::master},
    {"self_signing_key", "self_signing", &CrossSigningKeys::self_signing},
    {"user_signing_key", "user_signing", &CrossSigningKeys::user_signing},
};

std::size_t cross_signing_entry_cost(std::string_view user_id) {
    return entry_cost(sizeof(std::string) + sizeof(CrossSigningKeys), {user_id});
}

// A CrossSigningKey of the caller: user_id, usage listing `usage`, one key in keys.
Reply check_cross_signing_key(const rapidjson::Value& value, const Slot& slot,
                              const std::string& user_id) {
    const std::string name = slot.member;
    if (!value.IsObject()) return error("M_BAD_JSON", name + " must be an object", 400);
    if (member_string(value, "user_id") != user_id) {
        return error("M_INVALID_PARAM", name + ".user_id must be " + user_id, 400);
    }
    const auto usage = value.FindMember("usage");
    bool listed = false;
    if (usage != value.MemberEnd() && usage->value.IsArray()) {
        for (const auto& item : usage->value.GetArray()) {
            listed = listed || (is_client_string(item) &&
                                std::string_view(item.GetString()) == std::string_view(slot.usage));
        }
    }
    if (!listed) {
        return error("M_INVALID_PARAM", name + ".usage must list " + slot.usage, 400);
    }
    const auto keys = value.FindMember("keys");
    if (keys == value.MemberEnd() || !keys->value.IsObject() || keys->value.MemberCount() != 1 ||
        !is_client_string(keys->value.MemberBegin()->value)) {
        return error("M_INVALID_PARAM", name + ".keys must hold exactly one key", 400);
    }
    return std::nullopt;
}

Reply upload_keys(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto existing = state.cross_signing.find(me.user_id);
    const CrossSigningKeys* stored =
        existing == state.cross_signing.end() ? nullptr : &existing->second;
    CrossSigningKeys uploaded;
    bool any = false;
    bool all_same = true;
    for (const Slot& slot : kSlots) {
        const auto member = body->FindMember(slot.member);
        if (member == body->MemberEnd() || member->value.IsNull()) continue;
        if (Reply bad = check_cross_signing_key(member->value, slot, me.user_id)) return bad;
        uploaded.*slot.field = to_text(member->value);
        any = true;
        all_same = all_same && stored && stored->*slot.field == uploaded.*slot.field;
    }
    const bool has_master = stored && !stored->master.empty();
    if (!has_master && uploaded.master.empty() && any) {
        return error("M_INVALID_PARAM",
                     "A self-signing or user-signing key needs a master key, uploaded first or "
                     "with it",
                     400);
    }
    // As Synapse: the first upload (no master key yet) needs no user-interactive auth, nor does
    // one repeating what is stored; replacing keys does, since it resets the user's trust.
    if (has_master && !(any && all_same)) {
        if (Reply unfinished =
                check_user_interactive_auth(state, *body, state.users.at(me.user_id))) {
            return unfinished;
        }
    }
    if (!any || all_same) return ok("{}");
    std::size_t cost = stored ? 0 : cross_signing_entry_cost(me.user_id);
    for (const Slot& slot : kSlots) cost += (uploaded.*slot.field).size();
    cost += key_change_cost(me.user_id);
    if (Reply full = refuse_if_full(state, cost)) return full;
    const auto [it, added] = state.cross_signing.try_emplace(me.user_id);
    if (added) charge(state, cross_signing_entry_cost(me.user_id));
    for (const Slot& slot : kSlots) {
        std::string& field = it->second.*slot.field;
        if ((uploaded.*slot.field).empty()) continue;
        release(state, field.size());
        field = std::move(uploaded.*slot.field);
        charge(state, field.size());
    }
    note_key_change(state, me.user_id);
    return ok("{}");
}

// The public key a cross-signing key is known by in a signatures upload: its one key's value.
std::string public_key(const std::string& key_json) {
    const auto parsed = parse_object(key_json);
    if (!parsed) return {};
    const auto keys = parsed->FindMember("keys");
    if (keys == parsed->MemberEnd() || !keys->value.IsObject() || keys->value.ObjectEmpty()) {
        return {};
    }
    const auto& value = keys->value.MemberBegin()->value;
    return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : "";
}

// The stored JSON text a signatures upload names by (user, key id): a device's keys or one of
// the user's cross-signing keys; nullptr when there is none.
std::string* signed_object(State& state, const std::string& user_id, const std::string& key_id) {
    const auto device = state.device_keys.find(user_id + "|" + key_id);
    if (device != state.device_keys.end() && !device->second.device_keys.empty()) {
        return &device->second.device_keys;
    }
    const auto cross = state.cross_signing.find(user_id);
    if (cross == state.cross_signing.end()) return nullptr;
    for (const Slot& slot : kSlots) {
        std::string& text = cross->second.*slot.field;
        if (!text.empty() && public_key(text) == key_id) return &text;
    }
    return nullptr;
}

// `stored` with the signatures the caller made in `upload` added (theirs only: a user signs with
// their own keys); nullopt when the upload carries none of theirs.
std::optional<std::string> with_signatures(const std::string& stored,
                                           const rapidjson::Value& upload,
                                           const std::string& signer) {
    const auto signatures = upload.FindMember("signatures");
    if (signatures == upload.MemberEnd() || !signatures->value.IsObject()) return std::nullopt;
    const auto mine = signatures->value.FindMember(signer.c_str());
    if (mine == signatures->value.MemberEnd() || !mine->value.IsObject() ||
        mine->value.ObjectEmpty()) {
        return std::nullopt;
    }
    auto document = parse_object(stored);
    if (!document) return std::nullopt;
    auto& allocator = document->GetAllocator();
    if (!document->HasMember("signatures") || !(*document)["signatures"].IsObject()) {
        document->RemoveMember("signatures");
        document->AddMember("signatures", rapidjson::Value(rapidjson::kObjectType), allocator);
    }
    rapidjson::Value& all = (*document)["signatures"];
    rapidjson::Value signer_key(signer.c_str(), static_cast<rapidjson::SizeType>(signer.size()),
                                allocator);
    if (!all.HasMember(signer.c_str()) || !all[signer.c_str()].IsObject()) {
        all.RemoveMember(signer.c_str());
        all.AddMember(signer_key, rapidjson::Value(rapidjson::kObjectType), allocator);
    }
    rapidjson::Value& by_signer = all[signer.c_str()];
    for (const auto& signature : mine->value.GetObject()) {
        by_signer.RemoveMember(signature.name);
        rapidjson::Value name(signature.name, allocator);
        rapidjson::Value value(signature.value, allocator);
        by_signer.AddMember(name, value, allocator);
    }
    return to_text(*document);
}

Reply upload_signatures(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    for (const auto& user : body->GetObject()) {
        if (!user.value.IsObject()) {
            return error("M_BAD_JSON", "Each user's signatures must be an object of key ids", 400);
        }
        for (const auto& key : user.value.GetObject()) {
            if (!key.value.IsObject()) {
                return error("M_BAD_JSON", "Each signed key must be an object", 400);
            }
        }
    }
    JsonObject failures;
    std::set<std::string> changed_users;
    for (const auto& user : body->GetObject()) {
        const std::string user_id(user.name.GetString(), user.name.GetStringLength());
        JsonObject user_failures;
        bool failed = false;
        for (const auto& key : user.value.GetObject()) {
            const std::string key_id(key.name.GetString(), key.name.GetStringLength());
            std::string* stored = signed_object(state, user_id, key_id);
            std::optional<std::string> merged;
            if (stored) merged = with_signatures(*stored, key.value, me.user_id);
            Reply full;
            if (merged && merged->size() > stored->size()) {
                full = refuse_if_full(state,
                                      merged->size() - stored->size() + key_change_cost(user_id));
            }
            if (!stored || !merged || full) {
                const char* errcode = !stored ? "M_NOT_FOUND"
                                      : full  ? "M_RESOURCE_LIMIT_EXCEEDED"
                                              : "M_INVALID_SIGNATURE";
                const std::string message = !stored ? "No such key: " + user_id + " " + key_id
                                            : full  ? "The simulation's state is full"
                                                    : "No signature by " + me.user_id;
                user_failures.raw(
                    key_id, JsonObject().str("errcode", errcode).str("error", message).text());
                failed = true;
                continue;
            }
            if (*merged == *stored) continue;
            release(state, stored->size());
            *stored = std::move(*merged);
            charge(state, stored->size());
            changed_users.insert(user_id);
        }
        if (failed) failures.raw(user_id, user_failures.text());
    }
    for (const std::string& user_id : changed_users) note_key_change(state, user_id);
    return ok(JsonObject().raw("failures", failures.text()).text());
}

}  // namespace

Reply handle_cross_signing(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "POST" || p.size() != 3 || p[0] != "keys" || p[2] != "upload" ||
        (p[1] != "device_signing" && p[1] != "signatures")) {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (p[1] == "device_signing") return upload_keys(state, call, *auth.device);
    return upload_signatures(state, call, *auth.device);
}

}  // namespace matrix::mock::sim
