// Fuzzes the /sync decoder: any bytes either decode or throw SyncDecodeError (anything else
// escaping is a finding), decode() and decode_in_place() agree, and every view in the result
// points at readable text (AddressSanitizer checks each byte as it is summed).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "matrix/sync.hpp"

namespace {

using matrix::fuzz::check;
using namespace matrix::sync;

struct Digest {
    std::uint64_t sum = 0;
    std::size_t strings = 0;

    void add(std::string_view text) {
        for (const char c : text) sum = sum * 31 + static_cast<unsigned char>(c);
        ++strings;
    }
    void add(const Event& event) {
        add(event.type);
        add(event.event_id);
        add(event.sender);
        sum += static_cast<std::uint64_t>(event.origin_server_ts);
        if (event.state_key) add(*event.state_key);
        add(event.content_json);
        add(event.unsigned_json);
    }
    void add(const std::vector<Event>& events) {
        for (const Event& event : events) add(event);
    }
    void add(const Timeline& timeline) {
        add(timeline.events);
        sum += timeline.limited ? 1 : 0;
        add(timeline.prev_batch);
    }
    void add(const SyncResponse& response) {
        add(response.next_batch);
        for (const auto& [id, room] : response.join) {
            add(id);
            add(room.timeline);
            add(room.state);
            add(room.ephemeral);
            add(room.account_data);
            sum += static_cast<std::uint64_t>(room.unread_notifications.highlight_count +
                                              room.unread_notifications.notification_count);
            for (const std::string_view hero : room.summary.heroes) add(hero);
        }
        for (const auto& [id, room] : response.invite) {
            add(id);
            add(room.invite_state);
        }
        for (const auto& [id, room] : response.leave) {
            add(id);
            add(room.timeline);
            add(room.state);
            add(room.account_data);
        }
        for (const auto& [id, room] : response.knock) {
            add(id);
            add(room.knock_state);
        }
        add(response.presence);
        add(response.account_data);
        add(response.to_device);
        for (const std::string_view user : response.device_lists.changed) add(user);
        for (const std::string_view user : response.device_lists.left) add(user);
        for (const auto& [algorithm, count] : response.device_one_time_keys_count) {
            add(algorithm);
            sum += static_cast<std::uint64_t>(count);
        }
    }
    bool operator==(const Digest&) const = default;
};

// The digest of a successful decode, or nullopt for SyncDecodeError; nothing else may escape.
template <typename Decode>
std::optional<Digest> digest_of(Decode&& decode) {
    try {
        Digest digest;
        digest.add(decode());
        return digest;
    } catch (const SyncDecodeError& error) {
        check(!std::string_view(error.what()).empty(), "SyncDecodeError without a message");
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = matrix::fuzz::as_text(data, size);
    // One Decoder for the whole run, as a sync loop keeps one: its reused buffers must not let
    // one input's state leak into the next.
    static Decoder decoder;

    const std::optional<Digest> copied = digest_of([&] { return decoder.decode(input); });
    std::string body(input);
    const std::optional<Digest> in_place = digest_of([&] { return decoder.decode_in_place(body); });
    check(copied.has_value() == in_place.has_value(),
          "decode and decode_in_place disagree on whether the input is valid");
    if (copied) check(*copied == *in_place, "decode and decode_in_place decode differently");
    check(body == input, "decode_in_place changed the body's contents");

    // A fresh decoder must agree with the reused one.
    const std::optional<Digest> fresh = digest_of([&] { return matrix::sync::decode(input); });
    check(fresh.has_value() == copied.has_value(), "a fresh Decoder disagrees with a reused one");
    if (fresh) check(*fresh == *copied, "a fresh Decoder decodes differently from a reused one");
    return 0;
}
