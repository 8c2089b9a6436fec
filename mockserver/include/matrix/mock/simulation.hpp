// Simulation mode: an in-memory homeserver behind the stubs, so real clients work unchanged
// without a single fixture. A matching stub always wins; the simulation answers the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace matrix::mock
