// A typed model of the /sync response and its decoder; events keep their content as raw JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/error.hpp"

namespace matrix::sync {

// Owns the text of a decoded response: every string_view in the model points into one.
// It grows in blocks that never move, so a view stays valid as long as the arena, and
// SyncResponse shares its arena with its copies. Decoding copies text once, into one block
// sized for the whole body, instead of allocating a std::string per field.
class TextArena {
  public:
    // `expected_bytes` sizes the first block; the decoder passes the body's size, which
    // bounds all the text it keeps.
    explicit TextArena(std::size_t expected_bytes = 0) : expected_bytes_(expected_bytes) {}
    TextArena(const TextArena&) = delete;
    TextArena& operator=(const TextArena&) = delete;

    // Copies `text` into the arena and returns the copy.
    std::string_view keep(std::string_view text) {
        if (text.size() > left_) add_block(text.size());
        char* const at = next_;
        if (!text.empty()) std::memcpy(at, text.data(), text.size());
        next_ += text.size();
        left_ -= text.size();
        return {at, text.size()};
    }

  private:
    void add_block(std::size_t at_least);

    std::size_t expected_bytes_;
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* next_ = nullptr;
    std::size_t left_ = 0;
};

// One event as /sync delivers it. Content stays raw JSON text, so nothing is lost and clients
// parse only what they use. The strings are views into the response's TextArena: copy what
// must outlive the SyncResponse (std::string(event.sender)).
struct Event {
    std::string_view type;
    std::string_view event_id;
    std::string_view sender;
    std::int64_t origin_server_ts = 0;
    std::optional<std::string_view> state_key;
    std::string_view content_json = "{}";
    std::string_view unsigned_json;  // raw, "" when absent
};

struct Timeline {
    std::vector<Event> events;
    bool limited = false;
    std::string_view prev_batch;
};

struct UnreadNotifications {
    std::int64_t highlight_count = 0;
    std::int64_t notification_count = 0;
};

struct RoomSummary {
    std::vector<std::string_view> heroes;
    std::optional<std::int64_t> joined_member_count;
    std::optional<std::int64_t> invited_member_count;
};

struct JoinedRoom {
    Timeline timeline;
    std::vector<Event> state;
    std::vector<Event> ephemeral;
    std::vector<Event> account_data;
    UnreadNotifications unread_notifications;
    RoomSummary summary;
};

// Stripped state events: only type, sender, state_key and content are set.
struct InvitedRoom {
    std::vector<Event> invite_state;
};

struct KnockedRoom {
    std::vector<Event> knock_state;
};

struct LeftRoom {
    Timeline timeline;
    std::vector<Event> state;
    std::vector<Event> account_data;
};

struct DeviceLists {
    std::vector<std::string_view> changed;
    std::vector<std::string_view> left;
};

// Rooms and counts keep the order of the response. Every string_view points into `text`.
struct SyncResponse {
    std::string_view next_batch;
    std::vector<std::pair<std::string_view, JoinedRoom>> join;
    std::vector<std::pair<std::string_view, InvitedRoom>> invite;
    std::vector<std::pair<std::string_view, LeftRoom>> leave;
    std::vector<std::pair<std::string_view, KnockedRoom>> knock;
    std::vector<Event> presence;
    std::vector<Event> account_data;
    std::vector<Event> to_device;
    DeviceLists device_lists;
    std::vector<std::pair<std::string_view, std::int64_t>> device_one_time_keys_count;
    // Shared by copies, so a copy of the response keeps its views valid on its own.
    std::shared_ptr<TextArena> text;
};

// Thrown for malformed input; path() is where the problem is, like
// "$.rooms.join['!a:b'].timeline.events[3].origin_server_ts".
class SyncDecodeError : public StandardError<std::runtime_error> {
  public:
    SyncDecodeError(std::string json_path, const std::string& reason);
    const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
};

namespace detail {
class OnDemandDecoder;
}

// Decodes /sync response bodies. Unknown fields are ignored (but must be valid JSON);
// next_batch is required, and every known field that is present must have the right type;
// decode() throws SyncDecodeError. A Decoder keeps its parser's buffers between calls, so a
// sync loop should keep one around; it is not thread-safe (use one per thread).
class Decoder {
  public:
    Decoder();
    ~Decoder();
    Decoder(Decoder&&) noexcept;
    Decoder& operator=(Decoder&&) noexcept;

    // Copies `json` into a padded buffer the parser may read past the end of, then decodes.
    SyncResponse decode(std::string_view json);

    // Decodes without that copy. It may grow `body`'s capacity (never its contents) to make
    // room for the padding, which costs one reallocation at most.
    SyncResponse decode_in_place(std::string& body);

    // The SIMD kernel simdjson chose for this CPU, e.g. "haswell", "westmere" or "fallback".
    static std::string_view instruction_set();

  private:
    std::unique_ptr<detail::OnDemandDecoder> impl_;
    std::string padded_;
};

// One-off decode with a fresh Decoder.
SyncResponse decode(std::string_view json);

}  // namespace matrix::sync
