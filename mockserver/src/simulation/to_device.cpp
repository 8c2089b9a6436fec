// Send-to-device messaging: PUT sendToDevice queues a message per target device (all of a
// user's devices for "*"), idempotent per (sending device, transaction id); /sync delivers a
// device's queue and forgets what the next sync's `since` shows the client received.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::size_t queue_cost(std::string_view device_key) {
    return entry_cost(sizeof(std::string) + sizeof(std::deque<ToDeviceMessage>), {device_key});
}

std::size_t message_cost(std::string_view sender, std::string_view type, std::string_view content) {
    return sizeof(ToDeviceMessage) + sender.size() + type.size() + content.size();
}

}  // namespace

Reply handle_to_device(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "PUT" || p.size() != 3 || p[0] != "sendToDevice") return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device me = *auth.device;
    const std::string& type = p[1];
    const std::string txn_key = me.key() + "|sendToDevice|" + p[2];
    if (state.transactions.contains(txn_key)) return ok("{}");  // a retry: sent already
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto messages = body->FindMember("messages");
    if (messages == body->MemberEnd() || !messages->value.IsObject()) {
        return error("M_BAD_JSON", "messages must be an object of user ids", 400);
    }
    // (target device key, content) for every device a message goes to; unknown users and
    // devices are skipped, as a homeserver drops messages for devices that do not exist.
    std::vector<std::pair<std::string, std::string>> deliveries;
    std::size_t cost = transaction_cost(state, txn_key);
    for (const auto& user : messages->value.GetObject()) {
        if (!user.value.IsObject()) {
            return error("M_BAD_JSON", "messages values must be objects of device ids", 400);
        }
        const std::string user_id(user.name.GetString(), user.name.GetStringLength());
        const std::vector<Device> devices = devices_of(state, user_id);
        for (const auto& target : user.value.GetObject()) {
            if (!target.value.IsObject()) {
                return error("M_BAD_JSON", "Each message's content must be an object", 400);
            }
            const std::string device_id(target.name.GetString(), target.name.GetStringLength());
            const std::string content = to_text(target.value);
            for (const Device& device : devices) {
                if (device_id != "*" && device.device_id != device_id) continue;
                const std::string key = device.key();
                cost += message_cost(me.user_id, type, content) +
                        (state.to_device.contains(key) ? 0 : queue_cost(key));
                deliveries.emplace_back(key, content);
            }
        }
    }
    if (Reply full = refuse_if_full(state, cost)) return full;
    state.transactions[txn_key];
    charge(state, transaction_cost(state, txn_key));
    if (deliveries.empty()) return ok("{}");
    bump(state);  // the messages' place in the stream: a sync past it has received them
    for (auto& [key, content] : deliveries) {
        const auto [queue, added] = state.to_device.try_emplace(key);
        if (added) charge(state, queue_cost(key));
        charge(state, message_cost(me.user_id, type, content));
        queue->second.push_back({state.position, me.user_id, type, std::move(content)});
        wake(state, key.substr(0, key.find('|')));
    }
    return ok("{}");
}

std::vector<std::string> to_device_events(const State& state, const Device& device,
                                          std::uint64_t after) {
    std::vector<std::string> events;
    const auto queue = state.to_device.find(device.key());
    if (queue == state.to_device.end()) return events;
    for (const ToDeviceMessage& message : queue->second) {
        if (message.position <= after) continue;
        events.push_back(JsonObject()
                             .str("type", message.type)
                             .str("sender", message.sender)
                             .raw("content", message.content)
                             .text());
    }
    return events;
}

void acknowledge_to_device(State& state, const Device& device, std::uint64_t since) {
    const std::string key = device.key();
    const auto queue = state.to_device.find(key);
    if (queue == state.to_device.end()) return;
    auto& messages = queue->second;
    while (!messages.empty() && messages.front().position <= since) {
        const ToDeviceMessage& message = messages.front();
        release(state, message_cost(message.sender, message.type, message.content));
        messages.pop_front();
    }
    if (messages.empty()) {
        release(state, queue_cost(key));
        state.to_device.erase(queue);
    }
}

void forget_to_device(State& state, const std::string& user_id,
                      const std::vector<std::string>& device_ids) {
    for (const std::string& device_id : device_ids) {
        // Everything up to the newest position: the whole queue.
        acknowledge_to_device(state, Device{user_id, device_id}, state.position);
    }
}

}  // namespace matrix::mock::sim
