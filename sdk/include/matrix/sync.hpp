// A typed model of the /sync response and its decoder; events keep their content as raw JSON.
#pragma once

#include <cstdint>
#include <memory>
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

namespace detail {
class DecodeKernel;
}

// The instruction set a Decoder's JSON kernel uses.
enum class Kernel {
    automatic,  // the fastest one this CPU runs
    portable,   // any CPU
    avx2,       // x86-64 with AVX2, BMI1, PCLMULQDQ and LZCNT (Haswell, 2013, and later)
};

// Decodes /sync response bodies. Unknown fields are ignored; next_batch is required, and every
// known field that is present must have the right type; decode() throws SyncDecodeError.
// A Decoder keeps its parser's buffers between calls, so a sync loop should keep one around;
// it is not thread-safe (use one per thread).
class Decoder {
  public:
    // Throws std::invalid_argument when `kernel` is not available on this CPU or in this build.
    explicit Decoder(Kernel kernel = Kernel::automatic);
    ~Decoder();
    Decoder(Decoder&&) noexcept;
    Decoder& operator=(Decoder&&) noexcept;

    // Copies `json` into a padded buffer the parser may read past the end of, then decodes.
    SyncResponse decode(std::string_view json);

    // Decodes without that copy. It may grow `body`'s capacity (never its contents) to make
    // room for the padding, which costs one reallocation at most.
    SyncResponse decode_in_place(std::string& body);

    // "avx2" or "portable".
    std::string_view kernel_name() const noexcept;

    static bool available(Kernel kernel) noexcept;

  private:
    std::unique_ptr<detail::DecodeKernel> kernel_;
    std::string padded_;
};

// One-off decode with a fresh Decoder.
SyncResponse decode(std::string_view json);

}  // namespace matrix::sync
