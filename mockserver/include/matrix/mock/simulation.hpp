// Simulation mode: an in-memory homeserver behind the stubs, so real clients work unchanged
// without a single fixture. A matching stub always wins; the simulation answers the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {

enum class VersionsProfile { r0_only, v1_1, latest };

struct SimulationOptions {
    std::string server_name = "localhost";
    VersionsProfile versions = VersionsProfile::latest;
    std::size_t media_capacity_bytes = 64 * 1024 * 1024;  // uploads kept in memory, bounded
    // Everything else the simulation keeps (users, tokens, rooms, events, account data,
    // filters, transaction ids, aliases, ...), approximately: the characters of each string
    // held plus the size of the record and map node holding it. A request that would go past
    // it is refused with 403 M_RESOURCE_LIMIT_EXCEEDED and stores nothing; reads still work
    // and reset() empties it. Bounds the memory a runaway client under test can take.
    std::size_t state_capacity_bytes = 256 * 1024 * 1024;
};

struct SimulatedResponse {
    ResponseDefinition response;
    // Client mistakes worth a line in the journal (a `since` never issued, two concurrent
    // syncs on one device, ...); the request is still answered.
    std::vector<std::string> flags;
};

// Receives a simulated answer; may run on any thread (see Simulation::handle_async).
using SimulationCallback = std::function<void(SimulatedResponse)>;

struct SimulationDispatch {
    bool handled = false;    // false: no simulated endpoint has this path (done is never called)
    std::uint64_t held = 0;  // nonzero: the answer comes later; pass it to release() to hurry it
};

struct SimulationAdminResponse {
    int status = 200;
    std::string body;  // JSON
};

// --- typed seeding (simulation/seeding.cpp): what POST /__admin/sim/* does, without JSON ---

// A logged-in device of a seeded user: what a client needs to act as them.
struct Session {
    std::string user_id{};
    std::string access_token{};
    std::string device_id{};
};

struct SeedUserOptions {
    std::optional<std::string> displayname{};  // default: the localpart
    std::optional<std::string> device_id{};    // default: a generated one
};

struct SeedStateEvent {
    std::string type{};
    std::string state_key{};  // "" for most room state
    Json content{};           // a JSON object
};

// createRoom's body, typed (the same names, so that an error's key is the JSON key too), plus
// members who are joined at once. Users are named by user id or by localpart ("alice" is
// @alice:<server_name>) and must exist.
struct SeedRoomOptions {
    std::optional<std::string> name{};
    std::optional<std::string> topic{};
    std::optional<std::string> room_alias_name{};  // a localpart: #it:<server_name>, must be free
    std::optional<std::string> preset{};           // private_chat (default), public_chat,
                                                   // trusted_private_chat
    std::optional<std::string> visibility{};       // "public" lists it in the room directory
    std::optional<std::string> room_version{};
    std::vector<std::string> members{};           // joined after the creator, in this order
    std::vector<std::string> invite{};            // invited (m.room.member invite from the creator)
    bool is_direct = false;                       // the invites say is_direct
    std::vector<SeedStateEvent> initial_state{};  // after the preset's state
    std::optional<Json> creation_content{};
    std::optional<Json> power_level_content_override{};
};

// A seeding call refused: `key` names the option or JSON member at fault ("" when none),
// `reason` says what is wrong; errcode and status are the Matrix error the admin route
// answers with. Nothing was stored.
class SeedError : public StandardError<std::runtime_error> {
  public:
    SeedError(std::string key, std::string reason, std::string errcode = "M_BAD_JSON",
              int status = 400);
    const std::string& key() const noexcept { return key_; }
    const std::string& reason() const noexcept { return reason_; }
    const std::string& errcode() const noexcept { return errcode_; }
    int status() const noexcept { return status_; }

  private:
    std::string key_;
    std::string reason_;
    std::string errcode_;
    int status_;
};

class Simulation {
  public:
    explicit Simulation(SimulationOptions options = {});
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // The spec operations the simulation answers (operationIds). A request is routed by the
    // operation it is (match_operation: method and path, on every version the operation's path
    // has had); a request that is no operation, or one not listed here, is not handled.
    static std::vector<std::string_view> answered_operations();

    // Answers `request` as a homeserver would, when it is one of answered_operations().
    // `done` gets the answer exactly once: before this returns, or, for an incremental /sync
    // with nothing new (held), later on another thread: the one whose change woke it (only
    // syncs of users who can see a change are woken), or the timer thread at its timeout. A
    // held request takes no thread. Thread-safe.
    SimulationDispatch handle_async(const JournalEntry& request, SimulationCallback done);

    // The same, waiting for a held answer on the calling thread; nullopt when no simulated
    // endpoint has the path.
    std::optional<SimulatedResponse> handle(const JournalEntry& request);

    // Answers held request `held` now, as at its timeout (its client went away). Does nothing
    // once it has been answered.
    void release(std::uint64_t held);

    std::size_t held_count() const;  // syncs held now

    // The admin routes under /__admin/sim/: POST users, POST rooms, POST rooms/{roomId}/events,
    // GET state, POST reset. nullopt when `path` is not one of them.
    std::optional<SimulationAdminResponse> handle_admin(const std::string& method,
                                                        const std::string& path,
                                                        const std::string& body);

    void reset();  // forgets every user, room, event and upload; answers held syncs

    // Typed seeding; each call stores all or nothing (charged to the state budget like a
    // client's request), wakes the held syncs it concerns, and throws SeedError when refused.
    // A new user (localpart or full id on this server) and a logged-in device of theirs.
    Session add_user(std::string_view name, std::string_view password,
                     SeedUserOptions options = {});
    // A room made as createRoom makes it, by `creator` (a user id or localpart); its id.
    std::string create_room(std::string_view creator, const SeedRoomOptions& options = {});
    std::string create_room(const Session& creator, const SeedRoomOptions& options = {});
    // An m.room.message (msgtype m.text) from `sender`; its event id.
    std::string send(std::string_view room_id, std::string_view sender, std::string_view text);
    // Any event (a state event when `state_key` is given) as `sender`, whatever their
    // membership or power; its event id.
    std::string inject_event(std::string_view room_id, std::string_view sender,
                             std::string_view type, const Json& content,
                             std::optional<std::string> state_key = {});

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace matrix::mock
