// A typed model of the /sync response and its decoder; events keep their content as raw JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matrix::sync {

// One event as /sync delivers it. Content stays raw JSON text, so nothing is lost and clients
// parse only what they use.
struct Event {
    std::string type;
    std::string event_id;
    std::string sender;
    std::int64_t origin_server_ts = 0;
    std::optional<std::string> state_key;
    std::string content_json = "{}";
    std::string unsigned_json;  // raw, "" when absent
};

struct Timeline {
    std::vector<Event> events;
    bool limited = false;
    std::string prev_batch;
};

struct UnreadNotifications {
    std::int64_t highlight_count = 0;
    std::int64_t notification_count = 0;
};

struct RoomSummary {
    std::vector<std::string> heroes;
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
    std::vector<std::string> changed;
    std::vector<std::string> left;
};

// Rooms and counts keep the order of the response.
struct SyncResponse {
    std::string next_batch;
    std::vector<std::pair<std::string, JoinedRoom>> join;
    std::vector<std::pair<std::string, InvitedRoom>> invite;
    std::vector<std::pair<std::string, LeftRoom>> leave;
    std::vector<std::pair<std::string, KnockedRoom>> knock;
    std::vector<Event> presence;
    std::vector<Event> account_data;
    std::vector<Event> to_device;
    DeviceLists device_lists;
    std::vector<std::pair<std::string, std::int64_t>> device_one_time_keys_count;
};

// Thrown for malformed input; path() is where the problem is, like
// "$.rooms.join['!a:b'].timeline.events[3].origin_server_ts".
class SyncDecodeError : public std::runtime_error {
  public:
    SyncDecodeError(std::string json_path, const std::string& reason);
    const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
};

// Decodes a /sync response body. Unknown fields are ignored; next_batch is required, and every
// known field that is present must have the right type. Throws SyncDecodeError.
SyncResponse decode(std::string_view json);

}  // namespace matrix::sync
