// The simulation's state budget: what each stored record costs, and the refusal when a request
// would take the state past SimulationOptions::state_capacity_bytes.
//
// The accounting is approximate on purpose: a record costs the characters of every string it
// holds, plus the size of the struct holding them and, for map and set entries, a node. Allocator
// rounding, vector slack and the small-string buffer are not modelled, so the process takes
// somewhat more than the count. Every cost is a function of what a request brings, so it is
// known, and checked, before anything is stored.
#include <algorithm>
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// A std::map or std::set node beyond its value: two children, a parent and the colour in
// libstdc++, plus malloc's header.
constexpr std::size_t kNodeOverhead = 48;

std::size_t characters(std::initializer_list<std::string_view> strings) {
    std::size_t total = 0;
    for (const std::string_view text : strings) total += text.size();
    return total;
}

}  // namespace

std::size_t entry_cost(std::size_t record_size, std::initializer_list<std::string_view> strings) {
    return kNodeOverhead + record_size + characters(strings);
}

std::size_t event_id_length(const State& state) {
    return 1 + kEventIdRandomChars + 1 + state.options.server_name.size();  // "$id:server"
}

std::size_t event_cost(const State& state, std::string_view room_id, std::string_view sender,
                       std::string_view type, std::string_view content,
                       const std::optional<std::string>& state_key, std::string_view txn_device,
                       std::string_view txn_id) {
    const std::size_t event_id = event_id_length(state);
    // The Event itself, its slot in the room's timeline, and its event_index entry.
    std::size_t cost = sizeof(Event) + event_id +
                       characters({room_id, sender, type, content, txn_device, txn_id}) +
                       sizeof(std::size_t) +
                       entry_cost(sizeof(std::string) + sizeof(std::size_t), {}) + event_id;
    // Its place in its parent's relation index, when it relates to an event of its room.
    cost += relation_cost(state, room_id, sender, content);
    if (state_key) {
        cost += state_key->size() +
                entry_cost(2 * sizeof(std::string) + sizeof(std::size_t), {type, *state_key});
        if (type == "m.room.member") {
            // The membership and membership_position entries for the target user, and the
            // unread counts /sync may keep for them there.
            cost += entry_cost(2 * sizeof(std::string), {*state_key, "invite"}) +
                    entry_cost(sizeof(std::string) + sizeof(std::uint64_t), {*state_key}) +
                    unread_cache_cost(*state_key, room_id);
        }
    }
    return cost;
}

std::size_t room_cost(std::string_view room_id) {
    return entry_cost(sizeof(std::string) + sizeof(Room), {room_id, room_id});
}

std::size_t user_cost(std::string_view user_id, std::string_view password,
                      std::string_view displayname) {
    return entry_cost(sizeof(std::string) + sizeof(User),
                      {user_id, user_id, password, displayname});
}

std::size_t token_cost(std::string_view token, const Device& device) {
    // The tokens entry (with room for any last_seen_ip), and its entry in tokens_of_user
    // (device id -> token).
    return entry_cost(sizeof(std::string) + sizeof(Device),
                      {token, device.user_id, device.device_id}) +
           kIpAddressMaxChars + entry_cost(2 * sizeof(std::string), {device.device_id, token});
}

std::size_t login_cost(std::string_view user_id, const std::optional<std::string>& device_id) {
    const std::size_t device_chars =
        device_id && !device_id->empty() ? device_id->size() : kDeviceIdRandomChars;
    const std::string token(4 + kAccessTokenRandomChars, 't');  // "syt_" + random
    return token_cost(token, Device{std::string(user_id), std::string(device_chars, 'd')});
}

std::size_t transaction_cost(const State& state, std::string_view txn_key) {
    return entry_cost(2 * sizeof(std::string), {txn_key}) + event_id_length(state);
}

std::size_t account_data_cost(std::string_view room_id, std::string_view type,
                              std::string_view content) {
    const std::size_t key = room_id.empty() ? sizeof(std::string) : 2 * sizeof(std::string);
    return entry_cost(key + sizeof(AccountData), {room_id, type, content});
}

std::size_t threepid_session_cost(std::string_view key, std::string_view client_secret,
                                  std::string_view medium, std::string_view address) {
    const std::string sid(kThreepidSidChars, 's');
    const std::string token(kThreepidTokenDigits, '0');
    return entry_cost(sizeof(std::string) + sizeof(ThreepidSession),
                      {sid, sid, client_secret, medium, address, token}) +
           entry_cost(2 * sizeof(std::string), {key, sid});
}

std::size_t account_threepid_cost(std::string_view user_id, std::string_view medium,
                                  std::string_view address) {
    return entry_cost(2 * sizeof(std::string) + sizeof(AccountThreepid),
                      {medium, address, user_id}) +
           entry_cost(2 * sizeof(std::string), {medium, address});
}

Reply refuse_if_full(const State& state, std::size_t bytes) {
    const std::size_t capacity = state.options.state_capacity_bytes;
    if (state.state_bytes <= capacity && bytes <= capacity - state.state_bytes) {
        return std::nullopt;
    }
    // The client under test cannot fix this, whoever runs the simulation can: say how.
    const std::string message =
        "The simulation holds about " + std::to_string(state.state_bytes) +
        " bytes of state and this request would add about " + std::to_string(bytes) +
        " more, past its cap of " + std::to_string(capacity) +
        " bytes (--sim-state-capacity-bytes, SimulationOptions::state_capacity_bytes); reset it "
        "with POST /__admin/sim/reset or raise the cap";
    return ok(JsonObject()
                  .str("errcode", "M_RESOURCE_LIMIT_EXCEEDED")
                  .str("error", message)
                  .str("admin_contact", "mailto:nobody@localhost")
                  .text(),
              403);
}

void charge(State& state, std::size_t bytes) { state.state_bytes += bytes; }

void release(State& state, std::size_t bytes) {
    // Never below zero, should a release ever outgrow its charge.
    state.state_bytes -= std::min(bytes, state.state_bytes);
}

}  // namespace matrix::mock::sim
